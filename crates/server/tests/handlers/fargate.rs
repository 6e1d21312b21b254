//! The Fargate launch type and capacity provider strategies: the pool's hosts, which no
//! cluster shows; Fargate's rules, each refused as ECS refuses it with nothing written; how a
//! strategy's base and weight divide a call's tasks.

use serde_json::{Value, json};

use crate::harness::Harness;

/// The pool's hidden cluster (`server::FARGATE_POOL`).
const POOL: &str = "~fargate";

/// Cluster `c` with both Fargate providers, the Fargate definition `f` (256 CPU units, 512
/// MiB), the bridge definition `web`, and the zone's subnet id. Pool hosts are added with
/// [`pool_host`].
async fn fargate() -> (Harness, String) {
    let h = Harness::new().await;
    h.call(
        "CreateCluster",
        json!({"clusterName": "c", "capacityProviders": ["FARGATE", "FARGATE_SPOT"]}),
    )
    .await
    .ok();
    h.register_definition("web").await;
    h.register_definition_with(json!({"family": "f", "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "app", "image": "busybox",
            "portMappings": [{"containerPort": 8080}]}]}))
        .await;
    pool_host(&h, "FARGATE").await;
    let subnet = first_subnet(&h).await;
    (h, subnet)
}

/// Registers a pool host of `provider` with the pool's token.
async fn pool_host(h: &Harness, provider: &str) {
    let mut registration = crate::harness::registration(POOL);
    registration["attributes"] = json!([{"name": "ecs.capability.task-eni"},
        {"name": "berth.capacity-provider", "value": provider}]);
    h.call_with_token("RegisterContainerInstance", registration, &h.agent_token(POOL)).await.ok();
}

