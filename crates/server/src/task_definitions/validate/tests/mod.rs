//! Tests of the task definition registration rules: each rule accepted and refused with its
//! message, Fargate's cpu/memory table, the defaults ECS fills in, what a registration keeps of
//! the request, and the computed `compatibilities` and `requiresAttributes`.

use std::collections::BTreeSet;

use api::{
    ApiError, ContainerDefinition, ErrorCode, LogDriver, RegisterTaskDefinitionRequest,
    TaskDefinition,
};
use serde_json::{Value, json};

use super::{CAPABILITY_ATTRIBUTES, check_registration, placement_memory, task_requirements};
use crate::config::Quotas;

mod attributes;
mod containers;
mod resources;

fn request(value: Value) -> RegisterTaskDefinitionRequest {
    serde_json::from_value(value).expect("the test request matches the model")
}

fn register_with(value: Value, quotas: &Quotas) -> Result<TaskDefinition, ApiError> {
    check_registration(&request(value), quotas)
}

fn register(value: Value) -> Result<TaskDefinition, ApiError> {
    register_with(value, &Quotas::default())
}

#[track_caller]
fn accepted(value: Value) -> TaskDefinition {
    match register(value) {
        Ok(definition) => definition,
        Err(error) => panic!("refused: {error}"),
    }
}

#[track_caller]
fn refused(value: Value) -> ApiError {
    match register(value) {
        Ok(definition) => panic!("accepted: {}", to_json(&definition)),
        Err(error) => error,
    }
}

#[track_caller]
fn assert_client(value: Value, message: &str) {
    let error = refused(value);
    assert_eq!(error.code, ErrorCode::ClientException, "{error}");
    assert_eq!(error.message, message);
}

#[track_caller]
fn assert_invalid(value: Value, message: &str) {
    let error = refused(value);
    assert_eq!(error.code, ErrorCode::InvalidParameterException, "{error}");
    assert_eq!(error.message, message);
}

/// Adds the members of `extra` (an object) to `target`, replacing those it already has.
fn merge(target: &mut Value, extra: Value) {
    if let Value::Object(members) = extra {
        for (key, value) in members {
            target[key] = value;
        }
    }
}

/// A registration of family "app" with these containers and task-level members.
fn task(containers: Value, extra: Value) -> Value {
    let mut value = json!({"family": "app", "containerDefinitions": containers});
    merge(&mut value, extra);
    value
}

/// A container with a 512 MiB hard limit, plus `extra`.
fn container(name: &str, extra: Value) -> Value {
    let mut value = json!({"name": name, "image": "nginx:1.27", "memory": 512});
    merge(&mut value, extra);
    value
}

/// A registration with the single container "web".
fn one(extra: Value) -> Value {
    task(json!([container("web", extra)]), json!({}))
}

/// A registration with the single container "web" and these task-level members.
fn one_with(container_extra: Value, extra: Value) -> Value {
    task(json!([container("web", container_extra)]), extra)
}

/// A registration that requires Fargate with this size and the container "web".
fn fargate(cpu: &str, memory: &str, container_extra: Value, extra: Value) -> Value {
    let mut web = json!({"name": "web", "image": "nginx:1.27"});
    merge(&mut web, container_extra);
    let mut value = task(
        json!([web]),
        json!({
            "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc",
            "cpu": cpu,
            "memory": memory,
        }),
    );
    merge(&mut value, extra);
    value
}

fn to_json(definition: &TaskDefinition) -> Value {
    serde_json::to_value(definition).expect("a task definition serializes")
}

fn attribute_names(definition: &TaskDefinition) -> Vec<String> {
    let attributes = definition.requires_attributes.as_deref().unwrap_or_default();
    attributes.iter().map(|a| a.name.clone()).collect()
}

fn compatibilities(definition: &TaskDefinition) -> Vec<&'static str> {
    let list = definition.compatibilities.as_deref().unwrap_or_default();
    list.iter().map(|c| c.as_str()).collect()
}

