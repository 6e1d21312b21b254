//! Port mappings, health checks, dependencies, links, volumes, environment, secrets,
//! ulimits, logging and proxy configuration.

use super::*;

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
