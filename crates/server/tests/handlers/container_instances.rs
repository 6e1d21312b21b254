//! RegisterContainerInstance, DeregisterContainerInstance, DescribeContainerInstances,
//! ListContainerInstances, UpdateContainerInstancesState, PutAttributes, DeleteAttributes,
//! ListAttributes and DiscoverPollEndpoint.

use serde_json::{Value, json};

use server::config::{Quotas, RawConfig};

use crate::harness::{Harness, Reply, arn, registration};

async fn listed(h: &Harness, cluster: &str) -> Value {
    let body = h
        .call("ListContainerInstances", json!({"cluster": cluster, "status": "ACTIVE"}))
        .await
        .ok();
    body["containerInstanceArns"].clone()
}

/// Registers with `token`, checking that a refusal wrote nothing and returned no token.
async fn register(h: &Harness, body: Value, token: &str) -> Reply {
    let before = h.revision();
    let reply = h.call_with_token("RegisterContainerInstance", body, token).await;
    if reply.status != 200 {
        assert_eq!(h.revision(), before, "a refused registration wrote: {reply:?}");
        assert_eq!(reply.instance_token, None, "a refused registration gave a token");
    }
    reply
}

fn with(mut body: Value, extra: Value) -> Value {
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

#[tokio::test]
async fn an_agent_token_registers_only_in_its_own_cluster() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("other").await;
    let body = registration("c");
    let denied =
        "Only an agent holding the agent token of cluster c may register a container instance.";
    // Another cluster's token acts as that cluster's agent, which registers nothing here.
    register(&h, body.clone(), &h.agent_token("other"))
        .await
        .refused("AccessDeniedException", denied);
    // A token that is not valid is refused, not taken for a user's request (access control is
    // off here, so without a token the request would act as the root user).
    for token in ["c.0000", "c", &h.agent_token("c").replacen("c.", "other.", 1)] {
        register(&h, body.clone(), token)
            .await
            .refused("AccessDeniedException", "The agent token is not valid.");
    }
    // An instance's own token does not register new instances.
    let instance = h.register_instance("c").await;
    register(&h, body.clone(), &instance.token).await.refused("AccessDeniedException", denied);
    // The cluster must exist, whatever the token.
    register(&h, registration("nope"), &h.agent_token("nope"))
        .await
        .refused("ClusterNotFoundException", "Cluster not found.");
    // Without `cluster`, the default cluster is meant.
    let mut no_cluster = registration("c");
    no_cluster.as_object_mut().unwrap().remove("cluster");
    register(&h, no_cluster, &h.agent_token("default"))
        .await
        .refused("ClusterNotFoundException", "Cluster not found.");
    assert_eq!(listed(&h, "c").await, json!([instance.arn]));
}

#[tokio::test]
async fn registration_refuses_invalid_resources_documents_and_attributes() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let token = h.agent_token("c");
    let resources_rule = "totalResources must give CPU and MEMORY as positive INTEGER resources.";
    let resources = |list: Value| with(registration("c"), json!({"totalResources": list}));
    let mut no_resources = registration("c");
    no_resources.as_object_mut().unwrap().remove("totalResources");
    register(&h, no_resources, &token).await.invalid(resources_rule);
    let cpu_only = json!([{"name": "CPU", "type": "INTEGER", "integerValue": 1024}]);
    register(&h, resources(cpu_only), &token).await.invalid(resources_rule);
    let zero_cpu = json!([{"name": "CPU", "type": "INTEGER", "integerValue": 0},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024}]);
    register(&h, resources(zero_cpu), &token).await.invalid(resources_rule);
    let ports: Vec<String> = (1..=101).map(|p| p.to_string()).collect();
    let many_ports = json!([{"name": "CPU", "type": "INTEGER", "integerValue": 1024},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024},
        {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ports}]);
    register(&h, resources(many_ports), &token)
        .await
        .invalid("A container instance can reserve at most 100 ports.");
    register(&h, resources(json!("4096")), &token)
        .await
        .invalid("totalResources: expected a list, got a string");
    register(&h, with(registration("c"), json!({"instanceIdentityDocument": "{not json"})), &token)
        .await
        .invalid("instanceIdentityDocument is not a valid identity document");
    let attributes = |list: Value| with(registration("c"), json!({"attributes": list}));
    register(&h, attributes(json!([{"name": "has space", "value": "v"}])), &token)
        .await
        .invalid("Attribute name \"has space\" must be 1 to 128 letters");
    register(&h, attributes(json!([{"name": "rack", "value": "r1 "}])), &token)
        .await
        .invalid("The value of attribute \"rack\" must be 1 to 128 letters");
    register(&h, attributes(json!([{"name": "rack", "value": ""}])), &token)
        .await
        .invalid("The value of attribute \"rack\"");
    let eleven: Vec<Value> =
        (0..11).map(|i| json!({"name": format!("custom{i}"), "value": "v"})).collect();
    // RegisterContainerInstance's model has no AttributeLimitExceededException (PutAttributes'
    // has): too many attributes in the request is an invalid parameter.
    register(&h, attributes(json!(eleven)), &token)
        .await
        .refused("InvalidParameterException", "at most 10 custom attributes");
    register(
        &h,
        with(registration("c"), json!({"tags": [{"key": "aws:x", "value": "y"}]})),
        &token,
    )
    .await
    .invalid("reserved prefix aws:");
    register(&h, with(registration("c"), json!({"versionInfo": "0.1.0"})), &token)
        .await
        .invalid("versionInfo: expected an object");
    assert_eq!(listed(&h, "c").await, json!([]));
    // ECS's own attributes do not count against the custom ones.
    let mut ten: Vec<Value> =
        (0..10).map(|i| json!({"name": format!("custom{i}"), "value": "v"})).collect();
    ten.push(json!({"name": "ecs.os-type", "value": "linux"}));
    register(&h, attributes(json!(ten)), &token).await.ok();
}

