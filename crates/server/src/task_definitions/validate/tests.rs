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

// ---------------------------------------------------------------------------------------------
// Family and containers

#[test]
fn family_rules() {
    let with_family =
        |family: &str| task(json!([container("web", json!({}))]), json!({"family": family}));
    accepted(with_family("web_app-2"));
    accepted(with_family(&"a".repeat(255)));
    assert_client(with_family(""), "Family should not be null or empty.");
    assert_client(with_family("web app"), "Family contains invalid characters.");
    assert_client(with_family("web.app"), "Family contains invalid characters.");
    assert_client(
        with_family(&"a".repeat(256)),
        "Family is too long. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and \
         underscores are allowed.",
    );
}

#[test]
fn container_list_must_not_be_empty() {
    assert_client(task(json!([]), json!({})), "Container list cannot be empty.");
}

#[test]
fn container_count_is_limited_by_the_quota() {
    let containers = |n: usize| {
        let list: Vec<Value> = (0..n).map(|i| container(&format!("c{i}"), json!({}))).collect();
        task(Value::Array(list), json!({}))
    };
    accepted(containers(10));
    assert_client(containers(11), "Too many containers. Max allowed is '10'.");
    let quotas = Quotas { containers_per_task_definition: 2, ..Quotas::default() };
    assert!(register_with(containers(2), &quotas).is_ok());
    let error = register_with(containers(3), &quotas).expect_err("over the quota");
    assert_eq!(error.message, "Too many containers. Max allowed is '2'.");
}

#[test]
fn container_name_rules() {
    assert_client(
        task(json!([{"image": "nginx", "memory": 512}]), json!({})),
        "Container.name should not be null or empty.",
    );
    assert_client(
        task(json!([{"name": "", "image": "nginx", "memory": 512}]), json!({})),
        "Container.name should not be null or empty.",
    );
    assert_client(
        task(json!([container("my web", json!({}))]), json!({})),
        "Invalid setting for container 'my web'. Container.name contains invalid characters.",
    );
    let long = "w".repeat(256);
    assert_client(
        task(json!([container(&long, json!({}))]), json!({})),
        &format!(
            "Invalid setting for container '{long}'. Container.name must be at most 255 characters long."
        ),
    );
    accepted(task(json!([container(&"w".repeat(255), json!({}))]), json!({})));
    assert_client(
        task(json!([container("web", json!({})), container("web", json!({}))]), json!({})),
        "Invalid setting for container 'web'. Container names must be unique within a Task Definition.",
    );
}

#[test]
fn container_image_is_required() {
    assert_client(
        task(json!([{"name": "web", "memory": 512}]), json!({})),
        "Invalid setting for container 'web'. Container.image should not be null or empty.",
    );
    assert_client(
        one(json!({"image": " "})),
        "Invalid setting for container 'web'. Container.image should not be null or empty.",
    );
}

#[test]
fn at_least_one_container_is_essential() {
    let containers = |first: bool, second: bool| {
        task(
            json!([
                container("a", json!({"essential": first})),
                container("b", json!({"essential": second})),
            ]),
            json!({}),
        )
    };
    accepted(containers(false, true));
    assert_client(containers(false, false), "At least one essential container is required.");
}

// ---------------------------------------------------------------------------------------------
// Memory and CPU

#[test]
fn containers_need_memory_unless_the_task_has_it() {
    let no_memory = json!([{"name": "web", "image": "nginx"}]);
    assert_client(
        task(no_memory.clone(), json!({})),
        "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' \
         must be specified.",
    );
    accepted(task(no_memory, json!({"memory": "512"})));
    accepted(task(json!([{"name": "web", "image": "nginx", "memoryReservation": 128}]), json!({})));
}

#[test]
fn container_memory_minimum_is_six_mib() {
    accepted(one(json!({"memory": 6})));
    assert_client(
        one(json!({"memory": 5})),
        "Invalid 'memory' setting for container 'web'. The minimum is 6 MiB.",
    );
    assert_client(
        one(json!({"memory": null, "memoryReservation": 0})),
        "Invalid 'memoryReservation' setting for container 'web'. It must be a positive number \
         of MiB.",
    );
}

#[test]
fn memory_must_not_be_below_the_reservation() {
    accepted(one(json!({"memory": 512, "memoryReservation": 256})));
    accepted(one(json!({"memory": 512, "memoryReservation": 512})));
    assert_client(
        one(json!({"memory": 256, "memoryReservation": 512})),
        "Invalid setting for container 'web'. 'memory' must be greater than or equal to \
         'memoryReservation'.",
    );
}

#[test]
fn container_memory_fits_the_task_memory() {
    accepted(one_with(json!({"memory": 1024}), json!({"memory": "1024"})));
    assert_client(
        one_with(json!({"memory": 1025}), json!({"memory": "1024"})),
        "The 'memory' setting for container 'web' is greater than for the task.",
    );
    let reservations = |a: i32, b: i32| {
        task(
            json!([
                {"name": "a", "image": "nginx", "memoryReservation": a},
                {"name": "b", "image": "nginx", "memoryReservation": b},
            ]),
            json!({"memory": "1024"}),
        )
    };
    accepted(reservations(512, 512));
    assert_client(
        reservations(512, 513),
        "The sum of all container 'memoryReservation' values cannot be greater than the value of \
         the task 'memory'.",
    );
}

