//! Unit tests of the ECS → container spec conversion, with task definitions written as ECS
//! JSON so the fixtures read like what users register.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use super::*;

const TASK_ARN: &str =
    "arn:aws:ecs:us-east-1:000000000000:task/c1/0123456789abcdef0123456789abcdef";
const TASK_ID: &str = "0123456789abcdef0123456789abcdef";
const INSTANCE_ARN: &str = "arn:aws:ecs:us-east-1:000000000000:container-instance/c1/i1";

fn definition(value: serde_json::Value) -> api::TaskDefinition {
    serde_json::from_value(value).expect("task definition fixture")
}

fn overrides(value: serde_json::Value) -> api::TaskOverride {
    serde_json::from_value(value).expect("override fixture")
}

fn ctx<'a>(def: &'a api::TaskDefinition, ov: Option<&'a api::TaskOverride>) -> TaskContext<'a> {
    TaskContext {
        cluster: "c1",
        container_instance_arn: INSTANCE_ARN,
        task_arn: TASK_ARN,
        task_id: TASK_ID,
        definition: def,
        overrides: ov,
        default_stop_timeout: Duration::from_secs(30),
        sandbox: None,
        isolation: None,
    }
}

/// The spec of the container named `name` in `def`.
fn spec_of(
    def: &api::TaskDefinition,
    ov: Option<&api::TaskOverride>,
    name: &str,
) -> Result<ContainerSpec, SpecError> {
    let container = def
        .container_definitions
        .iter()
        .flatten()
        .find(|c| c.name.as_deref() == Some(name))
        .expect("container in fixture");
    container_spec(&ctx(def, ov), container)
}

/// A one-container definition with `extra` merged into the container.
fn one(extra: serde_json::Value) -> api::TaskDefinition {
    let mut container = json!({"name": "web", "image": "busybox:1"});
    for (k, v) in extra.as_object().expect("object") {
        container[k] = v.clone();
    }
    definition(json!({"family": "f", "containerDefinitions": [container]}))
}

fn one_spec(extra: serde_json::Value) -> Result<ContainerSpec, SpecError> {
    spec_of(&one(extra), None, "web")
}

fn unsupported(feature: &str) -> SpecError {
    SpecError::Unsupported { container: "web".to_string(), feature: feature.to_string() }
}

#[test]
fn names_are_prefixed_and_docker_safe() {
    assert_eq!(container_name(TASK_ID, "web"), format!("berth-{TASK_ID}-web"));
    assert_eq!(volume_name(TASK_ID, "data_1"), format!("berth-{TASK_ID}-data_1"));
    let odd = container_name("t", "a b/c");
    assert!(odd.starts_with("berth-t-a_b_c-"), "{odd}");
    assert_ne!(odd, container_name("t", "a_b_c"), "sanitising must not merge distinct names");
    let long = container_name(TASK_ID, &"x".repeat(255));
    assert_eq!(long.len(), MAX_NAME_LEN);
    assert_ne!(long, container_name(TASK_ID, &"x".repeat(254)));
    assert!(long.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)));
    // Stable across runs and releases.
    assert_eq!(container_name("t", "a b"), container_name("t", "a b"));
}

#[test]
fn minimal_container_gets_ecs_defaults() {
    let spec = one_spec(json!({})).unwrap();
    assert_eq!(spec.name, format!("berth-{TASK_ID}-web"));
    assert_eq!(spec.image, "busybox:1");
    assert_eq!(spec.cpu_shares, Some(2), "no cpu means Linux's minimum of 2 shares, as ECS does");
    assert_eq!(spec.memory_mib, None);
    assert_eq!(spec.memory_reservation_mib, None);
    assert_eq!(spec.network, Network::Bridge);
    assert_eq!(spec.stop_timeout, Some(Duration::from_secs(30)));
    assert_eq!(spec.health_check, None);
    assert_eq!(spec.log, None);
    assert!(!spec.privileged && !spec.readonly_rootfs && !spec.init);
    assert_eq!(spec.entrypoint, None);
    assert_eq!(spec.command, None);
}