#[tokio::test]
async fn registration_counts_against_the_instance_quota() {
    let h = Harness::with_config(RawConfig {
        quotas: Some(Quotas { container_instances_per_cluster: 1, ..Quotas::default() }),
        ..RawConfig::default()
    })
    .await;
    h.create_cluster("c").await;
    let first = h.register_instance("c").await;
    // RegisterContainerInstance's model has no LimitExceededException: a quota is a
    // ClientException.
    register(&h, registration("c"), &h.agent_token("c"))
        .await
        .refused("ClientException", "Cluster c has reached its limit of 1 container instances.");
    // Re-registering the same instance is no new one.
    let again = with(registration("c"), json!({"containerInstanceArn": first.arn}));
    register(&h, again, &first.token).await.ok();
    // A deregistered instance frees its place.
    h.call("DeregisterContainerInstance", json!({"cluster": "c", "containerInstance": first.id}))
        .await
        .ok();
    h.register_instance("c").await;
}

#[tokio::test]
async fn re_registration_needs_the_instance_s_own_token() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("d").await;
    let a = h.register_instance("c").await;
    let b = h.register_instance("c").await;
    let elsewhere = h.register_instance("d").await;
    let again = with(registration("c"), json!({"containerInstanceArn": a.arn}));
    // The cluster's token adopts only an instance that awaits an agent, never one an agent
    // holds (and with it, that instance's token).
    register(&h, again.clone(), &h.agent_token("c")).await.refused(
        "AccessDeniedException",
        &format!("Container instance {} is held by an agent: only its own instance token re-registers it.", a.arn),
    );
    register(&h, again.clone(), &b.token).await.refused(
        "AccessDeniedException",
        &format!("The agent token is not the instance token of {}.", a.arn),
    );
    register(&h, again.clone(), &elsewhere.token)
        .await
        .refused("AccessDeniedException", "Only the agent of a container instance of cluster c");
    // An ARN of another cluster is no instance of this one.
    let foreign = with(registration("c"), json!({"containerInstanceArn": elsewhere.arn}));
    register(&h, foreign, &a.token)
        .await
        .refused("AccessDeniedException", "The agent token is not the instance token of");
    let before = h.describe_instance("c", &a.arn).await;
    // Once deregistered, the instance's token opens nothing: the agent registers anew.
    h.call("DeregisterContainerInstance", json!({"cluster": "c", "containerInstance": a.arn}))
        .await
        .ok();
    register(&h, again, &a.token).await.refused(
        "ClientException",
        &format!("Container instance {} is not registered in cluster c.", a.arn),
    );
    let after = h.describe_instance("c", &a.arn).await;
    assert_eq!(after["status"], "INACTIVE");
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
}

