//! Placement constraints, ephemeral storage, size, requiresAttributes and placement
//! requirements.

use super::*;

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
        expected.push(super::super::logging_driver_attribute(*driver));
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