/// Every member of `input` is in `output` with an equal value; lists have the same length and
/// are compared item by item. `output` may have more members (ECS's defaults).
#[track_caller]
fn assert_kept(input: &Value, output: &Value, path: &str) {
    match (input, output) {
        (Value::Object(input), Value::Object(output)) => {
            for (key, value) in input {
                let Some(kept) = output.get(key) else {
                    panic!("{path}.{key} was dropped");
                };
                assert_kept(value, kept, &format!("{path}.{key}"));
            }
        }
        (Value::Array(input), Value::Array(output)) => {
            assert_eq!(input.len(), output.len(), "{path} changed length");
            for (i, (item, kept)) in input.iter().zip(output).enumerate() {
                assert_kept(item, kept, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(input, output, "{path} changed"),
    }
}

// ---------------------------------------------------------------------------------------------
// Defaults and what a registration keeps

#[test]
fn minimal_definition_gets_ecs_defaults() {
    let definition = accepted(one(json!({})));
    assert_eq!(
        to_json(&definition),
        json!({
            "family": "app",
            "containerDefinitions": [{
                "name": "web",
                "image": "nginx:1.27",
                "cpu": 0,
                "memory": 512,
                "portMappings": [],
                "essential": true,
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
            }],
            "volumes": [],
            "placementConstraints": [],
            "compatibilities": ["EC2", "EXTERNAL"],
            "requiresAttributes": [],
        })
    );
}

#[test]
fn realistic_multi_container_definition_is_kept_with_defaults() {
    let input = json!({
        "family": "shop-web",
        "taskRoleArn": "arn:aws:iam::123456789012:role/shop-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/shop-execution",
        "networkMode": "bridge",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-web:1.4.2",
                "cpu": 512,
                "memory": 1024,
                "memoryReservation": 768,
                "essential": true,
                "portMappings": [
                    {"containerPort": 8080, "hostPort": 80, "protocol": "tcp", "name": "http", "appProtocol": "http"},
                    {"containerPort": 9090}
                ],
                "environment": [
                    {"name": "DATABASE_HOST", "value": "database"},
                    {"name": "LOG_LEVEL", "value": "info"}
                ],
                "secrets": [{
                    "name": "DATABASE_PASSWORD",
                    "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-AbCdEf"
                }],
                "links": ["db:database"],
                "mountPoints": [{"sourceVolume": "uploads", "containerPath": "/var/www/uploads", "readOnly": false}],
                "dependsOn": [
                    {"containerName": "migrate", "condition": "SUCCESS"},
                    {"containerName": "db", "condition": "HEALTHY"}
                ],
                "healthCheck": {
                    "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                    "interval": 15,
                    "timeout": 3,
                    "retries": 4,
                    "startPeriod": 20
                },
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/shop",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "web"
                    }
                },
                "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
                "dockerLabels": {"team": "shop"},
                "stopTimeout": 60
            },
            {
                "name": "db",
                "image": "postgres:16",
                "cpu": 256,
                "memoryReservation": 512,
                "environment": [{"name": "POSTGRES_DB", "value": "shop"}],
                "mountPoints": [{"sourceVolume": "pgdata", "containerPath": "/var/lib/postgresql/data"}],
                "healthCheck": {"command": ["CMD", "pg_isready", "-U", "postgres"]},
                "logConfiguration": {"logDriver": "json-file", "options": {"max-size": "10m"}}
            },
            {
                "name": "migrate",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-web:1.4.2",
                "memory": 256,
                "essential": false,
                "command": ["bin/migrate"],
                "dependsOn": [{"containerName": "db", "condition": "HEALTHY"}],
                "volumesFrom": [{"sourceContainer": "web", "readOnly": true}]
            }
        ],
        "volumes": [
            {"name": "uploads", "host": {"sourcePath": "/srv/shop/uploads"}},
            {"name": "pgdata", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local"}}
        ],
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}],
        "requiresCompatibilities": ["EC2"],
        "cpu": "1024",
        "memory": "2048",
        "tags": [{"key": "team", "value": "shop"}]
    });
    let definition = accepted(input.clone());
    let output = to_json(&definition);

    let mut kept = input;
    kept.as_object_mut().expect("an object").remove("tags");
    assert_kept(&kept, &output, "");
    assert!(output.get("tags").is_none(), "tags are stored with the resource, not here");

    let containers = &output["containerDefinitions"];
    // Defaults ECS fills in.
    assert_eq!(containers[2]["cpu"], json!(0));
    assert_eq!(containers[1]["essential"], json!(true));
    assert_eq!(containers[1]["portMappings"], json!([]));
    assert_eq!(containers[2]["environment"], json!([]));
    assert_eq!(containers[2]["mountPoints"], json!([]));
    assert_eq!(containers[0]["volumesFrom"], json!([]));
    assert_eq!(containers[0]["portMappings"][1], json!({"containerPort": 9090, "protocol": "tcp"}));
    assert_eq!(
        containers[1]["healthCheck"],
        json!({"command": ["CMD", "pg_isready", "-U", "postgres"], "interval": 30, "timeout": 5, "retries": 3})
    );
    // Values that were sent are not replaced by defaults.
    assert_eq!(containers[0]["healthCheck"]["interval"], json!(15));

    assert_eq!(compatibilities(&definition), ["EC2", "EXTERNAL"]);
    assert_eq!(
        attribute_names(&definition),
        [
            "com.amazonaws.ecs.capability.docker-remote-api.1.18",
            "com.amazonaws.ecs.capability.docker-remote-api.1.19",
            "com.amazonaws.ecs.capability.docker-remote-api.1.21",
            "com.amazonaws.ecs.capability.docker-remote-api.1.24",
            "com.amazonaws.ecs.capability.ecr-auth",
            "com.amazonaws.ecs.capability.logging-driver.awslogs",
            "com.amazonaws.ecs.capability.logging-driver.json-file",
            "com.amazonaws.ecs.capability.task-iam-role",
            "ecs.capability.container-health-check",
            "ecs.capability.container-ordering",
            "ecs.capability.execution-role-awslogs",
            "ecs.capability.execution-role-ecr-pull",
            "ecs.capability.secrets.asm.environment-variables",
        ]
    );
}

