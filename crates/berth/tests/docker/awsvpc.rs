//! `awsvpc` tasks on real Docker: each task has its own network namespace and address in its
//! subnet, its containers reach each other on `localhost`, other tasks reach it on its
//! address and container port, and its security groups decide who may: a group allowing TCP
//! 8080 from the VPC's network lets that through and nothing else, the default group admits
//! only its own members, revoking a rule cuts new connections to a running task. Stopping the
//! tasks leaves nothing behind. Across test hosts (network namespaces with an agent each),
//! tasks reach each other by address, and an agent killed while it sets a task up leaves
//! nothing behind once it is back.

use aws_sdk_ecs::types::{AwsVpcConfiguration, NetworkConfiguration, NetworkMode, Task};

use crate::common::{Server, eventually};
use crate::support::{AgentProcess, TestCluster, TestHosts, container, containers_of_task, docker};

/// An EC2 query call (the server runs without access control), answered as XML text.
pub(crate) async fn ec2(server: &Server, params: &[(&str, &str)]) -> String {
    let mut form: Vec<(&str, &str)> = vec![("Version", "2016-11-15")];
    form.extend_from_slice(params);
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let response = reqwest::Client::new()
        .post(&server.endpoint)
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("an EC2 answer");
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{params:?}: {status} {text}");
    text
}

/// A new security group `name` that lets TCP 8080 in from `cidr`; its id.
pub(crate) async fn group_allowing_8080(server: &Server, name: &str, cidr: &str) -> String {
    let created = ec2(
        server,
        &[("Action", "CreateSecurityGroup"), ("GroupName", name), ("GroupDescription", "web")],
    )
    .await;
    let group = first(&created, "groupId");
    ec2(
        server,
        &[
            ("Action", "AuthorizeSecurityGroupIngress"),
            ("GroupId", &group),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "8080"),
            ("IpPermissions.1.ToPort", "8080"),
            ("IpPermissions.1.IpRanges.1.CidrIp", cidr),
        ],
    )
    .await;
    group
}

/// The text of the first `<tag>` of an XML answer.
pub(crate) fn first(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{tag}> in {xml}")) + open.len();
    let end = xml[start..].find('<').unwrap() + start;
    xml[start..end].to_owned()
}

/// What `task`'s `side` container gets from `address:port` over HTTP (its last line), or
/// `None` if it cannot connect within two seconds.
fn fetch(task: &Task, address: &str, port: u16) -> Option<String> {
    let id = task.task_arn().unwrap().rsplit('/').next().unwrap();
    let script = format!("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {address} {port}");
    let out = docker(&["exec", &format!("berth-{id}-side"), "sh", "-c", &script]);
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let body = text.lines().last().unwrap_or_default().to_owned();
    (out.status.success() && !body.is_empty()).then_some(body)
}

