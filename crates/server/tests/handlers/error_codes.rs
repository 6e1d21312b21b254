//! Every error an operation answers is one its ECS model lists for it, or one of the common
//! codes (`api::Operation::allows`). Debug builds already panic in `dispatch` when a handler
//! answers another code; this test drives every served operation into its error paths
//! (unknown clusters, services, tasks, instances, definitions and resources; values the
//! handlers refuse; the state a change needs missing) and reads each code off the wire, so it
//! also covers what answers before a handler runs (validation, the agent token).

use serde_json::{Value, json};

use api::{ErrorCode, Operation};

use crate::harness::{Harness, arn, registration};

/// Requests that each operation refuses, on a cluster `c` with one container instance, a
/// definition `web:1` (active) and `old:1` (inactive), and a service `web` scaled to 1.
fn probes(instance: &str) -> Vec<(Operation, Value)> {
    use Operation::*;
    vec![
        (CreateCluster, json!({"clusterName": "not a name"})),
        (
            CreateCluster,
            json!({"clusterName": "d", "settings": [{"name": "containerInsights", "value": "maybe"}]}),
        ),
        (DeleteCluster, json!({"cluster": "nope"})),
        (DeleteCluster, json!({"cluster": "c"})),
        (DescribeClusters, json!({"clusters": vec!["a"; 101]})),
        (ListClusters, json!({"nextToken": "not a token"})),
        (UpdateCluster, json!({"cluster": "nope"})),
        (
            UpdateClusterSettings,
            json!({"cluster": "nope", "settings": [{"name": "containerInsights", "value": "enabled"}]}),
        ),
        (
            PutClusterCapacityProviders,
            json!({"cluster": "c", "capacityProviders": ["EC2_SPOT"], "defaultCapacityProviderStrategy": []}),
        ),
        (
            PutClusterCapacityProviders,
            json!({"cluster": "nope", "capacityProviders": [], "defaultCapacityProviderStrategy": []}),
        ),
        (DescribeCapacityProviders, json!({"maxResults": 0})),
        (
            CreateCapacityProvider,
            json!({"name": "aws-x", "autoScalingGroupProvider": {"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:x"}}),
        ),
        (UpdateCapacityProvider, json!({"name": "nope", "autoScalingGroupProvider": {}})),
        (DeleteCapacityProvider, json!({"capacityProvider": "nope"})),
        (RegisterTaskDefinition, json!({"family": "f", "containerDefinitions": []})),
        (
            RegisterTaskDefinition,
            json!({"family": "f", "containerDefinitions": [{"name": "a", "image": "i"}]}),
        ),
        (DescribeTaskDefinition, json!({"taskDefinition": "nope:1"})),
        (ListTaskDefinitions, json!({"nextToken": "not a token"})),
        (ListTaskDefinitionFamilies, json!({"nextToken": "not a token"})),
        (DeregisterTaskDefinition, json!({"taskDefinition": "nope:1"})),
        (DeregisterTaskDefinition, json!({"taskDefinition": "web"})),
        (DeleteTaskDefinitions, json!({"taskDefinitions": vec!["web:1"; 11]})),
        (
            TagResource,
            json!({"resourceArn": arn("cluster/nope"), "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            TagResource,
            json!({"resourceArn": arn("task-definition/nope:1"), "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            TagResource,
            json!({"resourceArn": arn("cluster/c"), "tags": [{"key": "aws:k", "value": "v"}]}),
        ),
        (UntagResource, json!({"resourceArn": arn("task-definition/nope:1"), "tagKeys": ["k"]})),
        (ListTagsForResource, json!({"resourceArn": arn("cluster/nope")})),
        (ListTagsForResource, json!({"resourceArn": arn("task-definition/nope:1")})),
        (ListTagsForResource, json!({"resourceArn": "not an arn"})),
        (DescribeServiceRevisions, json!({"serviceRevisionArns": []})),
        (UpdateContainerAgent, json!({"cluster": "c", "containerInstance": instance})),
        (UpdateContainerAgent, json!({"cluster": "c", "containerInstance": "nope"})),
        (ListTasks, json!({"cluster": "c", "serviceName": "nope"})),
        // Task sets: only for EXTERNAL services (`web` uses the ECS controller).
        (CreateTaskSet, json!({"cluster": "c", "service": "web", "taskDefinition": "web:1"})),
        (CreateTaskSet, json!({"cluster": "c", "service": "nope", "taskDefinition": "web:1"})),
        (
            UpdateTaskSet,
            json!({"cluster": "c", "service": "web", "taskSet": "ts", "scale": {"value": 50}}),
        ),
        (DeleteTaskSet, json!({"cluster": "nope", "service": "web", "taskSet": "ts"})),
        (DescribeTaskSets, json!({"cluster": "c", "service": "web"})),
        (
            UpdateServicePrimaryTaskSet,
            json!({"cluster": "c", "service": "web", "primaryTaskSet": "ts"}),
        ),
        (
            StopServiceDeployment,
            json!({"serviceDeploymentArn": arn("service-deployment/c/nope/1")}),
        ),
        (
            StopServiceDeployment,
            json!({"serviceDeploymentArn": arn("service-deployment/c/web/1"), "stopType": "ABORT"}),
        ),
        (GetTaskProtection, json!({"cluster": "nope"})),
        (
            UpdateTaskProtection,
            json!({"cluster": "c", "tasks": ["t"], "protectionEnabled": true, "expiresInMinutes": 0}),
        ),
        (
            UpdateTaskProtection,
            json!({"cluster": "nope", "tasks": ["t"], "protectionEnabled": true}),
        ),
        // Into a cluster that does not exist; with a document of another region.
        (RegisterContainerInstance, registration("nope")),
        (
            RegisterContainerInstance,
            json!({"cluster": "c", "instanceIdentityDocument":
                "{\"instanceId\":\"i-0123456789abcdef0\",\"region\":\"eu-west-3\"}"}),
        ),
        (DeregisterContainerInstance, json!({"cluster": "c", "containerInstance": "nope"})),
        (DeregisterContainerInstance, json!({"cluster": "nope", "containerInstance": instance})),
        (DescribeContainerInstances, json!({"cluster": "nope", "containerInstances": [instance]})),
        (ListContainerInstances, json!({"cluster": "c", "filter": "attribute:x ==="})),
        (
            UpdateContainerInstancesState,
            json!({"cluster": "nope", "containerInstances": [instance], "status": "DRAINING"}),
        ),
        (
            UpdateContainerInstancesState,
            json!({"cluster": "c", "containerInstances": [instance], "status": "REGISTERING"}),
        ),
        (PutAttributes, json!({"cluster": "c", "attributes": [{"name": "a", "targetId": "nope"}]})),
        (
            PutAttributes,
            json!({"cluster": "nope", "attributes": [{"name": "a", "targetId": instance}]}),
        ),
        (
            DeleteAttributes,
            json!({"cluster": "c", "attributes": [{"name": "a", "targetId": "nope"}]}),
        ),
        (ListAttributes, json!({"cluster": "nope", "targetType": "container-instance"})),
        (DiscoverPollEndpoint, json!({"cluster": 7})),
        (
            CreateService,
            json!({"cluster": "c", "serviceName": "api", "taskDefinition": "nope:1", "desiredCount": 1}),
        ),
        (
            CreateService,
            json!({"cluster": "c", "serviceName": "api", "taskDefinition": "old:1", "desiredCount": 1}),
        ),
        (
            CreateService,
            json!({"cluster": "nope", "serviceName": "api", "taskDefinition": "web:1"}),
        ),
        (
            CreateService,
            json!({"cluster": "c", "serviceName": "api", "taskDefinition": "web:1", "launchType": "FARGATE"}),
        ),
        (UpdateService, json!({"cluster": "c", "service": "nope", "desiredCount": 2})),
        (UpdateService, json!({"cluster": "c", "service": "web", "taskDefinition": "nope:1"})),
        (DeleteService, json!({"cluster": "c", "service": "nope"})),
        (DeleteService, json!({"cluster": "c", "service": "web"})),
        (DescribeServices, json!({"cluster": "nope", "services": ["web"]})),
        (ListServices, json!({"cluster": "nope"})),
        (DescribeServiceDeployments, json!({"serviceDeploymentArns": ["not an arn"]})),
        (ListServiceDeployments, json!({"cluster": "c", "service": "nope"})),
        (RunTask, json!({"cluster": "nope", "taskDefinition": "web:1"})),
        (RunTask, json!({"cluster": "c", "taskDefinition": "nope:1"})),
        (RunTask, json!({"cluster": "c", "taskDefinition": "old:1"})),
        (RunTask, json!({"cluster": "c", "taskDefinition": "web:1", "launchType": "FARGATE"})),
        (
            StartTask,
            json!({"cluster": "c", "taskDefinition": "web:1", "containerInstances": ["nope"]}),
        ),
        (
            StartTask,
            json!({"cluster": "c", "taskDefinition": "nope:1", "containerInstances": [instance]}),
        ),
        (StopTask, json!({"cluster": "c", "task": "nope"})),
        (StopTask, json!({"cluster": "nope", "task": "nope"})),
        (DescribeTasks, json!({"cluster": "nope", "tasks": ["x"]})),
        (ListTasks, json!({"cluster": "c", "maxResults": 101})),
        (ListTasks, json!({"cluster": "nope"})),
        // Without the instance's agent token.
        (SubmitTaskStateChange, json!({"cluster": "c", "task": "nope", "status": "RUNNING"})),
        (
            SubmitAttachmentStateChanges,
            json!({"cluster": "c", "attachments": [{"attachmentArn": "x", "status": "ATTACHED"}]}),
        ),
        (
            SubmitContainerStateChange,
            json!({"cluster": "c", "task": "nope", "containerName": "app"}),
        ),
        (ListAccountSettings, json!({"principalArn": "not an arn"})),
        (PutAccountSetting, json!({"name": "containerInsights", "value": "maybe"})),
        (PutAccountSettingDefault, json!({"name": "serviceLongArnFormat", "value": "maybe"})),
        (DeleteAccountSetting, json!({"name": "containerInsights", "principalArn": "not an arn"})),
    ]
}

#[tokio::test]
async fn every_refusal_is_a_code_the_model_lists_or_a_common_one() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let instance = h.register_instance("c").await;
    h.register_definition("web").await;
    h.register_definition("old").await;
    h.call("DeregisterTaskDefinition", json!({"taskDefinition": "old:1"})).await.ok();
    h.create_service("c", "web", "web:1", 1).await;

    let probes = probes(&instance.id);
    let before = h.revision();
    let mut codes = std::collections::BTreeSet::new();
    let mut accepted = Vec::new();
    for (op, body) in &probes {
        let reply = h.call(op.name(), body.clone()).await;
        let Some(name) = reply.error_type.as_deref() else {
            accepted.push(format!("{} {body}: {reply:?}", op.name()));
            continue;
        };
        let code = ErrorCode::from_name(name).unwrap_or_else(|| panic!("unknown code {name}"));
        assert!(
            op.allows(code),
            "{} answered {name}, which is neither in its model list {:?} nor common: {reply:?}",
            op.name(),
            op.errors(),
        );
        assert_eq!(reply.status, code.status(), "{reply:?}");
        codes.insert(code);
    }
    assert!(accepted.is_empty(), "these probes should be refused:\n{}", accepted.join("\n"));
    assert_eq!(h.revision(), before, "a refused request writes nothing");
    // Every operation Berth serves is probed, and the probes reach more than validation.
    for op in server::SERVED {
        assert!(probes.iter().any(|(probed, _)| probed == op), "{op:?} is not probed");
    }
    for code in [
        ErrorCode::AccessDeniedException,
        ErrorCode::ClientException,
        ErrorCode::ClusterNotFoundException,
        ErrorCode::InvalidParameterException,
        ErrorCode::ServiceNotFoundException,
        ErrorCode::TargetNotFoundException,
        ErrorCode::UnsupportedFeatureException,
    ] {
        assert!(codes.contains(&code), "no probe answered {code}: {codes:?}");
    }
}