#[test]
fn every_request_member_round_trips() {
    // Built in parts: one literal of this size exceeds the json! macro's recursion limit.
    let mut app = json!({
        "name": "app",
        "image": "registry.example.com/team/app@sha256:0123456789abcdef",
        "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry"},
        "cpu": 256,
        "memory": 1024,
        "memoryReservation": 512,
        "links": ["envoy:proxy"],
        "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "udp", "name": "app", "appProtocol": "grpc"}],
        "essential": true,
        "restartPolicy": {"enabled": true, "ignoredExitCodes": [0], "restartAttemptPeriod": 60},
        "entryPoint": ["/bin/sh", "-c"],
        "command": ["exec app"],
        "environment": [{"name": "MODE", "value": "full"}],
        "environmentFiles": [{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}],
        "mountPoints": [{"sourceVolume": "efs", "containerPath": "/data", "readOnly": true}],
        "volumesFrom": [{"sourceContainer": "envoy", "readOnly": true}]
    });
    merge(
        &mut app,
        json!({
            "linuxParameters": {
                "capabilities": {"add": ["NET_ADMIN"], "drop": ["MKNOD"]},
                "devices": [{"hostPath": "/dev/fuse", "containerPath": "/dev/fuse", "permissions": ["read", "write"]}],
                "initProcessEnabled": true,
                "sharedMemorySize": 64,
                "tmpfs": [{"containerPath": "/tmp", "size": 128, "mountOptions": ["noexec"]}],
                "maxSwap": 1024,
                "swappiness": 10
            },
            "secrets": [{"name": "TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/token"}],
            "dependsOn": [{"containerName": "envoy", "condition": "START"}],
            "startTimeout": 30,
            "stopTimeout": 90,
            "versionConsistency": "disabled",
            "hostname": "app",
            "user": "1000:1000",
            "workingDirectory": "/srv",
            "disableNetworking": false,
            "privileged": true,
            "readonlyRootFilesystem": true,
            "dnsServers": ["10.0.0.2"],
            "dnsSearchDomains": ["corp.example.com"],
            "extraHosts": [{"hostname": "db", "ipAddress": "10.0.0.5"}],
            "dockerSecurityOptions": ["no-new-privileges"],
            "interactive": false,
            "pseudoTerminal": false,
            "dockerLabels": {"team": "core"},
            "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
            "logConfiguration": {
                "logDriver": "splunk",
                "options": {"splunk-url": "https://splunk.example.com"},
                "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/splunk"}]
            },
            "healthCheck": {"command": ["CMD", "/bin/health"], "interval": 10, "timeout": 2, "retries": 1, "startPeriod": 0},
            "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}],
            "resourceRequirements": [{"value": "1", "type": "GPU"}],
            "credentialSpecs": ["credentialspecdomainless:arn:aws:s3:::bucket/spec.json"]
        }),
    );
    let input = json!({
        "family": "everything",
        "taskRoleArn": "arn:aws:iam::123456789012:role/task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/execution",
        "networkMode": "bridge",
        "containerDefinitions": [
            app,
            {
                "name": "envoy",
                "image": "envoyproxy/envoy:v1.31",
                "memory": 256,
                "essential": false,
                "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}
            }
        ],
        "volumes": [{
            "name": "efs",
            "efsVolumeConfiguration": {
                "fileSystemId": "fs-12345678",
                "transitEncryption": "ENABLED",
                "transitEncryptionPort": 2999,
                "authorizationConfig": {"accessPointId": "fsap-1234", "iam": "ENABLED"}
            },
            "configuredAtLaunch": false
        }],
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}],
        "requiresCompatibilities": ["EC2"],
        "cpu": "1 vCPU",
        "memory": "2 GB",
        "pidMode": "task",
        "ipcMode": "task",
        "proxyConfiguration": {
            "type": "APPMESH",
            "containerName": "envoy",
            "properties": [{"name": "IgnoredUID", "value": "1337"}]
        },
        "inferenceAccelerators": [{"deviceName": "device1", "deviceType": "eia2.medium"}],
        "ephemeralStorage": {"sizeInGiB": 40},
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "enableFaultInjection": true
    });
    let definition = accepted(input.clone());
    let output = to_json(&definition);

    let mut kept = input;
    let members = kept.as_object_mut().expect("an object");
    members.remove("cpu");
    members.remove("memory");
    assert_kept(&kept, &output, "");
    // Sizes are stored normalized to CPU units and MiB.
    assert_eq!(output["cpu"], json!("1024"));
    assert_eq!(output["memory"], json!("2048"));
    assert_eq!(compatibilities(&definition), ["EC2", "EXTERNAL"]);
    let attributes = attribute_names(&definition);
    for expected in [
        "com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager",
        "com.amazonaws.ecs.capability.privileged-container",
        "com.amazonaws.ecs.capability.docker-remote-api.1.25",
        "com.amazonaws.ecs.capability.logging-driver.splunk",
        "ecs.capability.aws-appmesh",
        "ecs.capability.efs",
        "ecs.capability.efsAuth",
        "ecs.capability.env-files.s3",
        "ecs.capability.firelens.fluentbit",
        "ecs.capability.pid-ipc-namespace-sharing",
        "ecs.capability.secrets.ssm.bootstrap.log-driver",
        "ecs.capability.secrets.ssm.environment-variables",
    ] {
        assert!(attributes.iter().any(|a| a == expected), "{expected} missing from {attributes:?}");
    }
}