#[test]
fn container_cpu_fits_the_task_cpu() {
    let cpus = |a: i32, b: i32| {
        task(
            json!([container("a", json!({"cpu": a})), container("b", json!({"cpu": b}))]),
            json!({"cpu": "512"}),
        )
    };
    accepted(cpus(256, 256));
    assert_client(
        cpus(256, 257),
        "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
    assert_client(
        one(json!({"cpu": -1})),
        "Invalid 'cpu' setting for container 'web'. It must not be negative.",
    );
}

#[test]
fn task_cpu_and_memory_are_normalized() {
    let cases = [
        ("1024", "2048", "1024", "2048"),
        ("1 vCPU", "1 GB", "1024", "1024"),
        ("1vcpu", "1GB", "1024", "1024"),
        ("0.5 vCPU", "0.5GB", "512", "512"),
        (".25 VCPU", "2 gb", "256", "2048"),
        ("2 vCPU", "3.5 GB", "2048", "3584"),
        (" 4096 ", "120GB", "4096", "122880"),
    ];
    for (cpu, memory, stored_cpu, stored_memory) in cases {
        let definition = accepted(one_with(json!({}), json!({"cpu": cpu, "memory": memory})));
        assert_eq!(definition.cpu.as_deref(), Some(stored_cpu), "cpu {cpu:?}");
        assert_eq!(definition.memory.as_deref(), Some(stored_memory), "memory {memory:?}");
    }
}

#[test]
fn unreadable_task_sizes_are_invalid_parameters() {
    for cpu in ["", "two", "1 core", "0.3 vCPU", "vCPU", "-1", "1.5"] {
        assert_invalid(
            one_with(json!({}), json!({"cpu": cpu})),
            &format!(
                "Invalid 'cpu' setting for task. '{cpu}' is neither a number of CPU units \
                 (\"1024\") nor of vCPUs (\"1 vCPU\")."
            ),
        );
    }
    for memory in ["", "1 TB", "512 MiB", "0.0001GB"] {
        assert_invalid(
            one_with(json!({}), json!({"memory": memory})),
            &format!(
                "Invalid 'memory' setting for task. '{memory}' is neither a number of MiB \
                 (\"2048\") nor of GB (\"2 GB\")."
            ),
        );
    }
}

#[test]
fn ec2_task_cpu_range() {
    accepted(one_with(json!({}), json!({"cpu": "128"})));
    accepted(one_with(json!({}), json!({"cpu": "196608"})));
    assert_client(
        one_with(json!({}), json!({"cpu": "127"})),
        "Invalid 'cpu' setting for task. The task cpu must be between 128 and 196608 CPU units, \
         not 127.",
    );
    assert_client(
        one_with(json!({}), json!({"cpu": "196609"})),
        "Invalid 'cpu' setting for task. The task cpu must be between 128 and 196608 CPU units, \
         not 196609.",
    );
    assert_client(
        one_with(json!({}), json!({"memory": "0"})),
        "Invalid 'memory' setting for task. The task memory must be a positive number of MiB.",
    );
}

// ---------------------------------------------------------------------------------------------
// Fargate

#[test]
fn fargate_accepts_the_documented_combinations() {
    let valid = [
        ("256", "512"),
        ("256", "1024"),
        ("256", "2048"),
        ("512", "1024"),
        ("512", "3072"),
        ("512", "4096"),
        ("1024", "2048"),
        ("1024", "8192"),
        ("2048", "4096"),
        ("2048", "9216"),
        ("2048", "16384"),
        ("4096", "8192"),
        ("4096", "30720"),
        ("8192", "16384"),
        ("8192", "20480"),
        ("8192", "61440"),
        ("16384", "32768"),
        ("16384", "40960"),
        ("16384", "122880"),
        (".25 vCPU", "0.5 GB"),
        ("1 vCPU", "2 GB"),
        ("16 vCPU", "120GB"),
    ];
    for (cpu, memory) in valid {
        let definition = match register(fargate(cpu, memory, json!({}), json!({}))) {
            Ok(definition) => definition,
            Err(error) => panic!("{cpu} / {memory} refused: {error}"),
        };
        assert_eq!(compatibilities(&definition), ["EC2", "FARGATE"], "{cpu} / {memory}");
    }
}

#[test]
fn fargate_refuses_other_combinations() {
    let invalid = [
        ("512", "256"),
        ("256", "256"),
        ("256", "3072"),
        ("512", "5120"),
        ("1024", "1024"),
        ("1024", "9216"),
        ("2048", "17408"),
        ("4096", "8704"),
        ("4096", "31744"),
        ("8192", "18432"),
        ("8192", "65536"),
        ("16384", "36864"),
        ("16384", "131072"),
        ("128", "512"),
        ("3072", "8192"),
    ];
    for (cpu, memory) in invalid {
        assert_client(
            fargate(cpu, memory, json!({}), json!({})),
            &format!(
                "No Fargate configuration exists for given values: {cpu} CPU, {memory} memory."
            ),
        );
    }
}

#[test]
fn fargate_windows_needs_a_whole_vcpu_and_no_large_rows() {
    let windows = json!({"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}});
    accepted(fargate("1024", "2048", json!({}), windows.clone()));
    accepted(fargate("4096", "30720", json!({}), windows.clone()));
    for (cpu, memory) in [("512", "1024"), ("256", "512"), ("8192", "16384")] {
        assert_client(
            fargate(cpu, memory, json!({}), windows.clone()),
            &format!(
                "No Fargate configuration exists for given values: {cpu} CPU, {memory} memory."
            ),
        );
    }
}

#[test]
fn fargate_requires_awsvpc_and_task_sizes() {
    let mut bridge = fargate("256", "512", json!({}), json!({}));
    bridge.as_object_mut().expect("an object").remove("networkMode");
    assert_client(bridge, "Fargate only supports network mode 'awsvpc'.");
    assert_client(
        fargate("256", "512", json!({}), json!({"networkMode": "host"})),
        "Fargate only supports network mode 'awsvpc'.",
    );
    let mut no_cpu = fargate("256", "512", json!({}), json!({}));
    no_cpu.as_object_mut().expect("an object").remove("cpu");
    assert_client(no_cpu, "Fargate requires that 'cpu' be defined at the task level.");
    let mut no_memory = fargate("256", "512", json!({}), json!({}));
    no_memory.as_object_mut().expect("an object").remove("memory");
    assert_client(no_memory, "Fargate requires that 'memory' be defined at the task level.");
}

#[test]
fn fargate_stop_timeout_is_at_most_120_seconds() {
    accepted(fargate("256", "512", json!({"stopTimeout": 120}), json!({})));
    assert_client(
        fargate("256", "512", json!({"stopTimeout": 121}), json!({})),
        "Invalid 'stopTimeout' setting for container 'web'. Fargate allows at most 120 seconds.",
    );
    // EC2 has no such limit.
    accepted(one(json!({"stopTimeout": 600})));
}

#[test]
fn fargate_refuses_unsupported_container_parameters() {
    let cases = [
        (json!({"privileged": true}), "privileged"),
        (json!({"disableNetworking": true}), "disableNetworking"),
        (json!({"links": ["other"]}), "links"),
        (json!({"dnsServers": ["10.0.0.2"]}), "dnsServers"),
        (json!({"dnsSearchDomains": ["corp"]}), "dnsSearchDomains"),
        (json!({"extraHosts": [{"hostname": "db", "ipAddress": "10.0.0.5"}]}), "extraHosts"),
        (json!({"dockerSecurityOptions": ["no-new-privileges"]}), "dockerSecurityOptions"),
        (
            json!({"systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}]}),
            "systemControls",
        ),
        (
            json!({"resourceRequirements": [{"type": "GPU", "value": "1"}]}),
            "resourceRequirements GPU",
        ),
        (
            json!({"linuxParameters": {"devices": [{"hostPath": "/dev/fuse"}]}}),
            "linuxParameters.devices",
        ),
        (json!({"linuxParameters": {"sharedMemorySize": 64}}), "linuxParameters.sharedMemorySize"),
        (
            json!({"linuxParameters": {"tmpfs": [{"containerPath": "/tmp", "size": 64}]}}),
            "linuxParameters.tmpfs",
        ),
        (json!({"linuxParameters": {"maxSwap": 512}}), "linuxParameters.maxSwap"),
        (json!({"linuxParameters": {"swappiness": 10}}), "linuxParameters.swappiness"),
        (
            json!({"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE", "NET_ADMIN"]}}}),
            "linuxParameters.capabilities.add",
        ),
    ];
    for (extra, member) in cases {
        assert_client(
            fargate("256", "512", extra, json!({})),
            &format!(
                "Invalid setting for container 'web'. Tasks using the Fargate launch type do not \
                 support '{member}'."
            ),
        );
    }
}

#[test]
fn fargate_accepts_what_it_supports() {
    accepted(fargate(
        "256",
        "512",
        json!({
            "privileged": false,
            "disableNetworking": false,
            "dnsServers": [],
            "linuxParameters": {
                "capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]},
                "initProcessEnabled": true
            },
            "logConfiguration": {"logDriver": "splunk", "options": {"splunk-url": "https://splunk"}}
        }),
        json!({"pidMode": "task", "volumes": [{"name": "scratch"}, {"name": "bind", "host": {}}]}),
    ));
}

#[test]
fn fargate_refuses_unsupported_task_parameters() {
    let cases = [
        (json!({"ipcMode": "task"}), "Tasks using the Fargate launch type do not support ipcMode."),
        (
            json!({"pidMode": "host"}),
            "Tasks using the Fargate launch type do not support pidMode 'host'.",
        ),
        (
            json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]}),
            "Tasks using the Fargate launch type do not support placementConstraints.",
        ),
        (
            json!({"volumes": [{"name": "logs", "host": {"sourcePath": "/var/log"}}]}),
            "Fargate compatible task definitions do not support sourcePath (volume 'logs').",
        ),
        (
            json!({"volumes": [{"name": "cache", "dockerVolumeConfiguration": {"scope": "task"}}]}),
            "Fargate compatible task definitions do not support dockerVolumeConfiguration (volume \
             'cache').",
        ),
    ];
    for (extra, message) in cases {
        assert_client(fargate("256", "512", json!({}), extra), message);
    }
}