/// A user's registration: the identity document of an EC2 instance (a made-up one), GPUs.
fn user_registration(cluster: &str) -> Value {
    let document = json!({"accountId": "000000000000", "architecture": "arm64",
        "availabilityZone": "us-east-1c", "imageId": "ami-0abcdef1234567890",
        "instanceId": "i-0fedcba9876543210", "instanceType": "c7g.large", "kernelId": null,
        "pendingTime": "2024-01-01T00:00:00Z", "privateIp": "10.0.0.7", "region": "us-east-1",
        "version": "2017-09-30"});
    json!({
        "cluster": cluster,
        "instanceIdentityDocument": document.to_string(),
        "instanceIdentityDocumentSignature": "not checked",
        "totalResources": [
            {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": 3072},
            {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22"]}
        ],
        "platformDevices": [{"id": "GPU-1", "type": "GPU"}, {"id": "GPU-2", "type": "GPU"}],
        "attributes": [{"name": "rack", "value": "r7"}],
        "versionInfo": {"agentVersion": "1.80.0", "agentHash": "abc", "dockerVersion": "25.0"},
        "tags": [{"key": "team", "value": "infra"}]
    })
}

fn attribute(instance: &Value, name: &str) -> Option<String> {
    instance["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["name"] == name)
        .and_then(|a| a["value"].as_str().map(str::to_owned))
}

fn resource(instance: &Value, list: &str, name: &str) -> Value {
    instance[list]
        .as_array()
        .and_then(|l| l.iter().find(|r| r["name"] == name))
        .cloned()
        .unwrap_or(Value::Null)
}

/// With access control off a request without an agent token acts as the root user, a principal
/// allowed everything: it registers an instance that awaits an agent, from its identity
/// document, and gets no token for it. Nothing is placed on it until an agent adopts it.
#[tokio::test]
async fn a_principal_registers_an_instance_that_awaits_an_agent() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("d").await;
    let definition = h.register_definition("web").await;
    let reply = h.call("RegisterContainerInstance", user_registration("c")).await;
    assert_eq!(reply.instance_token, None, "a principal is given no agent token");
    let registered = reply.ok()["containerInstance"].clone();
    let arn = registered["containerInstanceArn"].as_str().unwrap().to_owned();
    let described = h.describe_instance("c", &arn).await;
    for instance in [&registered, &described] {
        assert_eq!(instance["ec2InstanceId"], "i-0fedcba9876543210");
        assert_eq!(instance["agentConnected"], false);
        assert_eq!(instance["status"], "ACTIVE");
        assert_eq!(attribute(instance, "ecs.availability-zone").as_deref(), Some("us-east-1c"));
        assert_eq!(attribute(instance, "ecs.instance-type").as_deref(), Some("c7g.large"));
        assert_eq!(attribute(instance, "ecs.ami-id").as_deref(), Some("ami-0abcdef1234567890"));
        assert_eq!(attribute(instance, "ecs.cpu-architecture").as_deref(), Some("arm64"));
        assert_eq!(attribute(instance, "rack").as_deref(), Some("r7"));
        assert_eq!(resource(instance, "registeredResources", "CPU")["integerValue"], 2048);
        assert_eq!(resource(instance, "registeredResources", "MEMORY")["integerValue"], 3072);
        let gpus =
            json!({"name": "GPU", "type": "STRINGSET", "stringSetValue": ["GPU-1", "GPU-2"]});
        assert_eq!(resource(instance, "registeredResources", "GPU"), gpus);
        assert_eq!(resource(instance, "remainingResources", "GPU"), gpus);
        assert_eq!(instance["versionInfo"]["agentVersion"], "1.80.0");
        assert_eq!(instance["tags"], json!([{"key": "team", "value": "infra"}]));
    }

    // No agent, no placement: RunTask fails with AGENT, and so does StartTask onto it.
    let ran = h.call("RunTask", json!({"cluster": "c", "taskDefinition": definition})).await.ok();
    assert_eq!(ran["tasks"], json!([]));
    assert_eq!(ran["failures"][0]["reason"], "AGENT", "{ran}");
    assert_eq!(ran["failures"][0]["arn"], json!(arn));
    let started = h
        .call(
            "StartTask",
            json!({"cluster": "c", "taskDefinition": definition, "containerInstances": [arn]}),
        )
        .await
        .ok();
    assert_eq!(started["tasks"], json!([]));
    assert_eq!(started["failures"][0]["reason"], "AGENT", "{started}");

    // The same EC2 instance may be registered in another cluster too.
    let elsewhere = h.call("RegisterContainerInstance", user_registration("d")).await.ok();
    assert_eq!(elsewhere["containerInstance"]["ec2InstanceId"], "i-0fedcba9876543210");
    assert_ne!(elsewhere["containerInstance"]["containerInstanceArn"], json!(arn));

    // A principal re-registers it with what it says now; the custom attributes users set stay.
    h.call(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [{"name": "owner", "value": "ops", "targetId": arn}]}),
    )
    .await
    .ok();
    let mut again = user_registration("c");
    again["containerInstanceArn"] = json!(arn);
    again["totalResources"][0]["integerValue"] = json!(4096);
    again["attributes"] = json!([{"name": "new", "value": "1"}]);
    let reply = h.call("RegisterContainerInstance", again).await;
    assert_eq!(reply.instance_token, None);
    let renewed = reply.ok()["containerInstance"].clone();
    assert_eq!(renewed["containerInstanceArn"], json!(arn));
    assert_eq!(renewed["version"], registered["version"].as_i64().unwrap() + 1);
    assert_eq!(resource(&renewed, "registeredResources", "CPU")["integerValue"], 4096);
    assert_eq!(attribute(&renewed, "owner").as_deref(), Some("ops"));
    assert_eq!(attribute(&renewed, "rack").as_deref(), Some("r7"));
    assert_eq!(
        attribute(&renewed, "new"),
        None,
        "custom attributes count on a new registration only"
    );
    assert_eq!(renewed["agentConnected"], false);
    assert_eq!(listed(&h, "c").await, json!([arn]));
}

