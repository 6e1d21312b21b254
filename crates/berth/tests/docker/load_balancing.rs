//! Load balancing on real Docker, driven with the real AWS CLI: a `berth server`, a
//! `berth agent` and a `berth lb` node. A service of bridge-mode tasks (dynamic host ports)
//! registers in an `instance` target group behind an application load balancer; HTTP requests
//! to the listener on 127.0.0.1 reach every task; a rolling deployment, a scale-in and the
//! draining of an instance under constant load fail no request; a task whose target fails its
//! health checks is replaced.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::common::{Server, eventually};
use crate::support::{AgentProcess, IMAGE, TestCluster, cli, docker};

/// A `berth lb` process, killed when dropped.
struct LbNode(Child);

impl LbNode {
    fn start(server: &Server) -> LbNode {
        let token = {
            let text = std::fs::read_to_string(server.data_dir.join("agent-secret")).unwrap();
            server::caller::lb_token(&hex::decode(text.trim()).unwrap())
        };
        let child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args(["lb", "--server", &server.endpoint, "--bind", "127.0.0.1", "--name", "test"])
            .env("BERTH_LB_TOKEN", token)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("starting berth lb");
        LbNode(child)
    }
}

impl Drop for LbNode {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The load balancer `name`, as a user makes it: a target group of `kind` targets on `port`
/// (HTTP, checked every 5 s, healthy after 2 and unhealthy after 2 checks; `extra` options), an
/// internal load balancer and an HTTP listener on a free port forwarding to the group. Returns
/// the group's ARN and the listener's port.
fn balancer(
    e: &str,
    vpc: &str,
    name: &str,
    kind: &str,
    port: &str,
    extra: &[&str],
) -> (String, u16) {
    let mut args = vec!["elbv2", "create-target-group", "--name", name, "--protocol", "HTTP"];
    args.extend(["--port", port, "--vpc-id", vpc, "--target-type", kind]);
    args.extend(["--health-check-interval-seconds", "5", "--health-check-timeout-seconds", "2"]);
    args.extend(["--healthy-threshold-count", "2", "--unhealthy-threshold-count", "2"]);
    args.extend(extra);
    let group = cli(e, &args)["TargetGroups"][0]["TargetGroupArn"].as_str().unwrap().to_owned();
    let created =
        cli(e, &["elbv2", "create-load-balancer", "--name", name, "--scheme", "internal"]);
    let lb = created["LoadBalancers"][0]["LoadBalancerArn"].as_str().unwrap().to_owned();
    let listener = free_port();
    cli(
        e,
        &[
            "elbv2",
            "create-listener",
            "--load-balancer-arn",
            &lb,
            "--protocol",
            "HTTP",
            "--port",
            &listener.to_string(),
            "--default-actions",
            &format!("Type=forward,TargetGroupArn={group}"),
        ],
    );
    (group, listener)
}

/// The states of a target group's targets.
fn target_states(endpoint: &str, group: &str) -> Vec<String> {
    let out = cli(endpoint, &["elbv2", "describe-target-health", "--target-group-arn", group]);
    out["TargetHealthDescriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["TargetHealth"]["State"].as_str().unwrap().to_owned())
        .collect()
}

fn healthy(endpoint: &str, group: &str) -> usize {
    target_states(endpoint, group).iter().filter(|s| *s == "healthy").count()
}

/// Requests through the listener until stopped, over keep-alive connections and over new
/// ones, counting answers and failures (anything but `200 OK` with a body).
struct Load {
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
    errors: Arc<std::sync::Mutex<Vec<String>>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(port: u16) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let ok = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut workers = Vec::new();
        for worker in 0..4 {
            let keep_alive = worker % 2 == 0;
            let client = if keep_alive {
                reqwest::Client::new()
            } else {
                reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap()
            };
            let (stop, ok, failed, errors) =
                (stop.clone(), ok.clone(), failed.clone(), errors.clone());
            workers.push(tokio::spawn(async move {
                let url = format!("http://127.0.0.1:{port}/");
                while !stop.load(Ordering::Relaxed) {
                    let answer = client.get(&url).timeout(Duration::from_secs(30)).send().await;
                    let outcome = match answer {
                        Ok(response) if response.status() == 200 => match response.text().await {
                            Ok(body) if !body.is_empty() => Ok(()),
                            Ok(_) => Err("an empty body".to_owned()),
                            Err(e) => Err(format!("reading the body: {e}")),
                        },
                        Ok(response) => Err(format!("status {}", response.status())),
                        Err(e) => Err(format!("{e:?}")),
                    };
                    match outcome {
                        Ok(()) => ok.fetch_add(1, Ordering::Relaxed),
                        Err(e) => {
                            errors.lock().unwrap().push(e);
                            failed.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }));
        }
        Load { stop, ok, failed, errors, workers }
    }

    /// Stops the load: (answered, failed, the first failures).
    async fn finish(self) -> (u64, u64, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        for worker in self.workers {
            worker.await.unwrap();
        }
        let errors = self.errors.lock().unwrap().iter().take(5).cloned().collect();
        (self.ok.load(Ordering::Relaxed), self.failed.load(Ordering::Relaxed), errors)
    }
}

/// The service's primary deployment is COMPLETED, alone, with `count` running tasks.
fn settled(endpoint: &str, cluster: &str, count: i64) -> bool {
    let out =
        cli(endpoint, &["ecs", "describe-services", "--cluster", cluster, "--services", "web"]);
    let service = &out["services"][0];
    let deployments = service["deployments"].as_array().unwrap();
    deployments.len() == 1
        && deployments[0]["rolloutState"] == "COMPLETED"
        && service["runningCount"] == count
        && service["desiredCount"] == count
}

/// The service's tasks that are not STOPPED.
fn live_tasks(endpoint: &str, cluster: &str) -> Vec<String> {
    let out = cli(endpoint, &["ecs", "list-tasks", "--cluster", cluster, "--service-name", "web"]);
    out["taskArns"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_behind_a_load_balancer_serves_through_deployments_scaling_and_draining_without_a_failed_request()
 {
    let cluster = TestCluster::new("lb");
    let c = cluster.name.as_str();
    let server = Server::start();
    let e = server.endpoint.as_str();
    cli(e, &["ecs", "create-cluster", "--cluster-name", c]);
    let _agent = AgentProcess::start(&server, c, "zone-a");
    let _second = AgentProcess::start(&server, c, "zone-b");
    let _node = LbNode::start(&server);
    let vpc = cli(e, &["ec2", "describe-vpcs"])["Vpcs"][0]["VpcId"].as_str().unwrap().to_owned();

    // The load balancer, its target group and its listener, as a user makes them.
    let (group, port) =
        balancer(e, &vpc, "web", "instance", "80", &["--health-check-path", "/health"]);
    cli(
        e,
        &[
            "elbv2",
            "modify-target-group-attributes",
            "--target-group-arn",
            &group,
            "--attributes",
            "Key=deregistration_delay.timeout_seconds,Value=3",
        ],
    );

    // A web service of three bridge-mode tasks on dynamic host ports.
    let containers = serde_json::json!([{"name": "web", "image": IMAGE, "memory": 32,
        "command": ["sh", "-c",
            "mkdir -p /w && hostname > /w/index.html && echo ok > /w/health && exec httpd -f -p 8080 -h /w"],
        "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]);
    cli(
        e,
        &[
            "ecs",
            "register-task-definition",
            "--family",
            "web",
            "--container-definitions",
            &containers.to_string(),
        ],
    );
    cli(
        e,
        &[
            "ecs",
            "create-service",
            "--cluster",
            c,
            "--service-name",
            "web",
            "--task-definition",
            "web",
            "--desired-count",
            "3",
            "--load-balancers",
            &format!("targetGroupArn={group},containerName=web,containerPort=8080"),
        ],
    );
    eventually(120, "three healthy targets", || async { (healthy(e, &group) == 3).then_some(()) })
        .await;
    let states = target_states(e, &group);
    assert_eq!(states, ["healthy", "healthy", "healthy"]);

    // Requests to the listener reach all three tasks.
    let client = reqwest::Client::new();
    let mut answered = BTreeSet::new();
    for _ in 0..30 {
        let body = client
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        answered.insert(body.trim().to_owned());
    }
    assert_eq!(answered.len(), 3, "answered by {answered:?}");
    eventually(60, "the service to settle", || async { settled(e, c, 3).then_some(()) }).await;

    // A rolling deployment, a scale-out to 4, a scale-in to 2 and the draining of an instance,
    // under constant load.
    let load = Load::start(port);
    let before: BTreeSet<String> = live_tasks(e, c).into_iter().collect();
    cli(
        e,
        &["ecs", "update-service", "--cluster", c, "--service", "web", "--force-new-deployment"],
    );
    eventually(240, "the deployment to replace every task", || async {
        let now: BTreeSet<String> = live_tasks(e, c).into_iter().collect();
        (settled(e, c, 3) && now.is_disjoint(&before) && healthy(e, &group) == 3).then_some(())
    })
    .await;
    cli(e, &["ecs", "update-service", "--cluster", c, "--service", "web", "--desired-count", "4"]);
    eventually(120, "four healthy targets", || async {
        (settled(e, c, 4) && healthy(e, &group) == 4).then_some(())
    })
    .await;
    cli(e, &["ecs", "update-service", "--cluster", c, "--service", "web", "--desired-count", "2"]);
    eventually(120, "two tasks left", || async {
        (settled(e, c, 2) && live_tasks(e, c).len() == 2 && target_states(e, &group).len() == 2)
            .then_some(())
    })
    .await;
    // An instance drains: its tasks move to the other one.
    let instances = cli(e, &["ecs", "list-container-instances", "--cluster", c]);
    let instances: Vec<String> = instances["containerInstanceArns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(instances.len(), 2);
    let on = |instance: &str| {
        let tasks = live_tasks(e, c);
        if tasks.is_empty() {
            return 0;
        }
        let mut args = vec!["ecs", "describe-tasks", "--cluster", c, "--tasks"];
        args.extend(tasks.iter().map(String::as_str));
        cli(e, &args)["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["containerInstanceArn"] == instance)
            .count()
    };
    let drained = instances.iter().max_by_key(|i| on(i)).unwrap().clone();
    cli(
        e,
        &[
            "ecs",
            "update-container-instances-state",
            "--cluster",
            c,
            "--container-instances",
            &drained,
            "--status",
            "DRAINING",
        ],
    );
    eventually(180, "the draining instance to be empty", || async {
        (on(&drained) == 0 && settled(e, c, 2) && healthy(e, &group) == 2).then_some(())
    })
    .await;
    let (ok, failed, errors) = load.finish().await;
    eprintln!(
        "{ok} requests answered, {failed} failed, during the deployment, the scaling and the draining"
    );
    assert_eq!(failed, 0, "{failed} failed requests of {}: {errors:?}", ok + failed);
    assert!(ok > 100, "only {ok} requests were answered");
    // The node's counters reach the control plane with its polls.
    eventually(60, "the node's counters", || async {
        let status: Value = reqwest::get(format!("{e}/status")).await.ok()?.json().await.ok()?;
        let lb = &status["loadBalancer"];
        let counted: u64 = lb["counters"]
            .as_array()?
            .iter()
            .filter(|row| row["targetGroupArn"] == group)
            .map(|row| row["target2xx"].as_u64().unwrap_or(0))
            .sum();
        (lb["nodes"] == 1 && counted >= ok).then_some(())
    })
    .await;

    // The events say what happened, in ECS's words.
    let out = cli(e, &["ecs", "describe-services", "--cluster", c, "--services", "web"]);
    let events: Vec<String> = out["services"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        events.iter().any(|m| m.contains("registered 1 targets in (target-group")),
        "{events:?}"
    );
    assert!(events.iter().any(|m| m.contains("has begun draining connections on")), "{events:?}");

    // A target whose health check fails is taken out and its task replaced.
    let tasks = live_tasks(e, c);
    let victim = tasks[0].clone();
    let container = crate::support::containers_of_task(&victim)[0].clone();
    let removed = docker(&["exec", &container, "rm", "/w/health"]);
    assert!(removed.status.success(), "{}", String::from_utf8_lossy(&removed.stderr));
    let stopped = eventually(120, "the unhealthy task to stop", || async {
        let out = cli(e, &["ecs", "describe-tasks", "--cluster", c, "--tasks", &victim]);
        let task = out["tasks"][0].clone();
        (task["desiredStatus"] == "STOPPED").then_some(task)
    })
    .await;
    let reason = stopped["stoppedReason"].as_str().unwrap_or_default();
    assert_eq!(reason, format!("Task failed ELB health checks in (target-group {group})"));
    eventually(120, "a replacement to be healthy", || async {
        (settled(e, c, 2) && healthy(e, &group) == 2 && !live_tasks(e, c).contains(&victim))
            .then_some(())
    })
    .await;

    cli(e, &["ecs", "update-service", "--cluster", c, "--service", "web", "--desired-count", "0"]);
    cli(e, &["ecs", "delete-service", "--cluster", c, "--service", "web", "--force"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awsvpc_tasks_serve_behind_an_ip_target_group() {
    // The tasks' addresses are routed on this machine: a VPC of a private range of the test's
    // own.
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "[vpc]\ncidr = \"10.219.0.0/16\"\n").unwrap();
    let server = Server::start_with_config(config.path());
    let cluster = TestCluster::new("lbip");
    let c = cluster.name.as_str();
    let e = server.endpoint.as_str();
    cli(e, &["ecs", "create-cluster", "--cluster-name", c]);
    let _agent = AgentProcess::start(&server, c, "zone-a");
    let _node = LbNode::start(&server);
    let subnet = eventually(60, "the agent's subnet", || async {
        cli(e, &["ec2", "describe-subnets"])["Subnets"][0]["SubnetId"].as_str().map(str::to_owned)
    })
    .await;
    let vpc = cli(e, &["ec2", "describe-vpcs"])["Vpcs"][0]["VpcId"].as_str().unwrap().to_owned();
    let sg = cli(
        e,
        &["ec2", "create-security-group", "--group-name", "web", "--description", "web"],
    )["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    cli(
        e,
        &[
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            &sg,
            "--protocol",
            "tcp",
            "--port",
            "8080",
            "--cidr",
            "0.0.0.0/0",
        ],
    );
    let (group, port) = balancer(e, &vpc, "web-ip", "ip", "8080", &[]);
    let containers = serde_json::json!([{"name": "web", "image": IMAGE, "memory": 32,
        "command": ["sh", "-c", "mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"],
        "portMappings": [{"containerPort": 8080}]}]);
    cli(
        e,
        &[
            "ecs",
            "register-task-definition",
            "--family",
            "web-ip",
            "--network-mode",
            "awsvpc",
            "--container-definitions",
            &containers.to_string(),
        ],
    );
    let network = format!("awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{sg}]}}");
    cli(
        e,
        &[
            "ecs",
            "create-service",
            "--cluster",
            c,
            "--service-name",
            "web",
            "--task-definition",
            "web-ip",
            "--desired-count",
            "2",
            "--network-configuration",
            &network,
            "--load-balancers",
            &format!("targetGroupArn={group},containerName=web,containerPort=8080"),
        ],
    );
    eventually(120, "two healthy targets", || async { (healthy(e, &group) == 2).then_some(()) })
        .await;
    // The targets are the tasks' own addresses in the VPC, on the container port.
    let described = cli(e, &["elbv2", "describe-target-health", "--target-group-arn", &group]);
    for target in described["TargetHealthDescriptions"].as_array().unwrap() {
        let id = target["Target"]["Id"].as_str().unwrap();
        assert!(id.starts_with("10.219."), "{target}");
        assert_eq!(target["Target"]["Port"], 8080);
    }
    let client = reqwest::Client::new();
    let mut answered = BTreeSet::new();
    for _ in 0..20 {
        let url = format!("http://127.0.0.1:{port}/");
        answered.insert(client.get(url).send().await.unwrap().text().await.unwrap());
    }
    assert_eq!(answered.len(), 2, "answered by {answered:?}");
    cli(e, &["ecs", "update-service", "--cluster", c, "--service", "web", "--desired-count", "0"]);
    cli(e, &["ecs", "delete-service", "--cluster", c, "--service", "web", "--force"]);
    // The tasks drain for the group's deregistration delay (300 seconds) before they stop.
    eventually(60, "the targets to drain", || async {
        let states = target_states(e, &group);
        (states == ["draining", "draining"]).then_some(())
    })
    .await;
    // Meanwhile they show ECS's DEACTIVATING: still running, desired STOPPED.
    let tasks = live_tasks(e, c);
    assert_eq!(tasks.len(), 2);
    let mut args = vec!["ecs", "describe-tasks", "--cluster", c, "--tasks"];
    args.extend(tasks.iter().map(String::as_str));
    for task in cli(e, &args)["tasks"].as_array().unwrap() {
        assert_eq!(task["lastStatus"], "DEACTIVATING", "{task}");
        assert_eq!(task["desiredStatus"], "STOPPED", "{task}");
        assert!(
            crate::support::containers_of_task(task["taskArn"].as_str().unwrap())
                .iter()
                .all(|id| docker(&["inspect", "-f", "{{.State.Running}}", id]).stdout == b"true\n")
        );
    }
}
