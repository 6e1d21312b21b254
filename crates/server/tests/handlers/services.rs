//! CreateService, UpdateService, DeleteService, DescribeServices, ListServices,
//! DescribeServiceDeployments and ListServiceDeployments.

use serde_json::{Value, json};

use server::config::{Quotas, RawConfig};

use crate::harness::{Harness, arn};

/// Cluster `c` with the definition `web:1`.
async fn cluster() -> Harness {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    h
}

/// A CreateService request for `web` in `c` with `extra` members.
fn create(extra: Value) -> Value {
    let mut body = json!({"cluster": "c", "serviceName": "web", "taskDefinition": "web",
        "desiredCount": 1});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn list_services(h: &Harness) -> Value {
    h.call("ListServices", json!({"cluster": "c"})).await.ok()["serviceArns"].clone()
}

/// What an update could change, as DescribeServices shows it.
fn settings(service: &Value) -> Value {
    json!({
        "status": service["status"],
        "desiredCount": service["desiredCount"],
        "taskDefinition": service["taskDefinition"],
        "deploymentConfiguration": service["deploymentConfiguration"],
        "placementConstraints": service["placementConstraints"],
        "placementStrategy": service["placementStrategy"],
        "healthCheckGracePeriodSeconds": service["healthCheckGracePeriodSeconds"],
        "deployments": service["deployments"].as_array().unwrap().iter()
            .map(|d| json!([d["id"], d["status"], d["desiredCount"], d["taskDefinition"]]))
            .collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn create_service_refuses_missing_and_invalid_members() {
    let h = cluster().await;
    h.rejects("CreateService", json!({"cluster": "c"}), "Missing required parameter: serviceName.")
        .await;
    h.refuses("CreateService", create(json!({"cluster": "nope"})), "ClusterNotFoundException", "")
        .await;
    let name_rule = "Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.";
    for name in ["", "web app", "web/1", &"s".repeat(256)] {
        h.rejects("CreateService", create(json!({"serviceName": name})), name_rule).await;
    }
    let cases = [
        (
            json!({"desiredCount": null}),
            "desiredCount is required for a service with the REPLICA scheduling strategy.",
        ),
        (json!({"desiredCount": -1}), "desiredCount must be between 0 and 5000; got -1."),
        (json!({"desiredCount": 5001}), "desiredCount must be between 0 and 5000; got 5001."),
        (json!({"desiredCount": "1"}), "desiredCount: expected an integer, got a string"),
        (
            json!({"healthCheckGracePeriodSeconds": -1}),
            "healthCheckGracePeriodSeconds must not be negative.",
        ),
        (json!({"clientToken": ""}), "clientToken must be 1 to 36 ASCII characters."),
        (json!({"clientToken": "t".repeat(37)}), "clientToken must be 1 to 36 ASCII characters."),
        (json!({"clientToken": "two words"}), "clientToken must be 1 to 36 ASCII characters."),
        (json!({"taskDefinition": null}), "taskDefinition is required."),
        (json!({"taskDefinition": "web:0"}), "Invalid task definition \"web:0\""),
        (
            json!({"schedulingStrategy": "SINGLETON"}),
            "Invalid value \"SINGLETON\" for parameter schedulingStrategy: valid values are REPLICA, DAEMON.",
        ),
        (json!({"launchType": "LAMBDA"}), "Invalid value \"LAMBDA\" for parameter launchType"),
        (json!({"tags": [{"key": "aws:x", "value": "v"}]}), "reserved prefix aws:"),
        (
            json!({"deploymentConfiguration": {"minimumHealthyPercent": 150}}),
            "minimumHealthyPercent must be between 0 and 100; got 150.",
        ),
        (
            json!({"deploymentConfiguration": {"minimumHealthyPercent": -1}}),
            "minimumHealthyPercent must be between 0 and 100; got -1.",
        ),
        (
            json!({"deploymentConfiguration": {"maximumPercent": 50}}),
            "maximumPercent must be at least 100; got 50.",
        ),
        (
            json!({"deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true}}}),
            "Missing required parameter: deploymentConfiguration.deploymentCircuitBreaker.rollback.",
        ),
        (
            json!({"schedulingStrategy": "DAEMON", "deploymentConfiguration": {"maximumPercent": 200}}),
            "The maximumPercent of a DAEMON service must be 100.",
        ),
        (
            json!({"schedulingStrategy": "DAEMON", "placementStrategy": [{"type": "random"}]}),
            "Placement strategies are not supported with the DAEMON scheduling strategy.",
        ),
        (
            json!({"placementConstraints": [{"type": "memberOf"}]}),
            "The memberOf placement constraint requires an expression.",
        ),
        (
            json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:x =="}]}),
            "Invalid memberOf expression",
        ),
        (
            json!({"placementConstraints": [{"type": "distinctInstance", "expression": "x"}]}),
            "The distinctInstance placement constraint does not take an expression.",
        ),
        (
            json!({"placementConstraints": [{"expression": "attribute:x == y"}]}),
            "A placement constraint needs a type.",
        ),
        (
            json!({"placementStrategy": [{"type": "binpack"}]}),
            "The binpack placement strategy requires a field: cpu or memory.",
        ),
        (
            json!({"placementStrategy": [{"type": "binpack", "field": "disk"}]}),
            "Invalid field \"disk\" for the binpack placement strategy",
        ),
        (
            json!({"placementStrategy": [{"type": "spread", "field": "rack"}]}),
            "Invalid field \"rack\" for the spread placement strategy",
        ),
        (
            json!({"placementStrategy": [{"type": "random", "field": "cpu"}]}),
            "The random placement strategy does not take a field.",
        ),
        (json!({"placementStrategy": [{"field": "cpu"}]}), "A placement strategy needs a type."),
        (
            json!({"placementStrategy": vec![json!({"type": "random"}); 6]}),
            "At most 5 placement strategies are allowed; got 6.",
        ),
    ];
    for (extra, fragment) in cases {
        h.rejects("CreateService", create(extra), fragment).await;
    }
    assert_eq!(list_services(&h).await, json!([]));
}

#[tokio::test]
async fn create_service_refuses_what_berth_does_not_support() {
    let h = cluster().await;
    let unsupported = [
        (
            json!({"deploymentController": {"type": "CODE_DEPLOY"}}),
            "Berth does not support the CODE_DEPLOY deployment controller yet.",
        ),
        (
            json!({"deploymentConfiguration": {"strategy": "BLUE_GREEN"}}),
            "Berth supports the ROLLING deployment strategy only.",
        ),
    ];
    for (extra, fragment) in unsupported {
        h.refuses("CreateService", create(extra), "UnsupportedFeatureException", fragment).await;
    }
    // Empty lists ask for nothing unsupported.
    h.call(
        "CreateService",
        create(
            json!({"loadBalancers": [], "capacityProviderStrategy": [], "serviceRegistries": []}),
        ),
    )
    .await
    .ok();
}

#[tokio::test]
async fn create_service_refuses_task_definitions_it_cannot_run() {
    let h = cluster().await;
    let deregistered = h.register_definition("old").await;
    h.call("DeregisterTaskDefinition", json!({"taskDefinition": deregistered})).await.ok();
    h.register_definition_with(json!({"family": "vpc", "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}))
        .await;
    h.register_definition_with(json!({"family": "root", "containerDefinitions": [
        {"name": "app", "image": "busybox", "memory": 64, "privileged": true}]}))
        .await;
    h.register_definition_with(json!({"family": "hostnet", "networkMode": "host",
        "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}))
        .await;
    let cases = [
        ("db", "ClientException", "TaskDefinition not found: db."),
        ("web:2", "ClientException", "TaskDefinition not found: web:2."),
        ("old:1", "ClientException", "TaskDefinition is inactive: old:1."),
        // A family whose revisions are all inactive has no revision to run.
        ("old", "ClientException", "TaskDefinition not found: old."),
        (
            "vpc",
            "InvalidParameterException",
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ),
        (
            "root",
            "ClientException",
            "Container app is privileged, and cluster c does not allow privileged containers.",
        ),
        (
            "hostnet",
            "ClientException",
            "The task uses the host network mode, and cluster c does not allow the host network.",
        ),
    ];
    for (definition, code, fragment) in cases {
        h.refuses("CreateService", create(json!({"taskDefinition": definition})), code, fragment)
            .await;
    }
    assert_eq!(list_services(&h).await, json!([]));
}

#[tokio::test]
async fn create_service_is_idempotent_only_with_the_same_client_token_and_request() {
    let h = Harness::with_config(RawConfig {
        quotas: Some(Quotas { services_per_cluster: 1, ..Quotas::default() }),
        ..RawConfig::default()
    })
    .await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    let first = h.call("CreateService", create(json!({"clientToken": "t1"}))).await.ok();
    let before = settings(&h.describe_service("c", "web").await);
    // The same request with the same token is the same service.
    let again = h.call("CreateService", create(json!({"clientToken": "t1"}))).await.ok();
    assert_eq!(again["service"]["serviceArn"], first["service"]["serviceArn"]);
    let not_idempotent = "Creation of service was not idempotent.";
    h.rejects("CreateService", create(json!({})), not_idempotent).await;
    h.rejects("CreateService", create(json!({"clientToken": "t2"})), not_idempotent).await;
    h.rejects(
        "CreateService",
        create(json!({"clientToken": "t1", "desiredCount": 2})),
        not_idempotent,
    )
    .await;
    assert_eq!(settings(&h.describe_service("c", "web").await), before);
    // CreateService's model has no LimitExceededException: a quota is a ClientException.
    h.refuses(
        "CreateService",
        create(json!({"serviceName": "api"})),
        "ClientException",
        "Cluster c has reached its limit of 1 services.",
    )
    .await;
    assert_eq!(list_services(&h).await, json!([arn("service/c/web")]));
}

#[tokio::test]
async fn update_service_refuses_and_leaves_the_service_as_it_was() {
    let h = cluster().await;
    h.create_cluster("d").await;
    h.create_service("c", "web", "web", 1).await;
    let before = settings(&h.describe_service("c", "web").await);
    let update = |extra: Value| {
        let mut body = json!({"cluster": "c", "service": "web"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    h.rejects("UpdateService", json!({"cluster": "c"}), "Missing required parameter: service.")
        .await;
    h.refuses(
        "UpdateService",
        json!({"cluster": "nope", "service": "web"}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    for service in ["api", &arn("service/d/web"), "arn:aws:ecs:us-east-1:000000000000:service/web2"]
    {
        h.refuses(
            "UpdateService",
            json!({"cluster": "c", "service": service, "desiredCount": 2}),
            "ServiceNotFoundException",
            "Service not found.",
        )
        .await;
    }
    h.rejects(
        "UpdateService",
        update(json!({"service": arn("task/c/web")})),
        "is not a service ARN",
    )
    .await;
    let invalid = [
        (json!({"desiredCount": -1}), "desiredCount must be between 0 and 5000; got -1."),
        (json!({"desiredCount": 5001}), "desiredCount must be between 0 and 5000; got 5001."),
        (
            json!({"healthCheckGracePeriodSeconds": -5}),
            "healthCheckGracePeriodSeconds must not be negative.",
        ),
        (
            json!({"deploymentConfiguration": {"maximumPercent": 99}}),
            "maximumPercent must be at least 100; got 99.",
        ),
        (
            json!({"placementStrategy": [{"type": "spread"}]}),
            "The spread placement strategy requires a field",
        ),
        (
            json!({"placementConstraints": [{"type": "memberOf", "expression": "(("}]}),
            "Invalid memberOf expression",
        ),
        (json!({"taskDefinition": "web:x"}), "Invalid task definition \"web:x\""),
        (json!({"forceNewDeployment": "yes"}), "forceNewDeployment: expected a boolean"),
        // Together with a valid change, an invalid one refuses the whole update.
        (json!({"desiredCount": 3, "healthCheckGracePeriodSeconds": -1}), "must not be negative"),
    ];
    for (extra, fragment) in invalid {
        h.rejects("UpdateService", update(extra), fragment).await;
    }
    h.refuses(
        "UpdateService",
        update(json!({"taskDefinition": "db", "desiredCount": 3})),
        "ClientException",
        "TaskDefinition not found: db.",
    )
    .await;
    let unsupported = [
        (
            json!({"deploymentController": {"type": "EXTERNAL"}}),
            "a service's deployment controller",
        ),
        (
            json!({"deploymentConfiguration": {"strategy": "LINEAR"}}),
            "ROLLING deployment strategy only",
        ),
    ];
    for (extra, fragment) in unsupported {
        h.refuses("UpdateService", update(extra), "UnsupportedFeatureException", fragment).await;
    }
    assert_eq!(settings(&h.describe_service("c", "web").await), before);
}

#[tokio::test]
async fn update_service_refuses_a_daemon_placement_strategy_and_an_inactive_service() {
    let h = cluster().await;
    h.call(
        "CreateService",
        json!({"cluster": "c", "serviceName": "agent", "taskDefinition": "web",
            "schedulingStrategy": "DAEMON"}),
    )
    .await
    .ok();
    h.rejects(
        "UpdateService",
        json!({"cluster": "c", "service": "agent", "placementStrategy": [{"type": "random"}]}),
        "Placement strategies are not supported with the DAEMON scheduling strategy.",
    )
    .await;
    h.rejects(
        "UpdateService",
        json!({"cluster": "c", "service": "agent", "deploymentConfiguration": {"maximumPercent": 200}}),
        "The maximumPercent of a DAEMON service must be 100.",
    )
    .await;
    h.call("DeleteService", json!({"cluster": "c", "service": "agent"})).await.ok();
    h.refuses(
        "UpdateService",
        json!({"cluster": "c", "service": "agent", "desiredCount": 1}),
        "ServiceNotActiveException",
        "Service was not ACTIVE.",
    )
    .await;
    assert_eq!(h.describe_service("c", "agent").await["status"], "DRAINING");
}

#[tokio::test]
async fn delete_service_refuses_a_scaled_or_inactive_service() {
    let h = cluster().await;
    h.create_service("c", "web", "web", 2).await;
    h.rejects("DeleteService", json!({"cluster": "c"}), "Missing required parameter: service.")
        .await;
    h.refuses(
        "DeleteService",
        json!({"cluster": "nope", "service": "web"}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.refuses(
        "DeleteService",
        json!({"cluster": "c", "service": "api"}),
        "ServiceNotFoundException",
        "Service not found.",
    )
    .await;
    for force in [json!(null), json!(false)] {
        h.rejects(
            "DeleteService",
            json!({"cluster": "c", "service": "web", "force": force}),
            "The service cannot be stopped while it is scaled above 0.",
        )
        .await;
    }
    let service = h.describe_service("c", "web").await;
    assert_eq!((&service["status"], &service["desiredCount"]), (&json!("ACTIVE"), &json!(2)));
    h.call("DeleteService", json!({"cluster": "c", "service": "web", "force": true})).await.ok();
    // DeleteService's model has no ServiceNotActiveException (UpdateService's has).
    h.refuses(
        "DeleteService",
        json!({"cluster": "c", "service": "web", "force": true}),
        "ClientException",
        "Service was not ACTIVE.",
    )
    .await;
}

#[tokio::test]
async fn describe_and_list_services_refuse_bad_requests() {
    let h = cluster().await;
    h.create_service("c", "web", "web", 0).await;
    h.rejects("DescribeServices", json!({"cluster": "c"}), "Missing required parameter: services.")
        .await;
    h.rejects(
        "DescribeServices",
        json!({"cluster": "c", "services": "web"}),
        "services: expected a list, got a string",
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|i| format!("s{i}")).collect();
    h.rejects(
        "DescribeServices",
        json!({"cluster": "c", "services": eleven}),
        "DescribeServices accepts at most 10 services.",
    )
    .await;
    h.refuses(
        "DescribeServices",
        json!({"cluster": "nope", "services": ["web"]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.rejects(
        "DescribeServices",
        json!({"cluster": "c", "services": ["web"], "include": ["EVENTS"]}),
        "Invalid value \"EVENTS\" for parameter include[0]: valid values are TAGS.",
    )
    .await;
    h.rejects("DescribeServices", json!({"cluster": "c", "services": ["arn:"]}), "Invalid ARN")
        .await;
    let described = h
        .call(
            "DescribeServices",
            json!({"cluster": "c", "services": ["web", "api", arn("service/d/web")]}),
        )
        .await
        .ok();
    assert_eq!(described["services"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        described["failures"],
        json!([
            {"arn": arn("service/c/api"), "reason": "MISSING"},
            {"arn": arn("service/d/web"), "reason": "MISSING"}
        ])
    );

    h.refuses("ListServices", json!({"cluster": "nope"}), "ClusterNotFoundException", "").await;
    h.rejects(
        "ListServices",
        json!({"cluster": "c", "maxResults": 0}),
        "maxResults must be between 1 and 100; got 0.",
    )
    .await;
    h.rejects(
        "ListServices",
        json!({"cluster": "c", "nextToken": "nope"}),
        "The nextToken is invalid.",
    )
    .await;
    h.rejects(
        "ListServices",
        json!({"cluster": "c", "maxResults": "10"}),
        "maxResults: expected an integer, got a string",
    )
    .await;
    h.rejects(
        "ListServices",
        json!({"cluster": "c", "schedulingStrategy": "replica"}),
        "Invalid value \"replica\" for parameter schedulingStrategy",
    )
    .await;
}

#[tokio::test]
async fn service_deployments_refuse_bad_requests() {
    let h = cluster().await;
    h.create_service("c", "web", "web", 0).await;
    h.rejects(
        "DescribeServiceDeployments",
        json!({}),
        "Missing required parameter: serviceDeploymentArns.",
    )
    .await;
    let too_many: Vec<String> =
        (0..21).map(|i| arn(&format!("service-deployment/c/web/{i}"))).collect();
    for list in [json!([]), json!(too_many)] {
        h.rejects(
            "DescribeServiceDeployments",
            json!({"serviceDeploymentArns": list}),
            "serviceDeploymentArns must list between 1 and 20 ARNs.",
        )
        .await;
    }
    h.rejects(
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": ["arn:bad"]}),
        "Invalid ARN",
    )
    .await;
    h.rejects(
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": arn("service-deployment/c/web/1")}),
        "serviceDeploymentArns: expected a list, got a string",
    )
    .await;
    h.rejects(
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": ["web"]}),
        "Invalid ARN: web",
    )
    .await;
    // Well-formed ARNs that name no deployment are failures of an answer that succeeds.
    let unknown = [
        arn("service-deployment/c/web/1"),
        arn("service-deployment/c/api/1"),
        arn("service-deployment/nope/web/1"),
        arn("service/c/web"),
        "arn:aws:ecs:eu-west-1:000000000000:service-deployment/c/web/1".to_owned(),
    ];
    let described =
        h.call("DescribeServiceDeployments", json!({"serviceDeploymentArns": unknown})).await.ok();
    assert_eq!(described["serviceDeployments"], json!([]));
    let failures: Vec<Value> =
        unknown.iter().map(|arn| json!({"arn": arn, "reason": "MISSING"})).collect();
    assert_eq!(described["failures"], json!(failures));

    h.rejects(
        "ListServiceDeployments",
        json!({"cluster": "c"}),
        "Missing required parameter: service.",
    )
    .await;
    h.refuses(
        "ListServiceDeployments",
        json!({"cluster": "nope", "service": "web"}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.refuses(
        "ListServiceDeployments",
        json!({"cluster": "c", "service": "api"}),
        "ServiceNotFoundException",
        "Service not found.",
    )
    .await;
    for bad in [0, 101] {
        h.rejects(
            "ListServiceDeployments",
            json!({"cluster": "c", "service": "web", "maxResults": bad}),
            &format!("maxResults must be between 1 and 100; got {bad}."),
        )
        .await;
    }
    h.rejects(
        "ListServiceDeployments",
        json!({"cluster": "c", "service": "web", "status": ["DONE"]}),
        "Invalid value \"DONE\" for parameter status[0]",
    )
    .await;
    h.rejects(
        "ListServiceDeployments",
        json!({"cluster": "c", "service": "web", "createdAt": {"after": "monday"}}),
        "createdAt.after: expected a timestamp in epoch seconds",
    )
    .await;
    h.rejects(
        "ListServiceDeployments",
        json!({"cluster": "c", "service": "web", "nextToken": "zzz"}),
        "The nextToken is invalid.",
    )
    .await;
}

#[tokio::test]
async fn service_revisions_and_stopping_deployments_refuse_what_ecs_refuses() {
    let h = cluster().await;
    h.create_service("c", "web", "web", 1).await;
    let listed =
        h.call("ListServiceDeployments", json!({"cluster": "c", "service": "web"})).await.ok();
    let deployment = listed["serviceDeployments"][0]["serviceDeploymentArn"].as_str().unwrap();
    let revision = listed["serviceDeployments"][0]["targetServiceRevisionArn"].as_str().unwrap();
    h.rejects(
        "DescribeServiceRevisions",
        json!({"serviceRevisionArns": []}),
        "serviceRevisionArns must list between 1 and 20 ARNs.",
    )
    .await;
    let many: Vec<&str> = (0..21).map(|_| revision).collect();
    h.rejects(
        "DescribeServiceRevisions",
        json!({"serviceRevisionArns": many}),
        "serviceRevisionArns must list between 1 and 20 ARNs.",
    )
    .await;
    let described = h
        .call("DescribeServiceRevisions", json!({"serviceRevisionArns": [revision, deployment]}))
        .await
        .ok();
    assert_eq!(described["serviceRevisions"][0]["serviceRevisionArn"], revision);
    assert!(
        described["serviceRevisions"][0]["taskDefinition"].as_str().unwrap().ends_with("web:1")
    );
    // A deployment's ARN is not a revision's.
    assert_eq!(described["failures"][0]["reason"], "MISSING");
    let unknown = deployment.replace("/web/", "/nope/");
    h.refuses(
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": unknown}),
        "ServiceDeploymentNotFoundException",
        "was not found",
    )
    .await;
    // The first deployment, still in progress, has nothing to roll back to.
    h.refuses(
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": deployment}),
        "ConflictException",
        "no earlier completed deployment",
    )
    .await;
    h.refuses(
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": deployment, "stopType": "ABORT"}),
        "UnsupportedFeatureException",
        "ROLLBACK",
    )
    .await;
    h.rejects(
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": deployment, "stopType": "PAUSE"}),
        "stopType",
    )
    .await;
}

#[tokio::test]
async fn a_service_keeps_its_role_registries_and_alarms_as_given() {
    let h = cluster().await;
    let registry =
        json!([{"registryArn": "arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1"}]);
    let alarms = json!({"alarmNames": ["high-cpu"], "enable": true, "rollback": true});
    let created = h
        .call(
            "CreateService",
            create(json!({"role": "arn:aws:iam::000000000000:role/ecsServiceRole",
                "serviceRegistries": registry, "deploymentConfiguration": {"alarms": alarms}})),
        )
        .await
        .ok();
    let service = &created["service"];
    assert_eq!(service["roleArn"], "arn:aws:iam::000000000000:role/ecsServiceRole");
    assert_eq!(service["serviceRegistries"], registry);
    assert_eq!(service["deploymentConfiguration"]["alarms"], alarms);
    let described =
        h.call("DescribeServices", json!({"cluster": "c", "services": ["web"]})).await.ok();
    assert_eq!(described["services"][0]["serviceRegistries"], registry);
    assert_eq!(described["services"][0]["deploymentConfiguration"]["alarms"], alarms);
    let other =
        json!([{"registryArn": "arn:aws:servicediscovery:us-east-1:000000000000:service/srv-2"}]);
    let updated = h
        .call(
            "UpdateService",
            json!({"cluster": "c", "service": "web", "serviceRegistries": other}),
        )
        .await
        .ok();
    assert_eq!(updated["service"]["serviceRegistries"], other);
}

#[tokio::test]
async fn task_sets_refuse_what_ecs_refuses_and_write_nothing() {
    let h = cluster().await;
    h.call(
        "CreateService",
        json!({"cluster": "c", "serviceName": "ext", "desiredCount": 2,
            "deploymentController": {"type": "EXTERNAL"}}),
    )
    .await
    .ok();
    let set = |extra: Value| {
        let mut body = json!({"cluster": "c", "service": "ext", "taskDefinition": "web:1"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    h.rejects(
        "CreateTaskSet",
        set(json!({"scale": {"value": 150, "unit": "PERCENT"}})),
        "scale.value",
    )
    .await;
    h.refuses(
        "CreateTaskSet",
        set(json!({"taskDefinition": "nope:1"})),
        "ClientException",
        "TaskDefinition not found",
    )
    .await;
    let created = h.call("CreateTaskSet", set(json!({"externalId": "a"}))).await.ok();
    let id = created["taskSet"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["taskSet"]["status"], "PRIMARY");
    assert_eq!(created["taskSet"]["computedDesiredCount"], 2);
    h.refuses(
        "UpdateTaskSet",
        json!({"cluster": "c", "service": "ext", "taskSet": "ecs-svc/1", "scale": {"value": 10}}),
        "TaskSetNotFoundException",
        "does not exist",
    )
    .await;
    h.rejects(
        "DeleteTaskSet",
        json!({"cluster": "c", "service": "ext", "taskSet": id}),
        "scaled to 0 before it is deleted",
    )
    .await;
    let described = h
        .call(
            "DescribeTaskSets",
            json!({"cluster": "c", "service": "ext", "taskSets": [id, "ecs-svc/1"]}),
        )
        .await
        .ok();
    assert_eq!(described["taskSets"][0]["id"], id.as_str());
    assert_eq!(described["failures"][0]["reason"], "MISSING");
    // An EXTERNAL service changes its definition through task sets only.
    h.rejects(
        "UpdateService",
        json!({"cluster": "c", "service": "ext", "taskDefinition": "web:1"}),
        "use CreateTaskSet",
    )
    .await;
    let service =
        h.call("DescribeServices", json!({"cluster": "c", "services": ["ext"]})).await.ok();
    assert_eq!(service["services"][0]["taskSets"][0]["id"], id.as_str());
    assert_eq!(service["services"][0]["deploymentController"]["type"], "EXTERNAL");
}

#[tokio::test]
async fn task_sets_are_tagged_by_their_arn() {
    let h = cluster().await;
    h.call(
        "CreateService",
        json!({"cluster": "c", "serviceName": "ext", "desiredCount": 1,
            "deploymentController": {"type": "EXTERNAL"}}),
    )
    .await
    .ok();
    let created = h
        .call(
            "CreateTaskSet",
            json!({"cluster": "c", "service": "ext", "taskDefinition": "web:1",
                "tags": [{"key": "color", "value": "blue"}]}),
        )
        .await
        .ok();
    let set_arn = created["taskSet"]["taskSetArn"].as_str().unwrap().to_owned();
    assert!(set_arn.contains(":task-set/c/ext/ecs-svc/"), "{set_arn}");
    h.call("TagResource", json!({"resourceArn": set_arn, "tags": [{"key": "team", "value": "a"}]}))
        .await
        .ok();
    h.call("UntagResource", json!({"resourceArn": set_arn, "tagKeys": ["color"]})).await.ok();
    let listed = h.call("ListTagsForResource", json!({"resourceArn": set_arn})).await.ok();
    assert_eq!(listed["tags"], json!([{"key": "team", "value": "a"}]));
    let described = h
        .call("DescribeTaskSets", json!({"cluster": "c", "service": "ext", "include": ["TAGS"]}))
        .await
        .ok();
    assert_eq!(described["taskSets"][0]["tags"], json!([{"key": "team", "value": "a"}]));
    let unknown = set_arn.replace("ecs-svc/", "ecs-svc/9");
    h.refuses(
        "TagResource",
        json!({"resourceArn": unknown, "tags": [{"key": "k", "value": "v"}]}),
        "ResourceNotFoundException",
        "could not be found",
    )
    .await;
}