/// An agent adopts an instance a principal registered: with the cluster's token and the
/// instance's ARN it gets the instance's token, and the instance keeps what it was registered
/// with. Only an instance awaiting an agent can be adopted, and only once.
#[tokio::test]
async fn an_agent_adopts_an_instance_that_awaits_one() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("d").await;
    let definition = h.register_definition("web").await;
    let registered = h.call("RegisterContainerInstance", user_registration("c")).await.ok();
    let arn = registered["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
    let version = registered["containerInstance"]["version"].as_i64().unwrap();
    // What a Berth agent sends: its own idea of the host, and its resources.
    let mut adoption = registration("c");
    adoption["containerInstanceArn"] = json!(arn);
    adoption["attributes"] = json!([{"name": "ecs.os-type", "value": "linux"},
        {"name": "ecs.cpu-architecture", "value": "x86_64"},
        {"name": "ecs.capability.container-health-check"}, {"name": "mine", "value": "x"}]);

    // Not with another cluster's token, nor a forged one.
    register(&h, adoption.clone(), &h.agent_token("d")).await.refused(
        "AccessDeniedException",
        "Only an agent holding the agent token of cluster c may register a container instance.",
    );
    register(&h, adoption.clone(), "c.00").await.refused("AccessDeniedException", "not valid");

    let reply = register(&h, adoption.clone(), &h.agent_token("c")).await;
    let token = reply.instance_token.clone().expect("the adopting agent gets the instance's token");
    let adopted = reply.ok()["containerInstance"].clone();
    assert_eq!(adopted["containerInstanceArn"], json!(arn));
    assert_eq!(adopted["version"], version + 1);
    assert_eq!(adopted["agentConnected"], true);
    // Kept: the EC2 id, the attributes and tags it was registered with, its GPUs.
    assert_eq!(adopted["ec2InstanceId"], "i-0fedcba9876543210");
    assert_eq!(attribute(&adopted, "ecs.availability-zone").as_deref(), Some("us-east-1c"));
    assert_eq!(attribute(&adopted, "ecs.instance-type").as_deref(), Some("c7g.large"));
    assert_eq!(attribute(&adopted, "ecs.cpu-architecture").as_deref(), Some("arm64"));
    assert_eq!(attribute(&adopted, "rack").as_deref(), Some("r7"));
    assert_eq!(adopted["tags"], json!([{"key": "team", "value": "infra"}]));
    assert_eq!(resource(&adopted, "registeredResources", "GPU")["stringSetValue"][1], "GPU-2");
    // Added: the agent's attributes of ECS the instance lacked. Its resources and version
    // replace the registered ones; its custom attributes count only on a new registration.
    assert_eq!(attribute(&adopted, "ecs.os-type").as_deref(), Some("linux"));
    assert!(
        adopted["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "ecs.capability.container-health-check")
    );
    assert_eq!(attribute(&adopted, "mine"), None);
    assert_eq!(resource(&adopted, "registeredResources", "CPU")["integerValue"], 4096);
    assert_eq!(adopted["versionInfo"]["agentVersion"], "0.1.0");

    // Now tasks are placed on it.
    let task = h.run_task("c", &definition).await;
    assert_eq!(h.describe_task("c", &task).await["containerInstanceArn"], json!(arn));

    // Adopted once: the cluster's token cannot take it again (nor would a principal's
    // re-registration give it back); its own token re-registers it.
    let before = h.describe_instance("c", &arn).await;
    register(&h, adoption.clone(), &h.agent_token("c"))
        .await
        .refused("AccessDeniedException", &format!("Container instance {arn} is held by an agent"));
    let mut by_user = user_registration("c");
    by_user["containerInstanceArn"] = json!(arn);
    assert_eq!(h.call("RegisterContainerInstance", by_user).await.instance_token, None);
    register(&h, adoption.clone(), &h.agent_token("c"))
        .await
        .refused("AccessDeniedException", "is held by an agent");
    let renewed = register(&h, adoption.clone(), &token).await.ok();
    assert_eq!(renewed["containerInstance"]["version"], before["version"].as_i64().unwrap() + 2);

    // An instance an agent registered itself was never awaiting one.
    let own = h.register_instance("c").await;
    let mut take = adoption.clone();
    take["containerInstanceArn"] = json!(own.arn);
    register(&h, take, &h.agent_token("c"))
        .await
        .refused("AccessDeniedException", "is held by an agent");

    // A deregistered instance is adopted by no one.
    let waiting = h.call("RegisterContainerInstance", user_registration("c")).await.ok();
    let waiting = waiting["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
    h.call("DeregisterContainerInstance", json!({"cluster": "c", "containerInstance": waiting}))
        .await
        .ok();
    let mut late = adoption;
    late["containerInstanceArn"] = json!(waiting);
    register(&h, late.clone(), &h.agent_token("c"))
        .await
        .refused("ClientException", "is not registered in cluster c");
    // Nor is an instance of another cluster, or one that never was.
    late["containerInstanceArn"] =
        json!(crate::harness::arn("container-instance/c/0123456789abcdef0123456789abcdef"));
    register(&h, late, &h.agent_token("c"))
        .await
        .refused("ClientException", "is not registered in cluster c");
}

#[tokio::test]
async fn a_principal_s_registration_refuses_what_an_agent_s_does() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let refuse = |body: Value, code: &'static str, fragment: &'static str| {
        let h = &h;
        async move {
            h.refuses("RegisterContainerInstance", body, code, fragment).await;
        }
    };
    let document = |document: Value| {
        with(user_registration("c"), json!({"instanceIdentityDocument": document.to_string()}))
    };
    refuse(
        document(json!({"instanceId": "i-1", "region": "eu-west-1"})),
        "InvalidParameterException",
        "instanceIdentityDocument names region \"eu-west-1\"; this control plane serves region us-east-1.",
    )
    .await;
    for id in [json!(""), json!("i 1"), json!("x".repeat(129))] {
        refuse(
            document(json!({"instanceId": id})),
            "InvalidParameterException",
            "instanceIdentityDocument.instanceId must be 1 to 128 letters",
        )
        .await;
    }
    refuse(
        document(json!({"instanceId": 7})),
        "InvalidParameterException",
        "instanceIdentityDocument is not a valid identity document",
    )
    .await;
    refuse(
        document(json!({"instanceType": "m5 large!"})),
        "InvalidParameterException",
        "The value of attribute \"ecs.instance-type\" must be",
    )
    .await;
    refuse(
        with(user_registration("c"), json!({"instanceIdentityDocument": "[]"})),
        "InvalidParameterException",
        "instanceIdentityDocument is not a valid identity document",
    )
    .await;
    refuse(
        with(user_registration("c"), json!({"platformDevices": [{"id": "g", "type": "TPU"}]})),
        "InvalidParameterException",
        "platformDevices[0].type",
    )
    .await;
    refuse(
        with(user_registration("c"), json!({"totalResources": []})),
        "InvalidParameterException",
        "totalResources must give CPU and MEMORY",
    )
    .await;
    refuse(
        with(user_registration("c"), json!({"containerInstanceArn": "0123456789abcdef"})),
        "ClientException",
        "is not registered in cluster c",
    )
    .await;
    refuse(
        with(user_registration("c"), json!({"cluster": "nope"})),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    assert_eq!(listed(&h, "c").await, json!([]));
}

#[tokio::test]
async fn deregistration_needs_a_registered_instance_without_tasks() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("d").await;
    let definition = h.register_definition("web").await;
    let instance = h.register_instance("c").await;
    let other = h.register_instance("d").await;
    let not_found = "The referenced container instance was not found in the cluster.";
    h.rejects(
        "DeregisterContainerInstance",
        json!({"cluster": "c"}),
        "Missing required parameter: containerInstance.",
    )
    .await;
    h.refuses(
        "DeregisterContainerInstance",
        json!({"cluster": "nope", "containerInstance": instance.id}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    for reference in [
        "0123456789abcdef".to_owned(),
        other.arn.clone(),
        other.id.clone(),
        arn(&format!("container-instance/{}", "f".repeat(32))),
    ] {
        h.rejects(
            "DeregisterContainerInstance",
            json!({"cluster": "c", "containerInstance": reference}),
            not_found,
        )
        .await;
    }
    h.rejects(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": arn("task/c/1")}),
        "is not a container-instance ARN",
    )
    .await;
    h.rejects(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.id, "force": 1}),
        "force: expected a boolean",
    )
    .await;
    h.run_task("c", &definition).await;
    h.rejects(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.arn}),
        "Found 1 running tasks on the instance; stop them first or deregister with force.",
    )
    .await;
    assert_eq!(h.describe_instance("c", &instance.arn).await["status"], "ACTIVE");
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.arn, "force": true}),
    )
    .await
    .ok();
    h.rejects(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.arn, "force": true}),
        not_found,
    )
    .await;
}