#[test]
fn berth_labels_win_over_docker_labels() {
    let spec = one_spec(json!({"dockerLabels": {
        "berth.task-arn": "forged", "berth.managed": "false", "team": "a"
    }}))
    .unwrap();
    let expected: BTreeMap<String, String> = [
        ("berth.cluster", "c1"),
        ("berth.container-instance", INSTANCE_ARN),
        ("berth.container-name", "web"),
        ("berth.managed", "true"),
        ("berth.task-arn", TASK_ARN),
        ("team", "a"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(spec.labels, expected);
}

#[test]
fn cpu_and_memory() {
    for (cpu, shares) in [(0, 2), (1, 2), (2, 2), (256, 256), (1024, 1024)] {
        assert_eq!(one_spec(json!({"cpu": cpu})).unwrap().cpu_shares, Some(shares), "cpu {cpu}");
    }
    let spec = one_spec(json!({"memory": 512, "memoryReservation": 256})).unwrap();
    assert_eq!((spec.memory_mib, spec.memory_reservation_mib), (Some(512), Some(256)));
    let spec = one_spec(json!({"memoryReservation": 128})).unwrap();
    assert_eq!((spec.memory_mib, spec.memory_reservation_mib), (None, Some(128)));
    assert!(matches!(
        one_spec(json!({"memory": 128, "memoryReservation": 256})),
        Err(SpecError::Invalid { .. })
    ));
    assert!(matches!(one_spec(json!({"memory": 0})), Err(SpecError::Invalid { .. })));
    assert!(matches!(one_spec(json!({"cpu": -1})), Err(SpecError::Invalid { .. })));
}

#[test]
fn overrides_apply_by_container_name() {
    let def = definition(json!({"family": "f", "containerDefinitions": [
        {"name": "web", "image": "i", "command": ["a"], "cpu": 128, "memory": 256,
         "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
        {"name": "side", "image": "i", "command": ["s"], "environment": [{"name": "A", "value": "x"}]}
    ]}));
    let ov = overrides(json!({"containerOverrides": [
        {"name": "web", "command": ["b", "c"], "cpu": 512, "memory": 1024, "memoryReservation": 64,
         "environment": [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}]}
    ]}));
    let web = spec_of(&def, Some(&ov), "web").unwrap();
    assert_eq!(web.command, Some(vec!["b".to_string(), "c".to_string()]));
    assert_eq!(web.cpu_shares, Some(512));
    assert_eq!((web.memory_mib, web.memory_reservation_mib), (Some(1024), Some(64)));
    let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    assert_eq!(web.env, env(&[("A", "1"), ("B", "20"), ("C", "3")]));
    let side = spec_of(&def, Some(&ov), "side").unwrap();
    assert_eq!(side.command, Some(vec!["s".to_string()]));
    assert_eq!(side.env, env(&[("A", "x")]));
}

#[test]
fn override_memory_is_checked_against_reservation() {
    let def = one(json!({"memory": 512, "memoryReservation": 256}));
    let ov = overrides(json!({"containerOverrides": [{"name": "web", "memory": 128}]}));
    assert!(matches!(spec_of(&def, Some(&ov), "web"), Err(SpecError::Invalid { .. })));
}

#[test]
fn environment_values_default_to_empty_and_names_are_required() {
    let spec = one_spec(json!({"environment": [{"name": "E"}]})).unwrap();
    assert_eq!(spec.env, vec![("E".to_string(), String::new())]);
    assert!(matches!(
        one_spec(json!({"environment": [{"value": "v"}]})),
        Err(SpecError::Invalid { .. })
    ));
}

#[test]
fn process_fields_pass_through() {
    let spec = one_spec(json!({
        "entryPoint": ["sh", "-c"], "command": ["echo hi"], "user": "1000:1000",
        "workingDirectory": "/w", "hostname": "h1", "privileged": true,
        "readonlyRootFilesystem": true, "dnsServers": ["10.0.0.2"], "dnsSearchDomains": ["example.com"],
        "extraHosts": [{"hostname": "db", "ipAddress": "10.0.0.5"}],
        "dockerSecurityOptions": ["no-new-privileges"],
        "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}],
        "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
        "stopTimeout": 7
    }))
    .unwrap();
    assert_eq!(spec.entrypoint, Some(vec!["sh".to_string(), "-c".to_string()]));
    assert_eq!(spec.command, Some(vec!["echo hi".to_string()]));
    assert_eq!(spec.user.as_deref(), Some("1000:1000"));
    assert_eq!(spec.working_dir.as_deref(), Some("/w"));
    assert_eq!(spec.hostname.as_deref(), Some("h1"));
    assert!(spec.privileged && spec.readonly_rootfs);
    assert_eq!(spec.dns_servers, vec!["10.0.0.2"]);
    assert_eq!(spec.dns_search, vec!["example.com"]);
    assert_eq!(spec.extra_hosts, vec!["db:10.0.0.5"]);
    assert_eq!(spec.security_opts, vec!["no-new-privileges"]);
    assert_eq!(spec.sysctls.get("net.core.somaxconn").map(String::as_str), Some("1024"));
    assert_eq!(spec.ulimits, vec![Ulimit { name: "nofile".to_string(), soft: 1024, hard: 4096 }]);
    assert_eq!(spec.stop_timeout, Some(Duration::from_secs(7)));
    assert!(matches!(one_spec(json!({"stopTimeout": -1})), Err(SpecError::Invalid { .. })));
    assert!(matches!(
        one_spec(json!({"systemControls": [{"namespace": "kernel.x"}]})),
        Err(SpecError::Invalid { .. })
    ));
}

#[test]
fn network_modes() {
    let with_mode = |mode: &str, extra: serde_json::Value| {
        let mut container = json!({"name": "web", "image": "i", "hostname": "h"});
        for (k, v) in extra.as_object().unwrap() {
            container[k] = v.clone();
        }
        definition(json!({"family": "f", "networkMode": mode, "containerDefinitions": [container]}))
    };
    let host = spec_of(&with_mode("host", json!({})), None, "web").unwrap();
    assert_eq!(host.network, Network::Host);
    assert_eq!(host.hostname, None, "hostname is for bridge mode only");
    let none = spec_of(&with_mode("none", json!({})), None, "web").unwrap();
    assert_eq!(none.network, Network::None);
    // awsvpc: every container joins the task's network container, once it exists.
    let awsvpc = with_mode("awsvpc", json!({}));
    assert!(matches!(spec_of(&awsvpc, None, "web"), Err(SpecError::Invalid { .. })));
    let mut context = ctx(&awsvpc, None);
    context.sandbox = Some("net-1");
    let joined =
        container_spec(&context, &awsvpc.container_definitions.as_ref().unwrap()[0]).unwrap();
    assert_eq!(joined.network, Network::Container("net-1".to_owned()));
    assert_eq!(joined.hostname, None);
    let disabled = one_spec(json!({"disableNetworking": true})).unwrap();
    assert_eq!(disabled.network, Network::None);
    // Links need bridge mode.
    let links = with_mode("host", json!({"links": ["web"]}));
    assert!(matches!(spec_of(&links, None, "web"), Err(SpecError::Invalid { .. })));
}

#[test]
fn ports_in_bridge_mode() {
    let spec = one_spec(json!({"portMappings": [
        {"containerPort": 80},
        {"containerPort": 81, "hostPort": 0},
        {"containerPort": 53, "hostPort": 5353, "protocol": "udp"}
    ]}))
    .unwrap();
    assert_eq!(
        spec.ports,
        vec![
            PortSpec {
                container_port: 80,
                host_port: None,
                protocol: Protocol::Tcp,
                host_ip: None
            },
            PortSpec {
                container_port: 81,
                host_port: None,
                protocol: Protocol::Tcp,
                host_ip: None
            },
            PortSpec {
                container_port: 53,
                host_port: Some(5353),
                protocol: Protocol::Udp,
                host_ip: None
            },
        ]
    );
    for bad in
        [json!({"hostPort": 1}), json!({"containerPort": 70000}), json!({"containerPort": 0})]
    {
        assert!(matches!(one_spec(json!({"portMappings": [bad]})), Err(SpecError::Invalid { .. })));
    }
    assert_eq!(
        one_spec(json!({"portMappings": [{"containerPort": 80, "containerPortRange": "80-90"}]})),
        Err(unsupported("portMappings.containerPortRange"))
    );
}

#[test]
fn ports_in_host_and_none_modes() {
    let def = |mode: &str, host_port: serde_json::Value| {
        definition(json!({"family": "f", "networkMode": mode, "containerDefinitions": [
            {"name": "web", "image": "i", "portMappings": [{"containerPort": 8080, "hostPort": host_port}]}
        ]}))
    };
    for host_port in [json!(null), json!(0), json!(8080)] {
        let spec = spec_of(&def("host", host_port.clone()), None, "web").unwrap();
        assert_eq!(spec.ports[0].host_port, Some(8080), "hostPort {host_port}");
    }
    assert!(matches!(
        spec_of(&def("host", json!(9090)), None, "web"),
        Err(SpecError::Invalid { .. })
    ));
    assert!(matches!(
        spec_of(&def("none", json!(null)), None, "web"),
        Err(SpecError::Invalid { .. })
    ));
}

fn volumes_definition() -> api::TaskDefinition {
    definition(json!({
        "family": "f",
        "volumes": [
            {"name": "hostdir", "host": {"sourcePath": "/srv/data"}},
            {"name": "scratch"},
            {"name": "emptyhost", "host": {}},
            {"name": "taskvol", "dockerVolumeConfiguration": {"scope": "task", "driver": "local",
                "driverOpts": {"type": "tmpfs", "device": "tmpfs"}, "labels": {"v": "1"}}},
            {"name": "noscope", "dockerVolumeConfiguration": {}},
            {"name": "shared-auto", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true,
                "labels": {"berth.task-arn": "forged"}}},
            {"name": "shared-existing", "dockerVolumeConfiguration": {"scope": "shared"}},
            {"name": "efs", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}
        ],
        "containerDefinitions": [
            {"name": "web", "image": "i", "mountPoints": [
                {"sourceVolume": "hostdir", "containerPath": "/data", "readOnly": true},
                {"sourceVolume": "scratch", "containerPath": "/scratch"},
                {"sourceVolume": "emptyhost", "containerPath": "/e"},
                {"sourceVolume": "taskvol", "containerPath": "/t"},
                {"sourceVolume": "noscope", "containerPath": "/n"},
                {"sourceVolume": "shared-auto", "containerPath": "/sa"},
                {"sourceVolume": "shared-existing", "containerPath": "/se"}
            ], "volumesFrom": [{"sourceContainer": "side", "readOnly": true}, {"sourceContainer": "side"}]},
            {"name": "side", "image": "i"},
            {"name": "efs-user", "image": "i", "mountPoints": [{"sourceVolume": "efs", "containerPath": "/x"}]},
            {"name": "missing-volume", "image": "i", "mountPoints": [{"sourceVolume": "nope", "containerPath": "/x"}]},
            {"name": "missing-from", "image": "i", "volumesFrom": [{"sourceContainer": "nope"}]}
        ]
    }))
}

#[test]
fn mount_points_map_to_binds_and_volumes() {
    let def = volumes_definition();
    let spec = spec_of(&def, None, "web").unwrap();
    let volume = |name: &str| MountSource::Volume(volume_name(TASK_ID, name));
    let mount = |source: MountSource, target: &str, read_only: bool| MountSpec {
        source,
        target: target.to_string(),
        read_only,
    };
    assert_eq!(
        spec.mounts,
        vec![
            mount(MountSource::Bind(PathBuf::from("/srv/data")), "/data", true),
            mount(volume("scratch"), "/scratch", false),
            mount(volume("emptyhost"), "/e", false),
            mount(volume("taskvol"), "/t", false),
            mount(volume("noscope"), "/n", false),
            mount(MountSource::Volume("shared-auto".to_string()), "/sa", false),
            mount(MountSource::Volume("shared-existing".to_string()), "/se", false),
        ]
    );
    let side = container_name(TASK_ID, "side");
    assert_eq!(spec.volumes_from, vec![format!("{side}:ro"), side]);

    assert_eq!(
        spec_of(&def, None, "efs-user"),
        Err(SpecError::Unsupported {
            container: "efs-user".to_string(),
            feature: "EFS volumes (volume `efs`)".to_string()
        })
    );
    assert!(matches!(spec_of(&def, None, "missing-volume"), Err(SpecError::Invalid { .. })));
    assert!(matches!(spec_of(&def, None, "missing-from"), Err(SpecError::Invalid { .. })));
}

#[test]
fn task_volumes_lists_what_the_agent_creates() {
    let def = volumes_definition();
    let volumes = task_volumes(&ctx(&def, None));
    let names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    let scratch = volume_name(TASK_ID, "scratch");
    let emptyhost = volume_name(TASK_ID, "emptyhost");
    let taskvol = volume_name(TASK_ID, "taskvol");
    let noscope = volume_name(TASK_ID, "noscope");
    assert_eq!(names, vec![&scratch, &emptyhost, &taskvol, &noscope, "shared-auto"]);

    let task_volume = &volumes[2];
    assert_eq!(task_volume.driver.as_deref(), Some("local"));
    assert_eq!(task_volume.driver_opts.get("type").map(String::as_str), Some("tmpfs"));
    assert_eq!(task_volume.labels.get("v").map(String::as_str), Some("1"));
    assert_eq!(task_volume.labels.get(labels::TASK_ARN).map(String::as_str), Some(TASK_ARN));
    assert_eq!(task_volume.labels.get(labels::MANAGED).map(String::as_str), Some("true"));
    assert_eq!(volumes[0].driver, None);
    assert_eq!(volumes[0].labels.get(labels::TASK_ARN).map(String::as_str), Some(TASK_ARN));

    let shared = &volumes[4];
    assert_eq!(shared.labels.get(labels::TASK_ARN), None, "shared volumes outlive the task");
    assert_eq!(shared.labels.get(labels::CLUSTER).map(String::as_str), Some("c1"));
}

#[test]
fn shared_volumes_lists_what_the_agent_checks() {
    let def = volumes_definition();
    let shared = shared_volumes(&ctx(&def, None));
    assert_eq!(
        shared,
        vec![("shared-auto".to_owned(), true), ("shared-existing".to_owned(), false)]
    );
}

#[test]
fn links_use_runtime_names() {
    let def = definition(json!({"family": "f", "containerDefinitions": [
        {"name": "web", "image": "i", "links": ["db", "cache:redis"]},
        {"name": "db", "image": "i"},
        {"name": "cache", "image": "i"},
        {"name": "bad", "image": "i", "links": ["nope"]}
    ]}));
    let spec = spec_of(&def, None, "web").unwrap();
    assert_eq!(
        spec.links,
        vec![
            format!("{}:db", container_name(TASK_ID, "db")),
            format!("{}:redis", container_name(TASK_ID, "cache")),
        ]
    );
    assert!(matches!(spec_of(&def, None, "bad"), Err(SpecError::Invalid { .. })));
}

#[test]
fn health_check_defaults_and_values() {
    let spec = one_spec(json!({"healthCheck": {"command": ["CMD-SHELL", "true"]}})).unwrap();
    assert_eq!(
        spec.health_check,
        Some(HealthCheckSpec {
            test: vec!["CMD-SHELL".to_string(), "true".to_string()],
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            retries: 3,
            start_period: Duration::ZERO,
        })
    );
    let spec = one_spec(json!({"healthCheck": {"command": ["CMD", "/bin/check", "-q"],
        "interval": 10, "timeout": 2, "retries": 5, "startPeriod": 60}}))
    .unwrap();
    let check = spec.health_check.unwrap();
    assert_eq!(check.test, vec!["CMD", "/bin/check", "-q"]);
    assert_eq!(
        (check.interval, check.timeout, check.retries, check.start_period),
        (Duration::from_secs(10), Duration::from_secs(2), 5, Duration::from_secs(60))
    );
    for bad in [json!(["true"]), json!(["CMD"]), json!([])] {
        assert!(
            matches!(
                one_spec(json!({"healthCheck": {"command": bad}})),
                Err(SpecError::Invalid { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        one_spec(json!({"healthCheck": {"command": ["CMD", "x"], "retries": -1}})),
        Err(SpecError::Invalid { .. })
    ));
}

#[test]
fn linux_parameters() {
    let spec = one_spec(json!({"linuxParameters": {
        "initProcessEnabled": true,
        "capabilities": {"add": ["NET_ADMIN"], "drop": ["MKNOD"]},
        "tmpfs": [{"containerPath": "/run", "size": 64, "mountOptions": ["noexec"]}, {"containerPath": "/tmp", "size": 16}],
        "sharedMemorySize": 128
    }}))
    .unwrap();
    assert!(spec.init);
    assert_eq!(spec.cap_add, vec!["NET_ADMIN"]);
    assert_eq!(spec.cap_drop, vec!["MKNOD"]);
    assert_eq!(
        spec.tmpfs,
        vec![
            ("/run".to_string(), vec!["noexec".to_string(), "size=64m".to_string()]),
            ("/tmp".to_string(), vec!["size=16m".to_string()]),
        ]
    );
    assert_eq!(spec.shm_size_mib, Some(128));
    for (params, feature) in [
        (json!({"devices": [{"hostPath": "/dev/fuse"}]}), "linuxParameters.devices"),
        (json!({"maxSwap": 0}), "linuxParameters.maxSwap"),
        (json!({"swappiness": 10}), "linuxParameters.swappiness"),
    ] {
        assert_eq!(one_spec(json!({"linuxParameters": params})), Err(unsupported(feature)));
    }
    assert!(matches!(
        one_spec(json!({"linuxParameters": {"sharedMemorySize": 0}})),
        Err(SpecError::Invalid { .. })
    ));
}

#[test]
fn log_configuration() {
    let spec = one_spec(
        json!({"logConfiguration": {"logDriver": "json-file", "options": {"max-size": "10m"}}}),
    )
    .unwrap();
    let log = spec.log.unwrap();
    assert_eq!(log.driver, "json-file");
    assert_eq!(log.options.get("max-size").map(String::as_str), Some("10m"));
    for driver in ["syslog", "journald", "gelf", "fluentd", "splunk"] {
        let spec = one_spec(json!({"logConfiguration": {"logDriver": driver}})).unwrap();
        assert_eq!(spec.log.unwrap().driver, driver);
    }
    assert_eq!(
        one_spec(json!({"logConfiguration": {"logDriver": "awslogs"}})),
        Err(unsupported("the awslogs log driver"))
    );
    assert_eq!(
        one_spec(json!({"logConfiguration": {"logDriver": "awsfirelens"}})),
        Err(unsupported("the awsfirelens log driver"))
    );
    assert_eq!(
        one_spec(json!({"logConfiguration": {"logDriver": "splunk",
            "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:x"}]}})),
        Err(unsupported("logConfiguration.secretOptions"))
    );
}

#[test]
fn features_without_a_berth_equivalent_are_refused() {
    let cases = [
        (
            json!({"secrets": [{"name": "S", "valueFrom": "arn:x"}]}),
            "secrets (no Secrets Manager or SSM access)",
        ),
        (
            json!({"environmentFiles": [{"type": "s3", "value": "arn:x"}]}),
            "environmentFiles (no S3 access)",
        ),
        (
            json!({"repositoryCredentials": {"credentialsParameter": "arn:x"}}),
            "repositoryCredentials (no Secrets Manager access)",
        ),
        (
            json!({"resourceRequirements": [{"type": "GPU", "value": "1"}]}),
            "resourceRequirements (GPUs, accelerators)",
        ),
        (json!({"interactive": true}), "interactive (an open stdin)"),
        (json!({"pseudoTerminal": true}), "pseudoTerminal (a TTY)"),
    ];
    for (extra, feature) in cases {
        assert_eq!(one_spec(extra.clone()), Err(unsupported(feature)), "{extra}");
    }
    // Empty lists and `false` are fine.
    one_spec(json!({"secrets": [], "environmentFiles": [], "interactive": false})).unwrap();

    let def = definition(
        json!({"family": "f", "pidMode": "host", "containerDefinitions": [{"name": "web", "image": "i"}]}),
    );
    assert_eq!(spec_of(&def, None, "web"), Err(unsupported("the task's pidMode")));

    let ov = overrides(
        json!({"containerOverrides": [{"name": "web", "environmentFiles": [{"type": "s3", "value": "arn:x"}]}]}),
    );
    assert_eq!(
        spec_of(&one(json!({})), Some(&ov), "web"),
        Err(unsupported("containerOverrides.environmentFiles (no S3 access)"))
    );
}

#[test]
fn name_and_image_are_required() {
    let def = definition(json!({"family": "f", "containerDefinitions": [{"image": "i"}]}));
    let container = &def.container_definitions.as_ref().unwrap()[0];
    assert!(matches!(container_spec(&ctx(&def, None), container), Err(SpecError::Invalid { .. })));
    let err = one_spec(json!({"image": ""})).unwrap_err();
    assert_eq!(err.to_string(), "container `web`: the container definition has no image");
}

#[test]
fn a_fargate_task_bounds_each_container_by_its_size() {
    let def = definition(json!({"family": "f", "cpu": "512", "memory": "1024",
        "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "web", "image": "busybox:1"},
            {"name": "side", "image": "busybox:1", "memory": 256}]}));
    let isolation = Isolation { pids_limit: 100, runtime: Some("runsc".to_owned()) };
    let mut context = ctx(&def, None);
    context.isolation = Some(&isolation);
    context.sandbox = Some("berth-sandbox");
    let containers = def.container_definitions.as_deref().unwrap();
    let web = container_spec(&context, &containers[0]).unwrap();
    assert_eq!(web.nano_cpus, Some(500_000_000), "half a CPU");
    assert_eq!(web.memory_mib, Some(1024), "the task's memory");
    assert_eq!(web.pids_limit, Some(100));
    assert!(web.no_swap);
    assert_eq!(web.oci_runtime.as_deref(), Some("runsc"));
    // A container's own lower limit stays; a task override of the size wins over the definition.
    let side = container_spec(&context, &containers[1]).unwrap();
    assert_eq!(side.memory_mib, Some(256));
    let ov = overrides(json!({"cpu": "1024", "memory": "2048"}));
    let mut overridden = ctx(&def, Some(&ov));
    overridden.isolation = Some(&isolation);
    overridden.sandbox = Some("berth-sandbox");
    let web = container_spec(&overridden, &containers[0]).unwrap();
    assert_eq!((web.nano_cpus, web.memory_mib), (Some(1_000_000_000), Some(2048)));
    // Off the pool, nothing of the sort.
    let mut plain = ctx(&def, None);
    plain.sandbox = Some("berth-sandbox");
    let plain = container_spec(&plain, &containers[0]).unwrap();
    assert_eq!((plain.nano_cpus, plain.pids_limit, plain.no_swap), (None, None, false));
}