/// Registers the Fargate definition `f`: 256 CPU units, 512 MiB, one container.
async fn fargate_definition(h: &Harness) {
    h.register_definition_with(json!({"family": "f", "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "app", "image": "busybox"}]}))
        .await;
}

/// The id of the (first) subnet the VPC has made.
async fn first_subnet(h: &Harness) -> String {
    let subnets = h.ctx.store().range("/vpc/subnets/", Default::default()).await.unwrap();
    let subnet: Value = serde_json::from_slice(&subnets.kvs[0].value).unwrap();
    subnet["id"].as_str().unwrap().to_owned()
}

fn network(subnet: &str) -> Value {
    json!({"awsvpcConfiguration": {"subnets": [subnet]}})
}

fn run(subnet: &str, extra: Value) -> Value {
    let mut body = json!({"cluster": "c", "taskDefinition": "f", "launchType": "FARGATE",
        "networkConfiguration": network(subnet)});
    for (key, value) in extra.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body
}

#[tokio::test]
async fn fargate_rules_are_refused_as_ecs_refuses_them_and_write_nothing() {
    let (h, subnet) = fargate().await;
    let spot = json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]);
    let cases = [
        (
            run(&subnet, json!({"taskDefinition": "web"})),
            "Task definition does not support launch_type FARGATE.",
        ),
        (
            run(&subnet, json!({"capacityProviderStrategy": spot})),
            "Specifying both a launch type and capacity provider strategy is not supported.",
        ),
        (
            run(&subnet, json!({"networkConfiguration": null})),
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ),
        (
            run(&subnet, json!({"placementConstraints": [{"type": "distinctInstance"}]})),
            "Task placement constraints are not supported on Fargate",
        ),
        (
            run(&subnet, json!({"placementStrategy": [{"type": "random"}]})),
            "Task placement strategies are not supported on Fargate.",
        ),
        (
            run(
                &subnet,
                json!({"launchType": null, "capacityProviderStrategy": [
                    {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
                    {"capacityProvider": "FARGATE_SPOT", "base": 1, "weight": 1}]}),
            ),
            "Only one capacity provider in a capacity provider strategy can have a base defined.",
        ),
        (
            run(
                &subnet,
                json!({"launchType": null, "capacityProviderStrategy": [
                    {"capacityProvider": "FARGATE", "weight": 0}]}),
            ),
            "must have a weight greater than zero",
        ),
        (
            run(
                &subnet,
                json!({"launchType": null, "capacityProviderStrategy": [
                    {"capacityProvider": "FARGATE", "weight": 1},
                    {"capacityProvider": "FARGATE", "weight": 2}]}),
            ),
            "contains FARGATE more than once",
        ),
        (
            json!({"cluster": "c", "taskDefinition": "web", "platformVersion": "1.4.0"}),
            "The platform version must be null when specifying an EC2 launch type.",
        ),
    ];
    for (body, message) in cases {
        h.rejects("RunTask", body, message).await;
    }
    h.refuses(
        "RunTask",
        run(&subnet, json!({"platformVersion": "0.9.0"})),
        "PlatformUnknownException",
        "The specified platform version 0.9.0 does not exist.",
    )
    .await;
    // A provider the cluster does not have.
    h.create_cluster("plain").await;
    h.rejects(
        "RunTask",
        json!({"cluster": "plain", "taskDefinition": "f", "networkConfiguration": network(&subnet),
            "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}),
        "cannot contain a capacity provider that is not associated with the cluster",
    )
    .await;
    let service = |extra: Value| {
        let mut body = json!({"cluster": "c", "serviceName": "s", "taskDefinition": "f",
            "desiredCount": 1, "launchType": "FARGATE", "networkConfiguration": network(&subnet)});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let service_cases = [
        (
            service(json!({"schedulingStrategy": "DAEMON"})),
            "The DAEMON scheduling strategy is not supported on Fargate.",
        ),
        (
            service(json!({"placementStrategy": [{"type": "spread", "field": "instanceId"}]})),
            "Task placement strategies are not supported on Fargate.",
        ),
        (
            service(json!({"taskDefinition": "web"})),
            "Task definition does not support launch_type FARGATE.",
        ),
    ];
    for (body, message) in service_cases {
        h.rejects("CreateService", body, message).await;
    }
    // Tasks run through the API cannot be put on the pool's hosts, nor can anyone reach it.
    h.refuses("ListContainerInstances", json!({"cluster": POOL}), "ClusterNotFoundException", "")
        .await;
    let mut registration = crate::harness::registration(POOL);
    registration["attributes"] = json!([]);
    h.refuses("RegisterContainerInstance", registration, "ClusterNotFoundException", "").await;
}

#[tokio::test]
async fn fargate_tasks_run_on_the_pool_which_no_cluster_shows() {
    let (h, subnet) = fargate().await;
    let reply = h.call("RunTask", run(&subnet, json!({"count": 2}))).await.ok();
    let tasks = reply["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2, "{reply}");
    for task in tasks {
        assert_eq!(task["launchType"], "FARGATE");
        assert_eq!(task["capacityProviderName"], "FARGATE");
        assert_eq!(task["platformVersion"], "1.4.0", "LATEST is Berth's version");
        assert_eq!(task["platformFamily"], "Linux");
        assert_eq!(task["ephemeralStorage"]["sizeInGiB"], 20);
        assert_eq!(task["availabilityZone"], "us-east-1a");
        assert_eq!(task["cpu"], "256");
        assert_eq!(task["memory"], "512");
        assert!(task.get("containerInstanceArn").is_none(), "{task}");
        assert_eq!(task["attachments"][0]["type"], "ElasticNetworkInterface");
    }
    let cluster = h.describe_cluster("c").await;
    assert_eq!(cluster["registeredContainerInstancesCount"], 0);
    assert_eq!(cluster["pendingTasksCount"], 2);
    let instances = h.call("ListContainerInstances", json!({"cluster": "c"})).await.ok();
    assert_eq!(instances["containerInstanceArns"], json!([]));
    let clusters = h.call("ListClusters", json!({})).await.ok();
    assert_eq!(clusters["clusterArns"].as_array().unwrap().len(), 1, "{clusters}");
    let described = h.call("DescribeClusters", json!({"clusters": [POOL]})).await.ok();
    assert_eq!(described["clusters"], json!([]));
    assert_eq!(described["failures"][0]["reason"], "MISSING");
    // The tasks list and stop as the cluster's own.
    let listed = h.call("ListTasks", json!({"cluster": "c", "launchType": "FARGATE"})).await.ok();
    assert_eq!(listed["taskArns"].as_array().unwrap().len(), 2);
    let arn = tasks[0]["taskArn"].as_str().unwrap();
    let stopped = h.call("StopTask", json!({"cluster": "c", "task": arn})).await.ok();
    assert_eq!(stopped["task"]["desiredStatus"], "STOPPED");
}

#[tokio::test]
async fn a_strategy_divides_tasks_by_base_then_weight() {
    let (h, subnet) = fargate().await;
    pool_host(&h, "FARGATE_SPOT").await;
    let strategy = json!([{"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3}]);
    let body = run(
        &subnet,
        json!({"launchType": null, "count": 9,
        "capacityProviderStrategy": strategy, "clientToken": "nine"}),
    );
    let reply = h.call("RunTask", body.clone()).await.ok();
    let tasks = reply["tasks"].as_array().unwrap();
    let on =
        |provider: &str| tasks.iter().filter(|t| t["capacityProviderName"] == provider).count();
    assert_eq!((on("FARGATE"), on("FARGATE_SPOT")), (3, 6), "{reply}");
    // The same call again, with its client token: the same nine tasks, both shares.
    let arns = |reply: &Value| {
        let mut arns: Vec<String> = reply["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["taskArn"].as_str().unwrap().to_owned())
            .collect();
        arns.sort();
        arns
    };
    let again = h.call("RunTask", body).await.ok();
    assert_eq!(arns(&again), arns(&reply));
    // The cluster's default strategy serves a call that names neither.
    h.call(
        "PutClusterCapacityProviders",
        json!({"cluster": "c", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}),
    )
    .await
    .ok();
    let reply = h.call("RunTask", run(&subnet, json!({"launchType": null}))).await.ok();
    assert_eq!(reply["tasks"][0]["capacityProviderName"], "FARGATE_SPOT", "{reply}");
}

#[tokio::test]
async fn without_pool_capacity_fargate_tasks_fail_as_fargate_reports_it() {
    let h = Harness::new().await;
    h.call("CreateCluster", json!({"clusterName": "c", "capacityProviders": ["FARGATE"]}))
        .await
        .ok();
    fargate_definition(&h).await;
    // A cluster instance makes the zone's subnet, but it is not Fargate capacity.
    h.register_instance("c").await;
    let reply = h.call("RunTask", run(&first_subnet(&h).await, json!({"count": 2}))).await.ok();
    assert_eq!(reply["tasks"], json!([]));
    assert_eq!(
        reply["failures"][0]["reason"],
        "Capacity is unavailable at this time. Please try again later or in a different availability zone"
    );
}

#[tokio::test]
async fn reclaiming_spot_capacity_interrupts_the_tasks_there() {
    let (h, subnet) = fargate().await;
    pool_host(&h, "FARGATE_SPOT").await;
    let body = run(
        &subnet,
        json!({"launchType": null, "count": 5, "capacityProviderStrategy": [
        {"capacityProvider": "FARGATE", "base": 2, "weight": 0},
        {"capacityProvider": "FARGATE_SPOT", "weight": 1}]}),
    );
    let reply = h.call("RunTask", body).await.ok();
    let spot: Vec<String> = reply["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["capacityProviderName"] == "FARGATE_SPOT")
        .map(|t| t["taskArn"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(spot.len(), 3, "{reply}");
    h.berth("ReclaimSpotCapacity", json!({"hosts": 0})).await.invalid("between 1 and 100");
    let reclaimed = h.berth("ReclaimSpotCapacity", json!({})).await.ok();
    let mut interrupted: Vec<String> = reclaimed["interruptedTasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    interrupted.sort();
    let mut expected = spot.clone();
    expected.sort();
    assert_eq!(interrupted, expected, "only the Spot host's tasks");
    let described = h.call("DescribeTasks", json!({"cluster": "c", "tasks": spot})).await.ok();
    for task in described["tasks"].as_array().unwrap() {
        assert_eq!(task["desiredStatus"], "STOPPED");
        assert_eq!(task["stopCode"], "SpotInterruption");
        assert_eq!(task["stoppedReason"], "Your Spot Task was interrupted.");
    }
    // Nothing left to interrupt.
    let again = h.berth("ReclaimSpotCapacity", json!({})).await.ok();
    assert_eq!(again["interruptedTasks"], json!([]));
}

/// Writes what a pool agent would report of a task: its pull started at `start` and, with
/// `end`, that it stopped then.
async fn report_times(h: &Harness, arn: &str, start: f64, end: Option<f64>) {
    let id = arn.rsplit('/').next().unwrap();
    let key = format!("/tasks/c/{id}");
    let kv = h.ctx.store().get(&key).await.unwrap().unwrap();
    let mut record: Value = serde_json::from_slice(&kv.value).unwrap();
    record["task"]["pullStartedAt"] = json!(start);
    record["task"]["startedAt"] = json!(start + 1.0);
    record["task"]["lastStatus"] = json!("RUNNING");
    if let Some(end) = end {
        record["task"]["lastStatus"] = json!("STOPPED");
        record["task"]["stoppedAt"] = json!(end);
        record["task"]["executionStoppedAt"] = json!(end);
    }
    let txn = store::Txn::new().then(store::Op::put(&key, serde_json::to_vec(&record).unwrap()));
    h.ctx.store().txn(txn).await.unwrap();
    // Until the index has it.
    let want = record["task"]["lastStatus"].clone();
    for _ in 0..400 {
        let described = h.call("DescribeTasks", json!({"cluster": "c", "tasks": [arn]})).await.ok();
        if described["tasks"][0]["lastStatus"] == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("the index never showed {arn} {want}");
}

#[tokio::test]
async fn fargate_usage_is_metered_per_second_with_a_minute_at_least() {
    let (h, subnet) = fargate().await;
    pool_host(&h, "FARGATE_SPOT").await;
    let run_one = |extra: Value| {
        let h = &h;
        let subnet = subnet.clone();
        async move {
            let reply = h.call("RunTask", run(&subnet, extra)).await.ok();
            reply["tasks"][0]["taskArn"].as_str().unwrap().to_owned()
        }
    };
    let tagged = json!({"tags": [{"key": "team", "value": "blue"}]});
    let short = run_one(tagged.clone()).await;
    let long = run_one(tagged).await;
    let spot = run_one(json!({"launchType": null, "capacityProviderStrategy": [
        {"capacityProvider": "FARGATE_SPOT", "weight": 1}]}))
    .await;
    let never = run_one(json!({})).await;
    // 10 s is billed as a minute; 150 s as 150 s; the Spot task's 100 s apart; a task that
    // never pulled is not billed.
    report_times(&h, &short, 1000.0, Some(1010.0)).await;
    report_times(&h, &long, 1000.0, Some(1150.0)).await;
    report_times(&h, &spot, 1000.0, Some(1100.0)).await;
    let _ = never;
    let usage = h.berth("GetFargateUsage", json!({"groupBy": "TAG:team"})).await.ok();
    let groups = usage["groups"].as_array().unwrap();
    assert!(groups.len() >= 2, "{usage}");
    let blue = groups.iter().find(|g| g["key"] == "blue").expect("the blue team");
    assert_eq!(blue["tasks"], 2);
    assert_eq!(blue["billedSeconds"], 210.0);
    // 0.25 vCPU and 0.5 GB for 210 s.
    assert_eq!(blue["vcpuSeconds"], 52.5);
    assert_eq!(blue["gbSeconds"], 105.0);
    let untagged = groups.iter().find(|g| g["key"] == "-").expect("untagged");
    assert_eq!(untagged["spotVcpuSeconds"], 25.0);
    assert_eq!(untagged["vcpuSeconds"], 0.0);
    let cost = blue["cost"].as_f64().unwrap();
    let expected = 52.5 / 3600.0 * 0.04048 + 105.0 / 3600.0 * 0.004445;
    assert!((cost - expected).abs() < 1e-9, "{cost} != {expected}");
    let by_cluster = h.berth("GetFargateUsage", json!({"cluster": "c"})).await.ok();
    assert_eq!(by_cluster["groups"][0]["key"], "c");
    assert_eq!(by_cluster["groups"][0]["billedSeconds"], 310.0);
    // A range takes the part of each task's billed time within it.
    let window =
        h.berth("GetFargateUsage", json!({"startTime": 1000.0, "endTime": 1030.0})).await.ok();
    assert_eq!(window["groups"][0]["billedSeconds"], 90.0);
    h.berth("GetFargateUsage", json!({"groupBy": "COLOUR"})).await.invalid("groupBy must be");
    // Off by default: no metrics.
    assert_eq!(h.get("/metrics").await.0, 404);
}

#[tokio::test]
async fn fargate_usage_is_served_as_prometheus_counters_when_asked() {
    let raw = server::config::RawConfig {
        fargate: Some(server::config::RawFargate { usage_metrics: true, ..Default::default() }),
        ..Default::default()
    };
    let h = Harness::with_config(raw).await;
    h.call("CreateCluster", json!({"clusterName": "c", "capacityProviders": ["FARGATE"]}))
        .await
        .ok();
    fargate_definition(&h).await;
    pool_host(&h, "FARGATE").await;
    let reply = h.call("RunTask", run(&first_subnet(&h).await, json!({}))).await.ok();
    let arn = reply["tasks"][0]["taskArn"].as_str().unwrap().to_owned();
    report_times(&h, &arn, 1000.0, Some(1150.0)).await;
    let (status, text) = h.get("/metrics").await;
    assert_eq!(status, 200, "{text}");
    for line in [
        "# TYPE berth_fargate_vcpu_seconds_total counter",
        "berth_fargate_tasks_total{cluster=\"c\"} 1",
        "berth_fargate_billed_seconds_total{cluster=\"c\"} 150",
        "berth_fargate_vcpu_seconds_total{cluster=\"c\",capacity_provider=\"FARGATE\"} 37.5",
        "berth_fargate_gb_seconds_total{cluster=\"c\",capacity_provider=\"FARGATE\"} 75",
    ] {
        assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
    }
}

#[tokio::test]
async fn the_built_in_capacity_providers_are_described() {
    let h = Harness::new().await;
    let all = h.call("DescribeCapacityProviders", json!({"include": ["TAGS"]})).await.ok();
    let names: Vec<&str> = all["capacityProviders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["FARGATE", "FARGATE_SPOT"]);
    assert_eq!(all["capacityProviders"][0]["status"], "ACTIVE");
    assert_eq!(all["capacityProviders"][0]["tags"], json!([]));
    let arn = all["capacityProviders"][1]["capacityProviderArn"].as_str().unwrap().to_owned();
    assert!(arn.ends_with(":capacity-provider/FARGATE_SPOT"), "{arn}");
    let some =
        h.call("DescribeCapacityProviders", json!({"capacityProviders": [arn, "mine"]})).await.ok();
    assert_eq!(some["capacityProviders"].as_array().unwrap().len(), 1);
    assert_eq!(some["failures"][0]["arn"], "mine");
    assert_eq!(some["failures"][0]["reason"], "MISSING");
    h.rejects("DescribeCapacityProviders", json!({"maxResults": 11}), "between 1 and 10").await;
}

#[tokio::test]
async fn custom_capacity_providers_group_the_clusters_own_instances() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    let group = json!({"autoScalingGroupArn":
        "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/big"});
    let created = h
        .call(
            "CreateCapacityProvider",
            json!({"name": "big", "autoScalingGroupProvider": group,
                "tags": [{"key": "team", "value": "blue"}]}),
        )
        .await
        .ok();
    let arn = created["capacityProvider"]["capacityProviderArn"].as_str().unwrap().to_owned();
    assert!(arn.ends_with(":capacity-provider/big"), "{created}");
    h.refuses(
        "CreateCapacityProvider",
        json!({"name": "big", "autoScalingGroupProvider": group}),
        "ClientException",
        "already exists",
    )
    .await;
    // Tags, as on any taggable resource.
    h.call("TagResource", json!({"resourceArn": arn, "tags": [{"key": "env", "value": "prod"}]}))
        .await
        .ok();
    let tags = h.call("ListTagsForResource", json!({"resourceArn": arn})).await.ok();
    assert_eq!(tags["tags"].as_array().unwrap().len(), 2, "{tags}");
    // Two instances, one of them in the provider.
    let mut registration = crate::harness::registration("c");
    registration["attributes"] = json!([{"name": "berth.capacity-provider", "value": "big"}]);
    let reply =
        h.call_with_token("RegisterContainerInstance", registration, &h.agent_token("c")).await;
    let big = reply.ok()["containerInstance"].clone();
    assert_eq!(big["capacityProviderName"], "big");
    let other = h.register_instance("c").await;
    let strategy = json!([{"capacityProvider": "big", "weight": 1}]);
    h.rejects(
        "RunTask",
        json!({"cluster": "c", "taskDefinition": "web", "capacityProviderStrategy": strategy}),
        "not associated with the cluster",
    )
    .await;
    h.call(
        "PutClusterCapacityProviders",
        json!({"cluster": "c", "capacityProviders": ["big"], "defaultCapacityProviderStrategy": []}),
    )
    .await
    .ok();
    let reply = h
        .call(
            "RunTask",
            json!({"cluster": "c", "taskDefinition": "web", "count": 3,
                "capacityProviderStrategy": strategy}),
        )
        .await
        .ok();
    let tasks = reply["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3, "{reply}");
    for task in tasks {
        assert_eq!(task["capacityProviderName"], "big");
        assert_eq!(task["launchType"], "EC2");
        assert_eq!(task["containerInstanceArn"], big["containerInstanceArn"], "not on {other:?}");
    }
    // Its one instance holds the tasks: 100%. A second, idle instance makes it 50%.
    let full = reservation(&h).await;
    assert_eq!((full["instances"].clone(), full["reservation"].clone()), (json!(1), json!(100.0)));
    let mut second = crate::harness::registration("c");
    second["attributes"] = json!([{"name": "berth.capacity-provider", "value": "big"}]);
    h.call_with_token("RegisterContainerInstance", second, &h.agent_token("c")).await.ok();
    let half = reservation(&h).await;
    assert_eq!(
        (half["instancesNeeded"].clone(), half["reservation"].clone()),
        (json!(1), json!(50.0))
    );
    // In use by a cluster: not deleted; once disassociated, deleted.
    h.refuses(
        "DeleteCapacityProvider",
        json!({"capacityProvider": "big"}),
        "ClientException",
        "in use",
    )
    .await;
    h.call(
        "PutClusterCapacityProviders",
        json!({"cluster": "c", "capacityProviders": [], "defaultCapacityProviderStrategy": []}),
    )
    .await
    .ok();
    let deleted = h.call("DeleteCapacityProvider", json!({"capacityProvider": arn})).await.ok();
    assert_eq!(deleted["capacityProvider"]["status"], "INACTIVE");
    let described =
        h.call("DescribeCapacityProviders", json!({"capacityProviders": ["big"]})).await.ok();
    assert_eq!(described["failures"][0]["reason"], "MISSING");
}

/// Cluster `c`'s first custom provider's reservation.
async fn reservation(h: &Harness) -> Value {
    let reply = h.berth("GetCapacityProviderReservation", json!({"cluster": "c"})).await.ok();
    reply["providers"][0].clone()
}