#[tokio::test]
async fn describe_and_list_refuse_bad_requests() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let instance = h.register_instance("c").await;
    h.rejects(
        "DescribeContainerInstances",
        json!({"cluster": "c"}),
        "Missing required parameter: containerInstances.",
    )
    .await;
    h.rejects(
        "DescribeContainerInstances",
        json!({"cluster": "c", "containerInstances": instance.id}),
        "containerInstances: expected a list, got a string",
    )
    .await;
    let many: Vec<String> = (0..101).map(|i| format!("i{i}")).collect();
    h.rejects(
        "DescribeContainerInstances",
        json!({"cluster": "c", "containerInstances": many}),
        "DescribeContainerInstances accepts at most 100 container instances.",
    )
    .await;
    h.refuses(
        "DescribeContainerInstances",
        json!({"cluster": "nope", "containerInstances": [instance.id]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.rejects(
        "DescribeContainerInstances",
        json!({"cluster": "c", "containerInstances": [instance.id], "include": ["STATS"]}),
        "Invalid value \"STATS\" for parameter include[0]: valid values are TAGS, CONTAINER_INSTANCE_HEALTH.",
    )
    .await;
    h.rejects(
        "DescribeContainerInstances",
        json!({"cluster": "c", "containerInstances": ["arn:aws"]}),
        "Invalid ARN",
    )
    .await;
    let described = h
        .call(
            "DescribeContainerInstances",
            json!({"cluster": "c", "containerInstances": [instance.id, "nope"]}),
        )
        .await
        .ok();
    assert_eq!(described["containerInstances"][0]["containerInstanceArn"], json!(instance.arn));
    assert_eq!(
        described["failures"],
        json!([{"arn": arn("container-instance/c/nope"), "reason": "MISSING"}])
    );

    h.refuses("ListContainerInstances", json!({"cluster": "nope"}), "ClusterNotFoundException", "")
        .await;
    h.rejects(
        "ListContainerInstances",
        json!({"cluster": "c", "filter": "attribute:ecs.os-type =="}),
        "Invalid filter \"attribute:ecs.os-type ==\"",
    )
    .await;
    let long = format!("attribute:x == {}", "y".repeat(5000));
    let reply = h
        .rejects(
            "ListContainerInstances",
            json!({"cluster": "c", "filter": long}),
            "Invalid filter: ",
        )
        .await;
    assert!(!reply.message().contains("yyyy"), "a filter over the limit is not echoed");
    h.rejects(
        "ListContainerInstances",
        json!({"cluster": "c", "status": "GONE"}),
        "Invalid value \"GONE\" for parameter status",
    )
    .await;
    h.rejects(
        "ListContainerInstances",
        json!({"cluster": "c", "maxResults": 0}),
        "maxResults must be between 1 and 100; got 0.",
    )
    .await;
    h.rejects(
        "ListContainerInstances",
        json!({"cluster": "c", "nextToken": "x"}),
        "The nextToken is invalid.",
    )
    .await;
    h.rejects(
        "ListContainerInstances",
        json!({"cluster": "c", "filter": ["attribute:x == y"]}),
        "filter: expected a string, got a list",
    )
    .await;
}

#[tokio::test]
async fn update_state_refuses_bad_requests_and_reports_instances_it_cannot_change() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let a = h.register_instance("c").await;
    let gone = h.register_instance("c").await;
    h.call("DeregisterContainerInstance", json!({"cluster": "c", "containerInstance": gone.id}))
        .await
        .ok();
    h.rejects(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": [a.id]}),
        "Missing required parameter: status.",
    )
    .await;
    h.rejects(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "status": "DRAINING"}),
        "Missing required parameter: containerInstances.",
    )
    .await;
    for status in ["REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"] {
        h.rejects(
            "UpdateContainerInstancesState",
            json!({"cluster": "c", "containerInstances": [a.id], "status": status}),
            &format!("Container instances can only be set to ACTIVE or DRAINING, not {status}."),
        )
        .await;
    }
    h.rejects(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": [a.id], "status": "INACTIVE"}),
        "Invalid value \"INACTIVE\" for parameter status: valid values are ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED.",
    )
    .await;
    h.rejects(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": [a.id], "status": "PAUSED"}),
        "Invalid value \"PAUSED\" for parameter status",
    )
    .await;
    h.rejects(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": a.id, "status": "DRAINING"}),
        "containerInstances: expected a list, got a string",
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|i| format!("i{i}")).collect();
    for list in [json!([]), json!(eleven)] {
        h.rejects(
            "UpdateContainerInstancesState",
            json!({"cluster": "c", "containerInstances": list, "status": "DRAINING"}),
            "containerInstances must list between 1 and 10 container instances.",
        )
        .await;
    }
    h.refuses(
        "UpdateContainerInstancesState",
        json!({"cluster": "nope", "containerInstances": [a.id], "status": "DRAINING"}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    // Unknown and deregistered instances are failures of an answer that succeeds; they are
    // not written.
    let before = h.revision();
    let foreign = "arn:aws:ecs:us-east-1:000000000000:container-instance/d/abc";
    let answer = h
        .call(
            "UpdateContainerInstancesState",
            json!({"cluster": "c", "containerInstances": ["nope", foreign, gone.arn], "status": "DRAINING"}),
        )
        .await
        .ok();
    assert_eq!(h.revision(), before);
    assert_eq!(answer["containerInstances"], json!([]));
    assert_eq!(
        answer["failures"],
        json!([
            {"arn": arn("container-instance/c/nope"), "reason": "MISSING"},
            {"arn": foreign, "reason": "MISSING"},
            {"arn": gone.arn, "reason": "INVALID_STATE",
             "detail": "The container instance is INACTIVE and cannot change to DRAINING."}
        ])
    );
    assert_eq!(h.describe_instance("c", &a.id).await["status"], "ACTIVE");
}

#[tokio::test]
async fn put_attributes_refuses_reserved_invalid_and_untargeted_attributes() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.create_cluster("d").await;
    let a = h.register_instance("c").await;
    let elsewhere = h.register_instance("d").await;
    let attribute =
        |name: &str, target: &str| json!({"name": name, "value": "v", "targetId": target});
    h.rejects("PutAttributes", json!({"cluster": "c"}), "Missing required parameter: attributes.")
        .await;
    h.rejects(
        "PutAttributes",
        json!({"cluster": "c", "attributes": attribute("rack", &a.id)}),
        "attributes: expected a list, got an object",
    )
    .await;
    h.refuses(
        "PutAttributes",
        json!({"cluster": "nope", "attributes": [attribute("rack", &a.id)]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    for name in ["ecs.os-type", "com.amazonaws.ecs.capability.x"] {
        h.rejects(
            "PutAttributes",
            json!({"cluster": "c", "attributes": [attribute(name, &a.id)]}),
            &format!(
                "Attribute names starting with ecs. or com.amazonaws.ecs. are reserved: {name}."
            ),
        )
        .await;
    }
    h.rejects(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [attribute("a b", &a.id)]}),
        "Attribute name \"a b\" must be 1 to 128 letters",
    )
    .await;
    h.rejects(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "value": " r1", "targetId": a.id}]}),
        "The value of attribute \"rack\"",
    )
    .await;
    h.rejects(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "value": "r1"}]}),
        "Attribute rack needs a targetId.",
    )
    .await;
    h.rejects(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "targetType": "task", "targetId": a.id}]}),
        "Invalid value \"task\" for parameter attributes[0].targetType: valid values are container-instance.",
    )
    .await;
    for target in ["nope".to_owned(), elsewhere.arn.clone()] {
        h.refuses(
            "PutAttributes",
            json!({"cluster": "c", "attributes": [attribute("rack", &target)]}),
            "TargetNotFoundException",
            &format!("Could not find the target {target}."),
        )
        .await;
    }
    let eleven: Vec<Value> = (0..11).map(|i| attribute(&format!("custom{i}"), &a.id)).collect();
    let before = h.revision();
    let reply = h.call("PutAttributes", json!({"cluster": "c", "attributes": eleven})).await;
    reply.refused(
        "AttributeLimitExceededException",
        "A container instance can have at most 10 custom attributes.",
    );
    assert_eq!(h.revision(), before, "the refused request wrote");
    let instance = h.describe_instance("c", &a.id).await;
    let custom: Vec<&Value> = instance["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["name"].as_str().unwrap().starts_with("ecs."))
        .collect();
    // A refused PutAttributes writes none of its attributes.
    assert_eq!(custom.len(), 0, "{custom:?}");
}

