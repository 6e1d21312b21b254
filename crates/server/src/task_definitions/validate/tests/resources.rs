//! Family, containers, memory and CPU, Fargate's table, compatibilities.

use super::*;

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