#[test]
fn fargate_log_drivers_and_execution_role() {
    assert_client(
        fargate("256", "512", json!({"logConfiguration": {"logDriver": "syslog"}}), json!({})),
        "Invalid setting for container 'web'. Tasks using the Fargate launch type do not support \
         log driver 'syslog'.",
    );
    let awslogs = json!({"logConfiguration": {
        "logDriver": "awslogs",
        "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}
    }});
    assert_client(
        fargate("256", "512", awslogs.clone(), json!({})),
        "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
    );
    let role = json!({"executionRoleArn": "arn:aws:iam::123456789012:role/execution"});
    accepted(fargate("256", "512", awslogs, role.clone()));
    let ecr = json!({"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"});
    assert_client(
        fargate("256", "512", ecr.clone(), json!({})),
        "Fargate requires task definition to have execution role ARN to support ECR images.",
    );
    accepted(fargate("256", "512", ecr, role));
}

// ---------------------------------------------------------------------------------------------
// Compatibilities

#[test]
fn compatibilities_follow_the_definition() {
    let bridge = accepted(one(json!({})));
    assert_eq!(compatibilities(&bridge), ["EC2", "EXTERNAL"]);
    let host = accepted(one_with(json!({}), json!({"networkMode": "host"})));
    assert_eq!(compatibilities(&host), ["EC2", "EXTERNAL"]);
    let none = accepted(one_with(json!({}), json!({"networkMode": "none"})));
    assert_eq!(compatibilities(&none), ["EC2", "EXTERNAL"]);
    // awsvpc rules out EXTERNAL; without task sizes Fargate is out too.
    let awsvpc = accepted(one_with(json!({}), json!({"networkMode": "awsvpc"})));
    assert_eq!(compatibilities(&awsvpc), ["EC2"]);
    // A definition that passes every Fargate rule is Fargate-compatible without asking.
    let fargate_ready = accepted(one_with(
        json!({}),
        json!({"networkMode": "awsvpc", "cpu": "256", "memory": "512"}),
    ));
    assert_eq!(compatibilities(&fargate_ready), ["EC2", "FARGATE"]);
    let privileged = accepted(one_with(
        json!({"privileged": true}),
        json!({"networkMode": "awsvpc", "cpu": "256", "memory": "512"}),
    ));
    assert_eq!(compatibilities(&privileged), ["EC2"]);
    let managed =
        accepted(one_with(json!({}), json!({"requiresCompatibilities": ["MANAGED_INSTANCES"]})));
    assert_eq!(compatibilities(&managed), ["EC2", "EXTERNAL", "MANAGED_INSTANCES"]);
}

#[test]
fn external_does_not_support_awsvpc() {
    accepted(one_with(json!({}), json!({"requiresCompatibilities": ["EXTERNAL"]})));
    assert_client(
        one_with(
            json!({}),
            json!({"requiresCompatibilities": ["EXTERNAL"], "networkMode": "awsvpc"}),
        ),
        "Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'.",
    );
}

// ---------------------------------------------------------------------------------------------
// Port mappings

#[test]
fn container_port_is_required_and_in_range() {
    accepted(one(json!({"portMappings": [{"containerPort": 1}, {"containerPort": 65535}]})));
    for mapping in
        [json!({"hostPort": 80}), json!({"containerPort": 0}), json!({"containerPort": 65536})]
    {
        assert_client(
            one(json!({"portMappings": [mapping]})),
            "Invalid 'containerPort' setting for container 'web'.",
        );
    }
    assert_client(
        one(json!({"portMappings": [{"containerPort": 80, "hostPort": 65536}]})),
        "Invalid 'hostPort' setting for container 'web'.",
    );
}

#[test]
fn bridge_ports_keep_dynamic_host_ports() {
    let definition = accepted(one(json!({"portMappings": [
        {"containerPort": 80},
        {"containerPort": 81, "hostPort": 0},
        {"containerPort": 82, "hostPort": 8082, "protocol": "udp"}
    ]})));
    assert_eq!(
        to_json(&definition)["containerDefinitions"][0]["portMappings"],
        json!([
            {"containerPort": 80, "protocol": "tcp"},
            {"containerPort": 81, "hostPort": 0, "protocol": "tcp"},
            {"containerPort": 82, "hostPort": 8082, "protocol": "udp"}
        ])
    );
}