#[tokio::test]
async fn put_attributes_with_one_unknown_target_among_several() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let a = h.register_instance("c").await;
    let before = h.revision();
    let reply = h
        .call(
            "PutAttributes",
            json!({"cluster": "c", "attributes": [
                {"name": "rack", "value": "r1", "targetId": a.id},
                {"name": "rack", "value": "r1", "targetId": "nope"}]}),
        )
        .await;
    reply.refused("TargetNotFoundException", "Could not find the target nope.");
    assert_eq!(h.revision(), before, "the refused request wrote");
    let listed = h
        .call(
            "ListAttributes",
            json!({"cluster": "c", "targetType": "container-instance", "attributeName": "rack"}),
        )
        .await
        .ok();
    // Nothing was set on the first instance either.
    assert_eq!(listed["attributes"].as_array().map(Vec::len), Some(0), "{listed}");
}

#[tokio::test]
async fn delete_attributes_refuses_ecs_attributes_and_unknown_targets() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let a = h.register_instance("c").await;
    h.call(
        "PutAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "value": "r1", "targetId": a.id}]}),
    )
    .await
    .ok();
    let before = h.describe_instance("c", &a.id).await["attributes"].clone();
    h.rejects(
        "DeleteAttributes",
        json!({"cluster": "c"}),
        "Missing required parameter: attributes.",
    )
    .await;
    h.rejects(
        "DeleteAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "targetId": 7}]}),
        "attributes[0].targetId: expected a string, got an integer",
    )
    .await;
    h.rejects(
        "DeleteAttributes",
        json!({"cluster": "c", "attributes": [{"name": "ecs.availability-zone", "targetId": a.id}]}),
        "Attribute ecs.availability-zone belongs to ECS and cannot be deleted.",
    )
    .await;
    h.rejects(
        "DeleteAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack"}]}),
        "Attribute rack needs a targetId.",
    )
    .await;
    h.refuses(
        "DeleteAttributes",
        json!({"cluster": "c", "attributes": [{"name": "rack", "targetId": "nope"}]}),
        "TargetNotFoundException",
        "Could not find the target nope.",
    )
    .await;
    h.refuses(
        "DeleteAttributes",
        json!({"cluster": "nope", "attributes": [{"name": "rack", "targetId": a.id}]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    assert_eq!(h.describe_instance("c", &a.id).await["attributes"], before);
}

#[tokio::test]
async fn list_attributes_refuses_bad_requests() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_instance("c").await;
    h.rejects("ListAttributes", json!({"cluster": "c"}), "Missing required parameter: targetType.")
        .await;
    h.rejects(
        "ListAttributes",
        json!({"cluster": "c", "targetType": "service"}),
        "Invalid value \"service\" for parameter targetType",
    )
    .await;
    h.refuses(
        "ListAttributes",
        json!({"cluster": "nope", "targetType": "container-instance"}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.rejects(
        "ListAttributes",
        json!({"cluster": "c", "targetType": "container-instance", "attributeName": true}),
        "attributeName: expected a string, got a boolean",
    )
    .await;
    h.rejects(
        "ListAttributes",
        json!({"cluster": "c", "targetType": "container-instance", "attributeValue": "linux"}),
        "attributeValue can only be given with attributeName.",
    )
    .await;
    h.rejects(
        "ListAttributes",
        json!({"cluster": "c", "targetType": "container-instance", "maxResults": 101}),
        "maxResults must be between 1 and 100; got 101.",
    )
    .await;
    h.rejects(
        "ListAttributes",
        json!({"cluster": "c", "targetType": "container-instance", "nextToken": "Zm9v"}),
        "The nextToken is invalid.",
    )
    .await;
}

#[tokio::test]
async fn discover_poll_endpoint_refuses_only_a_deregistered_instance_s_token() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let a = h.register_instance("c").await;
    let found = h
        .call_with_token(
            "DiscoverPollEndpoint",
            json!({"cluster": "c", "containerInstance": a.arn}),
            &a.token,
        )
        .await
        .ok();
    assert_eq!(found["endpoint"], "http://127.0.0.1:8080");
    h.rejects("DiscoverPollEndpoint", json!({"cluster": 1}), "cluster: expected a string").await;
    // The endpoint is the same for every cluster: it is not looked up.
    let any = h.call("DiscoverPollEndpoint", json!({"cluster": "nope"})).await.ok();
    assert_eq!(any["endpoint"], "http://127.0.0.1:8080");
    h.call("DeregisterContainerInstance", json!({"cluster": "c", "containerInstance": a.arn}))
        .await
        .ok();
    let reply = h
        .call_with_token(
            "DiscoverPollEndpoint",
            json!({"cluster": "c", "containerInstance": a.arn}),
            &a.token,
        )
        .await;
    reply.refused(
        "ClientException",
        &format!("Container instance {} is not registered in cluster c.", a.arn),
    );
    // The cluster's token still finds the endpoint (a new instance registers with it).
    let reply = h
        .call_with_token("DiscoverPollEndpoint", json!({"cluster": "c"}), &h.agent_token("c"))
        .await;
    assert_eq!(reply.ok()["endpoint"], "http://127.0.0.1:8080");
}

#[tokio::test]
async fn update_container_agent_says_there_is_nothing_to_update() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let instance = h.register_instance("c").await;
    h.refuses(
        "UpdateContainerAgent",
        json!({"cluster": "c", "containerInstance": instance.id}),
        "NoUpdateAvailableException",
        "no update available",
    )
    .await;
    h.refuses(
        "UpdateContainerAgent",
        json!({"cluster": "c", "containerInstance": "0123456789abcdef0123456789abcdef"}),
        "InvalidParameterException",
        "not found",
    )
    .await;
    h.refuses(
        "UpdateContainerAgent",
        json!({"cluster": "nope", "containerInstance": instance.id}),
        "ClusterNotFoundException",
        "",
    )
    .await;
}