#[test]
fn an_efs_volume_gets_its_root_directory_and_transit_encryption_defaults() {
    let definition = accepted(task(
        json!([container("web", json!({}))]),
        json!({"volumes": [
            {"name": "plain", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}},
            {"name": "given", "efsVolumeConfiguration": {"fileSystemId": "fs-2",
                "rootDirectory": "/data", "transitEncryption": "ENABLED"}},
            {"name": "scratch"}
        ]}),
    ));
    let volumes = &to_json(&definition)["volumes"];
    assert_eq!(
        volumes[0]["efsVolumeConfiguration"],
        json!({"fileSystemId": "fs-1", "rootDirectory": "/", "transitEncryption": "DISABLED"})
    );
    assert_eq!(volumes[1]["efsVolumeConfiguration"]["rootDirectory"], "/data");
    assert_eq!(volumes[1]["efsVolumeConfiguration"]["transitEncryption"], "ENABLED");
    assert_eq!(volumes[2], json!({"name": "scratch"}));
}

#[test]
fn tags_are_not_part_of_the_definition() {
    let definition = accepted(one_with(json!({}), json!({"tags": [{"key": "k", "value": "v"}]})));
    assert!(to_json(&definition).get("tags").is_none());
}

#[test]
fn network_mode_is_stored_as_sent() {
    assert!(to_json(&accepted(one(json!({})))).get("networkMode").is_none());
    let host = accepted(one_with(json!({}), json!({"networkMode": "host"})));
    assert_eq!(to_json(&host)["networkMode"], json!("host"));
}

fn pair(web_extra: Value, init_extra: Value) -> Value {
    task(json!([container("web", web_extra), container("init", init_extra)]), json!({}))
}

fn depends(on: &str, condition: &str) -> Value {
    json!({"dependsOn": [{"containerName": on, "condition": condition}]})
}