#[test]
fn awsvpc_and_host_ports_must_match() {
    for mode in ["awsvpc", "host"] {
        let definition = accepted(one_with(
            json!({"portMappings": [{"containerPort": 8080}, {"containerPort": 9090, "hostPort": 9090}]}),
            json!({"networkMode": mode}),
        ));
        assert_eq!(
            to_json(&definition)["containerDefinitions"][0]["portMappings"],
            json!([
                {"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"},
                {"containerPort": 9090, "hostPort": 9090, "protocol": "tcp"}
            ]),
            "{mode}"
        );
        assert_client(
            one_with(
                json!({"portMappings": [{"containerPort": 8080, "hostPort": 80}]}),
                json!({"networkMode": mode}),
            ),
            &format!(
                "Invalid setting for container 'web'. When networkMode={mode}, the host ports and \
                 container ports in port mappings must match."
            ),
        );
    }
}

#[test]
fn network_mode_none_has_no_port_mappings() {
    accepted(one_with(json!({"portMappings": []}), json!({"networkMode": "none"})));
    assert_client(
        one_with(json!({"portMappings": [{"containerPort": 80}]}), json!({"networkMode": "none"})),
        "Invalid setting for container 'web'. Port mappings are not supported when networkMode=none.",
    );
}

#[test]
fn a_container_port_is_in_one_mapping_only() {
    assert_invalid(
        one(json!({"portMappings": [
            {"containerPort": 53, "protocol": "tcp"},
            {"containerPort": 53, "protocol": "udp"}
        ]})),
        "Container port 53 is used in more than one port mapping for container web",
    );
}

#[test]
fn host_ports_are_not_mapped_twice_in_a_task() {
    let two = |a: Value, b: Value, extra: Value| {
        task(
            json!([
                container("a", json!({"portMappings": [a]})),
                container("b", json!({"portMappings": [b]}))
            ]),
            extra,
        )
    };
    assert_client(
        two(
            json!({"containerPort": 80, "hostPort": 80}),
            json!({"containerPort": 8080, "hostPort": 80}),
            json!({}),
        ),
        "TCP host port '80' is mapped multiple times in task.",
    );
    assert_client(
        two(
            json!({"containerPort": 53, "hostPort": 53, "protocol": "udp"}),
            json!({"containerPort": 5353, "hostPort": 53, "protocol": "udp"}),
            json!({}),
        ),
        "UDP host port '53' is mapped multiple times in task.",
    );
    // awsvpc: the host port is the container port.
    assert_client(
        two(
            json!({"containerPort": 8080}),
            json!({"containerPort": 8080}),
            json!({"networkMode": "awsvpc"}),
        ),
        "TCP host port '8080' is mapped multiple times in task.",
    );
    // Same port, other protocol; and dynamic host ports.
    accepted(two(
        json!({"containerPort": 53, "hostPort": 53, "protocol": "tcp"}),
        json!({"containerPort": 53, "hostPort": 53, "protocol": "udp"}),
        json!({}),
    ));
    accepted(two(
        json!({"containerPort": 80}),
        json!({"containerPort": 80, "hostPort": 0}),
        json!({}),
    ));
}

#[test]
fn container_port_ranges() {
    let ranged = |mapping: Value, mode: &str| {
        one_with(json!({"portMappings": [mapping]}), json!({"networkMode": mode}))
    };
    let definition = accepted(ranged(json!({"containerPortRange": "8000-8010"}), "awsvpc"));
    assert_eq!(
        to_json(&definition)["containerDefinitions"][0]["portMappings"],
        json!([{"containerPortRange": "8000-8010", "protocol": "tcp"}])
    );
    accepted(ranged(json!({"containerPortRange": "8000-8010", "protocol": "udp"}), "bridge"));
    assert_client(
        ranged(json!({"containerPortRange": "8000-8010"}), "host"),
        "Invalid 'containerPortRange' setting for container 'web'. Port ranges are only supported \
         when networkMode is bridge or awsvpc.",
    );
    for range in ["8000", "9000-8000", "8000-8000", "0-10", "8000-70000", "a-b", "80-90-100"] {
        assert_invalid(
            ranged(json!({"containerPortRange": range}), "awsvpc"),
            &format!(
                "Invalid 'containerPortRange' setting for container 'web'. '{range}' is not a \
                 range 'first-last' with 1 <= first < last <= 65535."
            ),
        );
    }
    assert_client(
        ranged(json!({"containerPortRange": "8000-8010", "containerPort": 8000}), "awsvpc"),
        "Invalid 'containerPortRange' setting for container 'web'. A port mapping sets either \
         'containerPort' or 'containerPortRange', not both.",
    );
    assert_client(
        ranged(json!({"containerPortRange": "8000-8010", "hostPort": 8000}), "awsvpc"),
        "Invalid 'containerPortRange' setting for container 'web'. A port mapping with a port \
         range cannot set 'hostPort'.",
    );
    assert_client(
        one_with(
            json!({"portMappings": [{"containerPortRange": "8000-8010"}, {"containerPort": 8005}]}),
            json!({"networkMode": "awsvpc"}),
        ),
        "Invalid 'containerPortRange' setting for container 'web'. A port can only be included in \
         one port mapping per container.",
    );
    let ranges = |n: i32| {
        let list: Vec<Value> = (0..n)
            .map(|i| json!({"containerPortRange": format!("{}-{}", 10000 + 2 * i, 10001 + 2 * i)}))
            .collect();
        one_with(json!({"portMappings": list}), json!({"networkMode": "awsvpc"}))
    };
    accepted(ranges(100));
    assert_client(
        ranges(101),
        "Invalid 'containerPortRange' setting for container 'web'. At most 100 port ranges are \
         allowed per container.",
    );
}

// ---------------------------------------------------------------------------------------------
// Health checks

#[test]
fn health_check_command_starts_with_cmd_or_cmd_shell() {
    accepted(one(json!({"healthCheck": {"command": ["CMD", "/bin/true"]}})));
    accepted(one(json!({"healthCheck": {"command": ["CMD-SHELL", "exit 0"]}})));
    for command in [json!(["NONE"]), json!(["/bin/true"]), json!(["cmd", "x"])] {
        assert_client(
            one(json!({"healthCheck": {"command": command}})),
            "Invalid 'healthCheck' setting for container 'web'. The command must start with CMD \
             or CMD-SHELL.",
        );
    }
    assert_client(
        one(json!({"healthCheck": {"command": []}})),
        "Invalid 'healthCheck' setting for container 'web'. The command should not be null or empty.",
    );
}

