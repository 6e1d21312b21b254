//! Tasks in the `awsvpc` network mode: the network configuration RunTask, StartTask and
//! CreateService take, as ECS checks it, and the interface each task gets.

use serde_json::{Value, json};

use crate::harness::Harness;

/// Cluster `c` with one instance in `us-east-1a` (whose subnet the VPC makes on registration),
/// the bridge definition `web` and the awsvpc definition `vpc`; and the zone's subnet id.
async fn cluster() -> (Harness, String) {
    let (h, subnet, _) = cluster_with_token().await;
    (h, subnet)
}

/// [`cluster`], and the instance's agent token.
async fn cluster_with_token() -> (Harness, String, String) {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    h.register_definition_with(json!({"family": "vpc", "networkMode": "awsvpc",
        "containerDefinitions": [
            {"name": "app", "image": "busybox", "memory": 64,
             "portMappings": [{"containerPort": 8080}]},
            {"name": "side", "image": "busybox", "memory": 64}]}))
        .await;
    let mut registration = crate::harness::registration("c");
    registration["attributes"] = json!([{"name": "ecs.capability.task-eni"}]);
    let reply =
        h.call_with_token("RegisterContainerInstance", registration, &h.agent_token("c")).await;
    let token = reply.instance_token.clone().expect("an instance token");
    reply.ok();
    let subnets = h.ctx.store().range("/vpc/subnets/", Default::default()).await.unwrap();
    assert_eq!(subnets.kvs.len(), 1, "one subnet for the instance's zone");
    let subnet: Value = serde_json::from_slice(&subnets.kvs[0].value).unwrap();
    assert_eq!(subnet["zone"], "us-east-1a");
    (h, subnet["id"].as_str().unwrap().to_owned(), token)
}

fn awsvpc(subnets: Value, extra: Value) -> Value {
    let mut configuration = json!({"subnets": subnets});
    for (key, value) in extra.as_object().unwrap() {
        configuration[key] = value.clone();
    }
    json!({"awsvpcConfiguration": configuration})
}

#[tokio::test]
async fn bad_network_configurations_are_refused_and_write_nothing() {
    let (h, subnet) = cluster().await;
    let run = |definition: &str, network: Option<Value>| {
        let mut body = json!({"cluster": "c", "taskDefinition": definition});
        if let Some(network) = network {
            body["networkConfiguration"] = network;
        }
        body
    };
    let seventeen: Vec<String> = (0..17).map(|_| subnet.clone()).collect();
    let six: Vec<String> = (0..6).map(|i| format!("sg-{i:017x}")).collect();
    let cases = [
        (
            run("vpc", None),
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ),
        (
            run("web", Some(awsvpc(json!([subnet]), json!({})))),
            "Network Configuration is not valid for the given networkMode of this task definition.",
        ),
        (run("vpc", Some(awsvpc(json!([]), json!({})))), "subnets can not be empty."),
        (run("vpc", Some(awsvpc(json!(seventeen), json!({})))), "At most 16 subnets"),
        (
            run("vpc", Some(awsvpc(json!([subnet]), json!({"securityGroups": six})))),
            "At most 5 security groups",
        ),
        (
            run("vpc", Some(awsvpc(json!(["subnet-0000000000000000f"]), json!({})))),
            "The subnet ID 'subnet-0000000000000000f' does not exist.",
        ),
        (
            run(
                "vpc",
                Some(awsvpc(json!([subnet]), json!({"securityGroups": ["sg-0000000000000000f"]}))),
            ),
            "The security group 'sg-0000000000000000f' does not exist.",
        ),
        (
            run("vpc", Some(awsvpc(json!([subnet]), json!({"assignPublicIp": "ENABLED"})))),
            "Assign public IP is not supported for this launch type.",
        ),
    ];
    for (body, message) in cases {
        h.rejects("RunTask", body.clone(), message).await;
        let mut service = body.clone();
        service["serviceName"] = json!("s");
        service["desiredCount"] = json!(1);
        h.rejects("CreateService", service, message).await;
    }
}