pub(crate) fn address(task: &Task) -> String {
    let attachment = &task.attachments()[0];
    attachment
        .details()
        .iter()
        .find(|d| d.name() == Some("privateIPv4Address"))
        .and_then(|d| d.value())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn awsvpc_tasks_have_their_own_address_and_their_security_groups_hold() {
    // The tasks' addresses are routed on this machine itself: a VPC of a private range of the
    // test's own, not the AWS default one a real network may use.
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "[vpc]\ncidr = \"10.214.0.0/16\"\n").unwrap();
    let config_path = config.path().to_string_lossy().into_owned();
    let server = Server::start_with_args(&["--no-auth", "--config", &config_path]);
    let cluster = TestCluster::new("vpc");
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    let _agent = AgentProcess::start(&server, &cluster.name, "zone-a");
    eventually(30, "the agent to register", || async {
        let out = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;

    let subnets = ec2(
        &server,
        &[
            ("Action", "DescribeSubnets"),
            ("Filter.1.Name", "availability-zone"),
            ("Filter.1.Value.1", "zone-a"),
        ],
    )
    .await;
    let subnet = first(&subnets, "subnetId");
    let network = first(&subnets, "cidrBlock");
    let web_group = group_allowing_8080(&server, &cluster.name, &network).await;

    // `web` answers its network namespace's name on 8080 and 8081; `side` is where requests
    // are made from.
    let serve =
        "mkdir -p /w && hostname > /w/index.html && httpd -p 8081 -h /w && httpd -f -p 8080 -h /w";
    ecs.register_task_definition()
        .family(&cluster.name)
        .network_mode(NetworkMode::Awsvpc)
        .container_definitions(container("web", serve))
        .container_definitions(container("side", "sleep 600"))
        .send()
        .await
        .unwrap();
    let run = |groups: Vec<String>| {
        let ecs = ecs.clone();
        let cluster = cluster.name.clone();
        let subnet = subnet.clone();
        async move {
            let configuration = AwsVpcConfiguration::builder()
                .subnets(subnet)
                .set_security_groups((!groups.is_empty()).then_some(groups))
                .build()
                .unwrap();
            let out = ecs
                .run_task()
                .cluster(&cluster)
                .task_definition(&cluster)
                .network_configuration(
                    NetworkConfiguration::builder().awsvpc_configuration(configuration).build(),
                )
                .send()
                .await
                .unwrap();
            assert!(out.failures().is_empty(), "{:?}", out.failures());
            out.tasks()[0].task_arn().unwrap().to_owned()
        }
    };
    let in_web = run(vec![web_group.clone()]).await;
    let in_default = run(Vec::new()).await;
    let running = |arn: String| {
        let ecs = ecs.clone();
        let cluster = cluster.name.clone();
        async move {
            eventually(60, "the task to run", || async {
                let out = ecs.describe_tasks().cluster(&cluster).tasks(&arn).send().await.unwrap();
                let task = out.tasks().first().cloned()?;
                assert_ne!(task.last_status(), Some("STOPPED"), "{task:?}");
                (task.last_status() == Some("RUNNING")).then_some(task)
            })
            .await
        }
    };
    let web = running(in_web.clone()).await;
    let other = running(in_default.clone()).await;
    assert_eq!(web.attachments()[0].status(), Some("ATTACHED"));
    let (web_address, other_address) = (address(&web), address(&other));
    assert_ne!(web_address, other_address);
    let prefix = network.split('.').take(2).collect::<Vec<_>>().join(".");
    assert!(web_address.starts_with(&prefix), "{web_address} in {network}");

    // The containers of a task share one namespace: localhost reaches the web container.
    let name = fetch(&web, "127.0.0.1", 8080).expect("localhost within the task");
    assert_eq!(fetch(&web, "127.0.0.1", 8081).as_deref(), Some(name.as_str()));
    // Another task reaches it on its address and container port, as its group allows...
    assert_eq!(fetch(&other, &web_address, 8080).as_deref(), Some(name.as_str()));
    // ...and not on a port the group does not open.
    assert_eq!(fetch(&other, &web_address, 8081), None, "8081 is not allowed in");
    // The default group admits its own members only: the web task is not one.
    assert_eq!(fetch(&web, &other_address, 8080), None, "the default group let a stranger in");
    assert!(fetch(&other, &other_address, 8080).is_some(), "a task reaches itself");

    // Revoking the rule cuts the running task off from new connections.
    ec2(
        &server,
        &[
            ("Action", "RevokeSecurityGroupIngress"),
            ("GroupId", &web_group),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "8080"),
            ("IpPermissions.1.ToPort", "8080"),
            ("IpPermissions.1.IpRanges.1.CidrIp", &network),
        ],
    )
    .await;
    eventually(30, "the revoked rule to cut new connections off", || async {
        fetch(&other, &web_address, 8080).is_none().then_some(())
    })
    .await;
    assert!(fetch(&web, "127.0.0.1", 8080).is_some(), "localhost is not the group's business");

    // A rule naming another group admits that group's members: the default group lets the
    // web group's tasks in on 8080.
    let default_group = first(
        &ec2(&server, &[("Action", "DescribeSecurityGroups"), ("GroupName.1", "default")]).await,
        "groupId",
    );
    let from_web = [
        ("IpPermissions.1.IpProtocol", "tcp"),
        ("IpPermissions.1.FromPort", "8080"),
        ("IpPermissions.1.ToPort", "8080"),
        ("IpPermissions.1.Groups.1.GroupId", web_group.as_str()),
    ];
    let mut authorize =
        vec![("Action", "AuthorizeSecurityGroupIngress"), ("GroupId", &default_group)];
    authorize.extend_from_slice(&from_web);
    ec2(&server, &authorize).await;
    let other_name = fetch(&other, "127.0.0.1", 8080).expect("localhost within the other task");
    eventually(30, "the web group's task to be let into the default group's", || async {
        (fetch(&web, &other_address, 8080).as_deref() == Some(other_name.as_str())).then_some(())
    })
    .await;
    // Egress is enforced too: without the web group's rule that lets everything out, its task
    // reaches nobody.
    ec2(
        &server,
        &[
            ("Action", "RevokeSecurityGroupEgress"),
            ("GroupId", &web_group),
            ("IpPermissions.1.IpProtocol", "-1"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"),
        ],
    )
    .await;
    eventually(30, "the web group's task to be cut off from going out", || async {
        fetch(&web, &other_address, 8080).is_none().then_some(())
    })
    .await;
    let mut revoke = vec![("Action", "RevokeSecurityGroupIngress"), ("GroupId", &default_group)];
    revoke.extend_from_slice(&from_web);
    ec2(&server, &revoke).await;

    // Stopped, the tasks detach their interfaces and leave nothing behind.
    for arn in [&in_web, &in_default] {
        ecs.stop_task().cluster(&cluster.name).task(arn).send().await.unwrap();
    }
    for arn in [&in_web, &in_default] {
        let stopped = eventually(60, "the task to stop", || async {
            let out = ecs.describe_tasks().cluster(&cluster.name).tasks(arn).send().await.unwrap();
            let task = out.tasks().first().cloned()?;
            (task.last_status() == Some("STOPPED")).then_some(task)
        })
        .await;
        assert_eq!(stopped.attachments()[0].status(), Some("DETACHED"));
        eventually(30, "the task's containers to be removed", || async {
            containers_of_task(arn).is_empty().then_some(())
        })
        .await;
    }
    for task in [&web, &other] {
        let end = host_end(task);
        eventually(10, "the task's interface to go from the host", || async {
            let links = std::process::Command::new("ip").args(["-o", "link"]).output().unwrap();
            (!String::from_utf8_lossy(&links.stdout).contains(&end)).then_some(())
        })
        .await;
    }
}

/// The host end of a task's interface, as the agent names it.
fn host_end(task: &Task) -> String {
    let interface = task.attachments()[0]
        .details()
        .iter()
        .find(|d| d.name() == Some("networkInterfaceId"))
        .and_then(|d| d.value())
        .unwrap()
        .to_owned();
    let digits: String = interface.chars().filter(char::is_ascii_hexdigit).collect();
    format!("bv{}", &digits[digits.len() - 10..])
}

async fn start_on(
    ecs: &aws_sdk_ecs::Client,
    cluster: &str,
    instance: &str,
    subnet: &str,
) -> String {
    let configuration = AwsVpcConfiguration::builder().subnets(subnet).build().unwrap();
    let out = ecs
        .start_task()
        .cluster(cluster)
        .task_definition(cluster)
        .container_instances(instance)
        .network_configuration(
            NetworkConfiguration::builder().awsvpc_configuration(configuration).build(),
        )
        .send()
        .await
        .unwrap();
    assert!(out.failures().is_empty(), "{:?}", out.failures());
    out.tasks()[0].task_arn().unwrap().to_owned()
}

async fn task_in(ecs: &aws_sdk_ecs::Client, cluster: &str, arn: &str, status: &str) -> Task {
    eventually(60, &format!("the task to be {status}"), || async {
        let out = ecs.describe_tasks().cluster(cluster).tasks(arn).send().await.unwrap();
        let task = out.tasks().first().cloned()?;
        if status != "STOPPED" {
            assert_ne!(task.last_status(), Some("STOPPED"), "{task:?}");
        }
        (task.last_status() == Some(status)).then_some(task)
    })
    .await
}

#[tokio::test]
async fn awsvpc_tasks_on_different_hosts_reach_each_other_and_a_crash_mid_setup_leaves_nothing() {
    let hosts = TestHosts::new(2);
    let listen = format!("{}.254:0", hosts.subnet);
    let server = Server::start_with_args(&["--no-auth", "--listen", &listen]);
    let cluster = TestCluster::new("vpc2");
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    let _first = AgentProcess::start_on(&hosts.host(1), &server, &cluster.name, "zone-a");
    let mut second = AgentProcess::start_on(&hosts.host(2), &server, &cluster.name, "zone-a");
    let instances = eventually(30, "both agents to register", || async {
        let out = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
        (out.container_instance_arns().len() == 2).then(|| out.container_instance_arns().to_vec())
    })
    .await;
    // Which instance is on which host: by the host address each registered.
    let described = ecs
        .describe_container_instances()
        .cluster(&cluster.name)
        .set_container_instances(Some(instances.clone()))
        .send()
        .await
        .unwrap();
    let on_host = |i: usize| {
        described
            .container_instances()
            .iter()
            .find(|c| {
                c.attributes().iter().any(|a| {
                    a.name() == "berth.host-address" && a.value() == Some(hosts.address(i).as_str())
                })
            })
            .and_then(|c| c.container_instance_arn())
            .unwrap_or_else(|| panic!("no instance registered from host {i}: {described:?}"))
            .to_owned()
    };
    let (first_instance, second_instance) = (on_host(1), on_host(2));

    let subnets = ec2(&server, &[("Action", "DescribeSubnets")]).await;
    let subnet = first(&subnets, "subnetId");
    let serve = "mkdir -p /w && hostname > /w/index.html && httpd -f -p 8080 -h /w";
    ecs.register_task_definition()
        .family(&cluster.name)
        .network_mode(NetworkMode::Awsvpc)
        .container_definitions(container("web", serve))
        .container_definitions(container("side", "sleep 600"))
        .send()
        .await
        .unwrap();
    // Both tasks are in the default group, which admits its members.
    let on_first = start_on(&ecs, &cluster.name, &first_instance, &subnet).await;
    let on_second = start_on(&ecs, &cluster.name, &second_instance, &subnet).await;
    let a = task_in(&ecs, &cluster.name, &on_first, "RUNNING").await;
    let b = task_in(&ecs, &cluster.name, &on_second, "RUNNING").await;
    let (a_address, b_address) = (address(&a), address(&b));
    let a_name = fetch(&a, "127.0.0.1", 8080).expect("localhost within the task");
    let b_name = fetch(&b, "127.0.0.1", 8080).expect("localhost within the task");
    eventually(30, "a task on one host to reach a task on the other", || async {
        (fetch(&b, &a_address, 8080).as_deref() == Some(a_name.as_str())).then_some(())
    })
    .await;
    assert_eq!(fetch(&a, &b_address, 8080).as_deref(), Some(b_name.as_str()));
    assert!(hosts.routes(1).contains(&format!("via {}", hosts.address(2))), "{}", hosts.routes(1));

    // The second host's agent is killed while it sets a task up; the task is stopped while
    // the agent is away. Back, the agent leaves nothing of the task behind.
    let doomed = start_on(&ecs, &cluster.name, &second_instance, &subnet).await;
    let doomed_id = doomed.rsplit('/').next().unwrap().to_owned();
    let network_container = format!("berth-{doomed_id}-network");
    eventually(30, "the task's network container to be made", || async {
        let out = docker(&["ps", "-aq", "--filter", &format!("name={network_container}")]);
        (!String::from_utf8_lossy(&out.stdout).trim().is_empty()).then_some(())
    })
    .await;
    second.kill9();
    ecs.stop_task().cluster(&cluster.name).task(&doomed).send().await.unwrap();
    second.restart();
    let stopped = task_in(&ecs, &cluster.name, &doomed, "STOPPED").await;
    eventually(30, "the stopped task's containers to be removed", || async {
        containers_of_task(&doomed).is_empty().then_some(())
    })
    .await;
    let end = host_end(&stopped);
    eventually(10, "the crashed setup's interface to go from host 2", || async {
        (!hosts.links(2).contains(&end)).then_some(())
    })
    .await;
    // The tasks that were running still are, and still reach each other.
    assert_eq!(fetch(&b, &a_address, 8080).as_deref(), Some(a_name.as_str()));

    for arn in [&on_first, &on_second] {
        ecs.stop_task().cluster(&cluster.name).task(arn).send().await.unwrap();
    }
    for (arn, task, host) in [(&on_first, &a, 1), (&on_second, &b, 2)] {
        task_in(&ecs, &cluster.name, arn, "STOPPED").await;
        eventually(30, "the task's containers to be removed", || async {
            containers_of_task(arn).is_empty().then_some(())
        })
        .await;
        // The kernel removes a namespace's interfaces a moment after its last process ends.
        let end = host_end(task);
        eventually(10, "the task's interface to go from its host", || async {
            (!hosts.links(host).contains(&end)).then_some(())
        })
        .await;
    }
    // With no task left, no route to the other host's blocks is either.
    eventually(30, "the routes to freed blocks to go", || async {
        (!hosts.routes(1).contains("proto 190")).then_some(())
    })
    .await;
}