#[test]
fn health_check_ranges() {
    for (member, min, max) in
        [("interval", 5, 300), ("timeout", 2, 60), ("retries", 1, 10), ("startPeriod", 0, 300)]
    {
        let check =
            |value: i32| one(json!({"healthCheck": {"command": ["CMD", "true"], member: value}}));
        accepted(check(min));
        accepted(check(max));
        assert_client(
            check(min - 1),
            &format!(
                "Health check {member} must be greater than or equal to the minimum allowed value \
                 {min} for container 'web'"
            ),
        );
        assert_client(
            check(max + 1),
            &format!(
                "Health check {member} must be less than or equal to the maximum allowed value \
                 {max} for container 'web'"
            ),
        );
    }
}

#[test]
fn health_check_defaults_are_stored_and_start_period_is_not() {
    let definition =
        accepted(one(json!({"healthCheck": {"command": ["CMD", "true"], "retries": 5}})));
    assert_eq!(
        to_json(&definition)["containerDefinitions"][0]["healthCheck"],
        json!({"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 5})
    );
}

// ---------------------------------------------------------------------------------------------
// Dependencies

fn pair(web_extra: Value, init_extra: Value) -> Value {
    task(json!([container("web", web_extra), container("init", init_extra)]), json!({}))
}

fn depends(on: &str, condition: &str) -> Value {
    json!({"dependsOn": [{"containerName": on, "condition": condition}]})
}

#[test]
fn dependencies_name_another_container() {
    accepted(pair(depends("init", "START"), json!({})));
    assert_client(
        pair(depends("cache", "START"), json!({})),
        "Invalid setting for container 'web'. Cannot depend on container 'cache' because it does \
         not exist.",
    );
    assert_client(
        pair(depends("web", "START"), json!({})),
        "Invalid setting for container 'web'. A container cannot depend on itself.",
    );
}

#[test]
fn complete_and_success_need_a_non_essential_dependency() {
    for condition in ["COMPLETE", "SUCCESS"] {
        accepted(pair(depends("init", condition), json!({"essential": false})));
        assert_client(
            pair(depends("init", condition), json!({})),
            "Invalid setting for container 'web'. A dependency container with SUCCESS or COMPLETE \
             condition cannot be an essential container: 'init' is essential.",
        );
    }
}

#[test]
fn healthy_needs_a_health_check() {
    accepted(pair(
        depends("init", "HEALTHY"),
        json!({"healthCheck": {"command": ["CMD", "true"]}}),
    ));
    assert_client(
        pair(depends("init", "HEALTHY"), json!({})),
        "Invalid setting for container 'web'. Dependency container 'init' has no healthCheck, so it \
         cannot be used with the HEALTHY condition.",
    );
}

#[test]
fn dependency_cycles_are_refused_and_reported() {
    assert_client(
        pair(depends("init", "START"), depends("web", "START")),
        "Invalid setting for container dependencies. The dependsOn settings form a cycle: 'web' -> \
         'init' -> 'web'.",
    );
    let containers = json!([
        container("lone", json!({})),
        container("a", depends("b", "START")),
        container("b", depends("c", "START")),
        container("c", depends("a", "START")),
    ]);
    assert_client(
        task(containers, json!({})),
        "Invalid setting for container dependencies. The dependsOn settings form a cycle: 'a' -> \
         'b' -> 'c' -> 'a'.",
    );
    // A diamond is not a cycle.
    accepted(task(
        json!([
            container(
                "top",
                json!({"dependsOn": [
                    {"containerName": "left", "condition": "START"},
                    {"containerName": "right", "condition": "START"}
                ]})
            ),
            container("left", depends("bottom", "START")),
            container("right", depends("bottom", "START")),
            container("bottom", json!({})),
        ]),
        json!({}),
    ));
}

#[test]
fn timeouts_are_not_negative() {
    accepted(one(json!({"startTimeout": 0, "stopTimeout": 0})));
    assert_client(
        one(json!({"startTimeout": -1})),
        "Invalid 'startTimeout' setting for container 'web'. It must not be negative.",
    );
    assert_client(
        one(json!({"stopTimeout": -1})),
        "Invalid 'stopTimeout' setting for container 'web'. It must not be negative.",
    );
}

// ---------------------------------------------------------------------------------------------
// Links, volumesFrom, mount points and volumes

#[test]
fn links_only_in_bridge_mode_to_other_containers() {
    accepted(pair(json!({"links": ["init", "init:bootstrap"]}), json!({})));
    for mode in ["awsvpc", "host", "none"] {
        assert_client(
            task(
                json!([container("web", json!({"links": ["init"]})), container("init", json!({}))]),
                json!({"networkMode": mode}),
            ),
            &format!(
                "Invalid setting for container 'web'. Links are not supported when networkMode={mode}."
            ),
        );
    }
    for link in ["cache", "cache:alias", "web"] {
        let target = link.split(':').next().expect("a target");
        assert_client(
            pair(json!({"links": [link]}), json!({})),
            &format!(
                "Invalid 'links' setting for container 'web'. Link target '{target}' is not \
                 another container of the task definition."
            ),
        );
    }
}

#[test]
fn volumes_from_another_existing_container() {
    accepted(pair(
        json!({"volumesFrom": [{"sourceContainer": "init", "readOnly": true}]}),
        json!({}),
    ));
    assert_client(
        pair(json!({"volumesFrom": [{"sourceContainer": "cache"}]}), json!({})),
        "Invalid 'volumesFrom' setting for container 'web'. Source container 'cache' does not exist.",
    );
    assert_client(
        pair(json!({"volumesFrom": [{"sourceContainer": "web"}]}), json!({})),
        "Invalid 'volumesFrom' setting for container 'web'. A container cannot mount volumes from \
         itself.",
    );
    assert_client(
        pair(json!({"volumesFrom": [{"readOnly": true}]}), json!({})),
        "Invalid 'volumesFrom' setting for container 'web'. sourceContainer should not be null or \
         empty.",
    );
}

#[test]
fn mount_points_use_task_volumes_and_absolute_paths() {
    let mounted = |mount: Value| {
        one_with(
            json!({"mountPoints": [mount]}),
            json!({"volumes": [{"name": "data", "host": {}}]}),
        )
    };
    accepted(mounted(json!({"sourceVolume": "data", "containerPath": "/data", "readOnly": true})));
    accepted(mounted(json!({"sourceVolume": "data", "containerPath": "C:\\data"})));
    assert_client(
        mounted(json!({"sourceVolume": "logs", "containerPath": "/logs"})),
        "Invalid setting for container 'web'. Unknown volume 'logs'.",
    );
    assert_client(
        mounted(json!({"containerPath": "/logs"})),
        "Invalid setting for container 'web'. Unknown volume 'null'.",
    );
    assert_client(
        mounted(json!({"sourceVolume": "data", "containerPath": "data"})),
        "Invalid 'mountPoints' setting for container 'web'. containerPath 'data' must be an \
         absolute path.",
    );
    assert_client(
        mounted(json!({"sourceVolume": "data"})),
        "Invalid 'mountPoints' setting for container 'web'. containerPath should not be null or \
         empty.",
    );
}

#[test]
fn volume_names_and_host_paths() {
    let volumes = |list: Value| one_with(json!({}), json!({"volumes": list}));
    accepted(volumes(json!([{"name": "a"}, {"name": "b", "host": {"sourcePath": "/srv/b"}}])));
    assert_client(volumes(json!([{"host": {}}])), "Volume.name should not be null or empty.");
    assert_client(
        volumes(json!([{"name": "my data"}])),
        "Invalid setting for volume 'my data'. Volume.name contains invalid characters.",
    );
    assert_client(
        volumes(json!([{"name": "a"}, {"name": "a"}])),
        "Invalid setting for volume 'a'. Volume names must be unique within a Task Definition.",
    );
    assert_client(
        volumes(json!([{"name": "a", "host": {"sourcePath": ""}}])),
        "Invalid setting for volume 'a'. host.sourcePath should not be blank.",
    );
    assert_client(
        volumes(json!([{"name": "a", "host": {"sourcePath": "srv/a"}}])),
        "Invalid setting for volume 'a'. host.sourcePath 'srv/a' must be an absolute path.",
    );
}

#[test]
fn efs_authorization_needs_transit_encryption() {
    let efs = |config: Value| {
        let mut volume = json!({"fileSystemId": "fs-1234"});
        merge(&mut volume, config);
        one_with(
            json!({}),
            json!({"volumes": [{"name": "shared", "efsVolumeConfiguration": volume}]}),
        )
    };
    accepted(efs(json!({"rootDirectory": "/exports"})));
    accepted(efs(json!({
        "transitEncryption": "ENABLED",
        "rootDirectory": "/",
        "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}
    })));
    assert_client(
        efs(json!({"authorizationConfig": {"accessPointId": "fsap-1"}})),
        "Invalid setting for volume 'shared'. Transit encryption must be enabled when an EFS access \
         point is used.",
    );
    assert_client(
        efs(json!({
            "transitEncryption": "ENABLED",
            "rootDirectory": "/exports",
            "authorizationConfig": {"accessPointId": "fsap-1"}
        })),
        "Invalid setting for volume 'shared'. The rootDirectory must be omitted or '/' when an EFS \
         access point is used.",
    );
    assert_client(
        efs(json!({"transitEncryption": "DISABLED", "authorizationConfig": {"iam": "ENABLED"}})),
        "Invalid setting for volume 'shared'. Transit encryption must be enabled when EFS IAM \
         authorization is used.",
    );
}

// ---------------------------------------------------------------------------------------------
// Environment, secrets, ulimits, logging, proxy

#[test]
fn environment_variable_names_are_not_empty() {
    accepted(one(json!({"environment": [{"name": "A", "value": ""}, {"name": "B"}]})));
    for variable in [json!({"name": "", "value": "x"}), json!({"value": "x"})] {
        assert_client(
            one(json!({"environment": [variable]})),
            "Invalid 'environment' setting for container 'web'. Environment variable names should \
             not be null or empty.",
        );
    }
}

#[test]
fn secrets_are_complete_and_need_an_execution_role() {
    let role = json!({"executionRoleArn": "arn:aws:iam::123456789012:role/execution"});
    let secret = |name: &str, value_from: &str| json!({"secrets": [{"name": name, "valueFrom": value_from}]});
    accepted(one_with(secret("TOKEN", "token-parameter"), role.clone()));
    assert_client(
        one_with(secret("", "token-parameter"), role.clone()),
        "Invalid 'secrets' setting for container 'web'. Secret names should not be null or empty.",
    );
    assert_client(
        one_with(secret("TOKEN", " "), role),
        "Invalid 'secrets' setting for container 'web'. The valueFrom of secret 'TOKEN' should not \
         be null or empty.",
    );
    assert_client(
        one(secret("TOKEN", "token-parameter")),
        "Invalid setting for container 'web'. When you are specifying container secrets, you must \
         also specify a value for 'executionRoleArn'.",
    );
    accepted(one(json!({"secrets": []})));
}

#[test]
fn ulimit_names_are_unique() {
    accepted(one(json!({"ulimits": [
        {"name": "nofile", "softLimit": 1024, "hardLimit": 4096},
        {"name": "nproc", "softLimit": 64, "hardLimit": 64}
    ]})));
    assert_client(
        one(json!({"ulimits": [
            {"name": "nofile", "softLimit": 1024, "hardLimit": 4096},
            {"name": "nofile", "softLimit": 2048, "hardLimit": 4096}
        ]})),
        "Invalid 'ulimits' setting for container 'web'. The ulimit 'nofile' is specified more than once.",
    );
}

#[test]
fn awslogs_requires_region_and_group() {
    let awslogs = |options: Value| {
        one(json!({"logConfiguration": {"logDriver": "awslogs", "options": options}}))
    };
    accepted(awslogs(json!({"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"})));
    assert_client(
        awslogs(json!({})),
        "Invalid setting for container 'web'. Log driver awslogs requires options: awslogs-region, \
         awslogs-group.",
    );
    assert_client(
        awslogs(json!({"awslogs-region": "us-east-1", "awslogs-group": ""})),
        "Invalid setting for container 'web'. Log driver awslogs requires options: awslogs-group.",
    );
    assert_client(
        one(json!({"logConfiguration": {"logDriver": "awslogs"}})),
        "Invalid setting for container 'web'. Log driver awslogs requires options: awslogs-region, \
         awslogs-group.",
    );
}

#[test]
fn awsfirelens_needs_a_firelens_container() {
    let web = container("web", json!({"logConfiguration": {"logDriver": "awsfirelens"}}));
    assert_client(
        task(json!([web.clone()]), json!({})),
        "Invalid setting for container 'web'. Log driver awsfirelens requires a container with a \
         firelensConfiguration in the task definition.",
    );
    let router = container("router", json!({"firelensConfiguration": {"type": "fluentbit"}}));
    accepted(task(json!([web, router]), json!({})));
}

#[test]
fn log_secret_options_are_complete() {
    assert_client(
        one(json!({"logConfiguration": {
            "logDriver": "splunk",
            "secretOptions": [{"name": "splunk-token", "valueFrom": ""}]
        }})),
        "Invalid 'logConfiguration.secretOptions' setting for container 'web'. The valueFrom of \
         secret 'splunk-token' should not be null or empty.",
    );
}

#[test]
fn proxy_configuration_names_a_container() {
    let proxy = |name: &str| {
        one_with(
            json!({}),
            json!({"networkMode": "awsvpc", "proxyConfiguration": {"type": "APPMESH", "containerName": name}}),
        )
    };
    accepted(proxy("web"));
    assert_client(
        proxy("envoy"),
        "Invalid 'proxyConfiguration' setting for task. Container 'envoy' does not exist.",
    );
}

// ---------------------------------------------------------------------------------------------
// Placement constraints, ephemeral storage, size

#[test]
fn placement_constraints_are_member_of_with_an_expression() {
    let constraints = |list: Value| one_with(json!({}), json!({"placementConstraints": list}));
    let definition = accepted(constraints(
        json!([{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]),
    ));
    assert_eq!(definition.placement_constraints.as_deref().map(<[_]>::len), Some(1));
    assert_client(
        constraints(json!([{"expression": "attribute:ecs.os-type == linux"}])),
        "Invalid placement constraint. Task definition placement constraints must be of type 'memberOf'.",
    );
    assert_client(
        constraints(json!([{"type": "memberOf"}])),
        "Invalid placement constraint. A 'memberOf' constraint requires an expression.",
    );
    accepted(constraints(json!([{"type": "memberOf", "expression": "x".repeat(2000)}])));
    assert_client(
        constraints(json!([{"type": "memberOf", "expression": "x".repeat(2001)}])),
        "Invalid placement constraint. The expression must be at most 2000 characters long.",
    );
}

#[test]
fn placement_constraint_count_is_limited_by_the_quota() {
    let constraints = |n: usize| {
        let list: Vec<Value> = (0..n)
            .map(|i| json!({"type": "memberOf", "expression": format!("attribute:rack == r{i}")}))
            .collect();
        one_with(json!({}), json!({"placementConstraints": list}))
    };
    accepted(constraints(10));
    assert_client(constraints(11), "Too many placement constraints. Max allowed is '10'.");
    let quotas = Quotas { placement_constraints: 1, ..Quotas::default() };
    let error = register_with(constraints(2), &quotas).expect_err("over the quota");
    assert_eq!(error.message, "Too many placement constraints. Max allowed is '1'.");
}

#[test]
fn ephemeral_storage_is_21_to_200_gib() {
    let storage = |size: i32| one_with(json!({}), json!({"ephemeralStorage": {"sizeInGiB": size}}));
    accepted(storage(21));
    accepted(storage(200));
    for size in [20, 201] {
        assert_client(
            storage(size),
            &format!(
                "Invalid 'ephemeralStorage' setting for task. sizeInGiB must be between 21 and \
                 200, not {size}."
            ),
        );
    }
}

#[test]
fn definition_size_is_limited_by_the_quota() {
    let definition = one(json!({"environment": [{"name": "BLOB", "value": "x".repeat(1000)}]}));
    let mut stored = accepted(definition.clone());
    stored.compatibilities = None;
    stored.requires_attributes = None;
    let size = serde_json::to_vec(&stored).expect("serializes").len();

    let exact = Quotas { task_definition_size: size, ..Quotas::default() };
    assert!(register_with(definition.clone(), &exact).is_ok());
    let smaller = Quotas { task_definition_size: size - 1, ..Quotas::default() };
    let error = register_with(definition, &smaller).expect_err("too large");
    assert_eq!(error.code, ErrorCode::ClientException);
    assert_eq!(
        error.message,
        format!("Actual length: '{size}'. Max allowed length is '{}' bytes.", size - 1)
    );

    let error =
        refused(one(json!({"environment": [{"name": "BLOB", "value": "x".repeat(70_000)}]})));
    assert!(error.message.starts_with("Actual length: '"), "{}", error.message);
    assert!(
        error.message.ends_with("'. Max allowed length is '65536' bytes."),
        "{}",
        error.message
    );
}

// ---------------------------------------------------------------------------------------------
// requiresAttributes

#[test]
fn capability_attribute_list_is_sorted_and_unique() {
    assert!(CAPABILITY_ATTRIBUTES.windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn a_plain_definition_requires_nothing() {
    assert!(attribute_names(&accepted(one(json!({})))).is_empty());
}

/// Each feature of the table on `required_attributes`, with the attributes it must add.
fn attribute_cases() -> Vec<(Value, Vec<&'static str>)> {
    let role = json!({"executionRoleArn": "arn:aws:iam::123456789012:role/execution"});
    let ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1";
    let mut cases = vec![
        (one_with(json!({}), json!({"networkMode": "awsvpc"})), vec!["ecs.capability.task-eni"]),
        (
            one_with(json!({}), json!({"taskRoleArn": "arn:aws:iam::123456789012:role/task"})),
            vec!["com.amazonaws.ecs.capability.task-iam-role"],
        ),
        (
            one_with(
                json!({}),
                json!({"taskRoleArn": "arn:aws:iam::123456789012:role/task", "networkMode": "host"}),
            ),
            vec![
                "com.amazonaws.ecs.capability.task-iam-role",
                "com.amazonaws.ecs.capability.task-iam-role-network-host",
            ],
        ),
        (
            one_with(json!({}), json!({"pidMode": "task"})),
            vec!["ecs.capability.pid-ipc-namespace-sharing"],
        ),
        (
            one_with(json!({}), json!({"ipcMode": "host"})),
            vec!["ecs.capability.pid-ipc-namespace-sharing"],
        ),
        (
            one_with(
                json!({}),
                json!({"networkMode": "awsvpc", "proxyConfiguration": {"containerName": "web"}}),
            ),
            vec!["ecs.capability.aws-appmesh", "ecs.capability.task-eni"],
        ),
        (
            one_with(
                json!({}),
                json!({"volumes": [{"name": "v", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]}),
            ),
            vec!["ecs.capability.efs"],
        ),
        (
            one_with(
                json!({}),
                json!({"volumes": [{"name": "v", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"}}]}),
            ),
            vec!["ecs.capability.efs", "ecs.capability.efsAuth"],
        ),
        (
            one(json!({"memoryReservation": 256})),
            vec!["com.amazonaws.ecs.capability.docker-remote-api.1.21"],
        ),
        (
            one(json!({"privileged": true})),
            vec!["com.amazonaws.ecs.capability.privileged-container"],
        ),
        (one(json!({"privileged": false})), vec![]),
        (
            one(json!({"healthCheck": {"command": ["CMD", "true"]}})),
            vec![
                "com.amazonaws.ecs.capability.docker-remote-api.1.24",
                "ecs.capability.container-health-check",
            ],
        ),
        (pair(depends("init", "START"), json!({})), vec!["ecs.capability.container-ordering"]),
        (one(json!({"startTimeout": 10})), vec!["ecs.capability.container-ordering"]),
        (one(json!({"stopTimeout": 10})), vec!["ecs.capability.container-ordering"]),
        (
            one(json!({"dockerLabels": {"a": "b"}})),
            vec!["com.amazonaws.ecs.capability.docker-remote-api.1.18"],
        ),
        (one(json!({"dockerLabels": {}})), vec![]),
        (
            one(json!({"ulimits": [{"name": "nofile", "softLimit": 1, "hardLimit": 1}]})),
            vec!["com.amazonaws.ecs.capability.docker-remote-api.1.18"],
        ),
        (
            one(json!({"linuxParameters": {"initProcessEnabled": true}})),
            vec!["com.amazonaws.ecs.capability.docker-remote-api.1.25"],
        ),
        (
            one_with(
                json!({"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "r"}}}),
                role.clone(),
            ),
            vec![
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "ecs.capability.execution-role-awslogs",
            ],
        ),
        (
            one(json!({"logConfiguration": {"logDriver": "splunk", "secretOptions": [
                {"name": "a", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a"},
                {"name": "b", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/b"}
            ]}})),
            vec![
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.logging-driver.splunk",
                "ecs.capability.secrets.asm.bootstrap.log-driver",
                "ecs.capability.secrets.ssm.bootstrap.log-driver",
            ],
        ),
        (one(json!({"image": ecr})), vec!["com.amazonaws.ecs.capability.ecr-auth"]),
        (
            one_with(json!({"image": ecr}), role.clone()),
            vec!["com.amazonaws.ecs.capability.ecr-auth", "ecs.capability.execution-role-ecr-pull"],
        ),
        (
            one(
                json!({"repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:1:secret:r"}}),
            ),
            vec!["com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager"],
        ),
        (
            one_with(
                json!({"secrets": [
                    {"name": "A", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a"},
                    {"name": "B", "valueFrom": "b-parameter"}
                ]}),
                role,
            ),
            vec![
                "ecs.capability.secrets.asm.environment-variables",
                "ecs.capability.secrets.ssm.environment-variables",
            ],
        ),
        (
            one(
                json!({"environmentFiles": [{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}]}),
            ),
            vec!["ecs.capability.env-files.s3"],
        ),
        (
            one(json!({"firelensConfiguration": {"type": "fluentbit"}})),
            vec!["ecs.capability.firelens.fluentbit"],
        ),
        (
            one(json!({"firelensConfiguration": {"type": "fluentd"}})),
            vec!["ecs.capability.firelens.fluentd"],
        ),
    ];
    for driver in LogDriver::ALL {
        let mut log = json!({"logDriver": driver.as_str()});
        if *driver == LogDriver::Awslogs {
            log["options"] = json!({"awslogs-group": "g", "awslogs-region": "r"});
        }
        let router = container(
            "router",
            json!({"essential": false, "firelensConfiguration": {"type": "fluentbit"}}),
        );
        let definition =
            task(json!([container("web", json!({"logConfiguration": log})), router]), json!({}));
        let mut expected = vec![
            "com.amazonaws.ecs.capability.docker-remote-api.1.18",
            "ecs.capability.firelens.fluentbit",
        ];
        expected.push(super::logging_driver_attribute(*driver));
        if *driver == LogDriver::Awslogs {
            expected.push("com.amazonaws.ecs.capability.docker-remote-api.1.19");
        }
        cases.push((definition, expected));
    }
    cases
}

#[test]
fn each_feature_adds_exactly_its_attributes() {
    for (definition, expected) in attribute_cases() {
        let names = attribute_names(&accepted(definition.clone()));
        let mut expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        expected.sort();
        expected.dedup();
        assert_eq!(names, expected, "for {definition}");
    }
}

#[test]
fn every_capability_attribute_can_be_required_and_no_other() {
    let mut seen = BTreeSet::new();
    for (definition, _) in attribute_cases() {
        seen.extend(attribute_names(&accepted(definition)));
    }
    let all: BTreeSet<String> =
        CAPABILITY_ATTRIBUTES.iter().map(|name| (*name).to_owned()).collect();
    assert_eq!(seen, all);
}

#[test]
fn required_attributes_carry_names_only() {
    let definition = accepted(one_with(json!({}), json!({"networkMode": "awsvpc"})));
    assert_eq!(
        to_json(&definition)["requiresAttributes"],
        json!([{"name": "ecs.capability.task-eni"}])
    );
}

// ---------------------------------------------------------------------------------------------
// Placement requirements

#[test]
fn placement_memory_prefers_the_reservation() {
    let container = |value: Value| -> ContainerDefinition {
        serde_json::from_value(value).expect("a container")
    };
    assert_eq!(
        placement_memory(&container(json!({"memory": 512, "memoryReservation": 128}))),
        Some(128)
    );
    assert_eq!(placement_memory(&container(json!({"memory": 512}))), Some(512));
    assert_eq!(placement_memory(&container(json!({"memoryReservation": 64}))), Some(64));
    assert_eq!(placement_memory(&container(json!({}))), None);
}

#[test]
fn task_requirements_use_task_sizes_else_container_sums() {
    let containers = json!([
        {"name": "a", "image": "nginx", "cpu": 256, "memory": 512, "memoryReservation": 128},
        {"name": "b", "image": "nginx", "memory": 256}
    ]);
    let sized = accepted(task(containers.clone(), json!({"cpu": "1 vCPU", "memory": "2 GB"})));
    assert_eq!(task_requirements(&sized), (1024, 2048));
    let summed = accepted(task(containers.clone(), json!({})));
    assert_eq!(task_requirements(&summed), (256, 384));
    let cpu_only = accepted(task(containers, json!({"cpu": "512"})));
    assert_eq!(task_requirements(&cpu_only), (512, 384));
    assert_eq!(task_requirements(&TaskDefinition::default()), (0, 0));
}