#[tokio::test]
async fn awsvpc_tasks_get_their_own_address_and_an_eni_attachment() {
    let (h, subnet) = cluster().await;
    let body = json!({"cluster": "c", "taskDefinition": "vpc", "count": 3,
        "networkConfiguration": awsvpc(json!([subnet]), json!({}))});
    let reply = h.call("RunTask", body).await.ok();
    let tasks = reply["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3, "{reply}");
    let mut addresses = Vec::new();
    for task in tasks {
        assert_eq!(task["lastStatus"], "PROVISIONING");
        let attachment = &task["attachments"][0];
        assert_eq!(attachment["type"], "ElasticNetworkInterface");
        assert_eq!(attachment["status"], "PRECREATED");
        let detail = |name: &str| {
            attachment["details"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["name"] == name)
                .map(|d| d["value"].as_str().unwrap().to_owned())
                .unwrap_or_else(|| panic!("no {name} in {attachment}"))
        };
        assert_eq!(detail("subnetId"), subnet);
        assert!(detail("networkInterfaceId").starts_with("eni-"));
        assert_eq!(detail("macAddress").len(), 17);
        let address = detail("privateIPv4Address");
        assert!(address.starts_with("172.31."), "{address}");
        assert_eq!(
            detail("privateDnsName"),
            format!("ip-{}.ec2.internal", address.replace('.', "-"))
        );
        for container in task["containers"].as_array().unwrap() {
            assert_eq!(container["networkInterfaces"][0]["privateIpv4Address"], address.as_str());
            assert_eq!(container["networkInterfaces"][0]["attachmentId"], attachment["id"]);
        }
        addresses.push(address);
    }
    addresses.sort();
    addresses.dedup();
    assert_eq!(addresses.len(), 3, "every task has its own address: {addresses:?}");
    // The same container port on one instance: awsvpc tasks take no host ports.
    let more = h
        .call(
            "RunTask",
            json!({"cluster": "c", "taskDefinition": "vpc", "count": 10,
            "networkConfiguration": awsvpc(json!([subnet]), json!({}))}),
        )
        .await
        .ok();
    assert_eq!(more["tasks"].as_array().unwrap().len(), 10, "{more}");
}

#[tokio::test]
async fn a_service_keeps_its_network_configuration() {
    let (h, subnet) = cluster().await;
    let network = awsvpc(json!([subnet]), json!({"assignPublicIp": "DISABLED"}));
    let reply = h
        .call(
            "CreateService",
            json!({"cluster": "c", "serviceName": "s", "taskDefinition": "vpc",
            "desiredCount": 1, "networkConfiguration": network}),
        )
        .await
        .ok();
    assert_eq!(
        reply["service"]["networkConfiguration"]["awsvpcConfiguration"]["subnets"][0],
        subnet.as_str()
    );
    // Changing to a definition of another network mode keeps the configuration, and is refused.
    h.rejects(
        "UpdateService",
        json!({"cluster": "c", "service": "s", "taskDefinition": "web"}),
        "Network Configuration is not valid for the given networkMode of this task definition.",
    )
    .await;
}

#[tokio::test]
async fn the_instance_agent_submits_attachment_states() {
    let (h, subnet, token) = cluster_with_token().await;
    let body = json!({"cluster": "c", "taskDefinition": "vpc",
        "networkConfiguration": awsvpc(json!([subnet]), json!({}))});
    let task = h.call("RunTask", body).await.ok()["tasks"][0].clone();
    let task_arn = task["taskArn"].as_str().unwrap().to_owned();
    let attachment = task["attachments"][0]["id"].as_str().unwrap().to_owned();
    let arn = format!("arn:aws:ecs:us-east-1:000000000000:attachment/{attachment}");
    let submit = |status: &str, arn: &str| json!({"cluster": "c", "attachments": [{"attachmentArn": arn, "status": status}]});
    // Only the instance's agent may.
    h.refuses(
        "SubmitAttachmentStateChanges",
        submit("ATTACHED", &arn),
        "AccessDeniedException",
        "Only the agent of a container instance",
    )
    .await;
    let before = h.revision();
    h.call_with_token("SubmitAttachmentStateChanges", submit("PLUGGED", &arn), &token)
        .await
        .refused("InvalidParameterException", "Invalid attachment status");
    h.call_with_token(
        "SubmitAttachmentStateChanges",
        submit("ATTACHED", "arn:aws:ecs:us-east-1:000000000000:attachment/nope"),
        &token,
    )
    .await
    .refused("InvalidParameterException", "is not an attachment of a task");
    assert_eq!(h.revision(), before, "a refused submission wrote");
    let reply = h
        .call_with_token("SubmitAttachmentStateChanges", submit("ATTACHED", &arn), &token)
        .await
        .ok();
    assert_eq!(reply["acknowledgment"], "ACK");
    let shown = h.describe_task("c", &task_arn).await;
    assert_eq!(shown["attachments"][0]["status"], "ATTACHED");
    // A status does not move back.
    h.call_with_token("SubmitAttachmentStateChanges", submit("ATTACHING", &arn), &token).await.ok();
    assert_eq!(h.describe_task("c", &task_arn).await["attachments"][0]["status"], "ATTACHED");
}

#[tokio::test]
async fn task_sets_take_their_own_network_configuration() {
    let (h, subnet) = cluster().await;
    h.call(
        "CreateService",
        json!({"cluster": "c", "serviceName": "ext", "desiredCount": 2,
        "deploymentController": {"type": "EXTERNAL"}}),
    )
    .await
    .ok();
    h.rejects(
        "CreateTaskSet",
        json!({"cluster": "c", "service": "ext", "taskDefinition": "vpc"}),
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    )
    .await;
    let network = awsvpc(json!([subnet]), json!({}));
    let created = h
        .call(
            "CreateTaskSet",
            json!({"cluster": "c", "service": "ext", "taskDefinition": "vpc",
            "networkConfiguration": network}),
        )
        .await
        .ok();
    assert_eq!(created["taskSet"]["networkConfiguration"], network);
}
