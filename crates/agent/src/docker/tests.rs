//! Unit tests of the Docker translations: spec → create body, inspect/stats/event JSON (as
//! Docker 20.10 writes it) → runtime types. No daemon.

use std::path::PathBuf;

use serde_json::json;

use super::*;
use crate::runtime::{HealthCheckSpec, LogSpec, MountSpec, PortSpec, Ulimit};

fn spec() -> ContainerSpec {
    ContainerSpec {
        name: "berth-t-web".to_string(),
        image: "busybox:1".to_string(),
        ..ContainerSpec::default()
    }
}

/// The create body as the JSON Docker receives.
fn body_json(spec: &ContainerSpec) -> serde_json::Value {
    serde_json::to_value(create_body(spec)).unwrap()
}

#[test]
fn create_body_maps_every_field() {
    let spec = ContainerSpec {
        labels: [("berth.managed".to_string(), "true".to_string())].into(),
        env: vec![("A".to_string(), "1".to_string()), ("B".to_string(), "x=y".to_string())],
        entrypoint: Some(vec!["sh".to_string(), "-c".to_string()]),
        command: Some(vec!["echo hi".to_string()]),
        working_dir: Some("/w".to_string()),
        user: Some("1000".to_string()),
        hostname: Some("h".to_string()),
        cpu_shares: Some(256),
        memory_mib: Some(64),
        memory_reservation_mib: Some(32),
        mounts: vec![
            MountSpec {
                source: MountSource::Bind(PathBuf::from("/srv")),
                target: "/data".to_string(),
                read_only: true,
            },
            MountSpec {
                source: MountSource::Volume("vol".to_string()),
                target: "/v".to_string(),
                read_only: false,
            },
        ],
        volumes_from: vec!["other:ro".to_string()],
        health_check: Some(HealthCheckSpec {
            test: vec!["CMD-SHELL".to_string(), "true".to_string()],
            interval: Duration::from_secs(30),
            timeout: Duration::from_millis(1500),
            retries: 3,
            start_period: Duration::ZERO,
        }),
        ulimits: vec![Ulimit { name: "nofile".to_string(), soft: 1024, hard: 2048 }],
        privileged: true,
        readonly_rootfs: true,
        init: true,
        cap_add: vec!["NET_ADMIN".to_string()],
        cap_drop: vec!["MKNOD".to_string()],
        tmpfs: vec![("/run".to_string(), vec!["noexec".to_string(), "size=16m".to_string()])],
        shm_size_mib: Some(128),
        dns_servers: vec!["10.0.0.2".to_string()],
        dns_search: vec!["example.com".to_string()],
        extra_hosts: vec!["db:10.0.0.5".to_string()],
        links: vec!["berth-t-db:db".to_string()],
        security_opts: vec!["no-new-privileges".to_string()],
        sysctls: [("net.core.somaxconn".to_string(), "1024".to_string())].into(),
        log: Some(LogSpec {
            driver: "json-file".to_string(),
            options: [("max-size".to_string(), "1m".to_string())].into(),
        }),
        stop_timeout: Some(Duration::from_millis(2500)),
        ..spec()
    };
    let body = body_json(&spec);
    assert_eq!(body["Image"], "busybox:1");
    assert_eq!(body["Labels"], json!({"berth.managed": "true"}));
    assert_eq!(body["Env"], json!(["A=1", "B=x=y"]));
    assert_eq!(body["Entrypoint"], json!(["sh", "-c"]));
    assert_eq!(body["Cmd"], json!(["echo hi"]));
    assert_eq!(body["WorkingDir"], "/w");
    assert_eq!(body["User"], "1000");
    assert_eq!(body["Hostname"], "h");
    assert_eq!(
        body["Healthcheck"],
        json!({"Test": ["CMD-SHELL", "true"], "Interval": 30_000_000_000_i64, "Timeout": 1_500_000_000,
               "Retries": 3, "StartPeriod": 0})
    );
    assert_eq!(body["StopTimeout"], 3, "whole seconds, rounded up");
    let host = &body["HostConfig"];
    assert_eq!(host["CpuShares"], 256);
    assert_eq!(host["Memory"], 64 * 1024 * 1024);
    assert_eq!(host["MemoryReservation"], 32 * 1024 * 1024);
    assert_eq!(host["NetworkMode"], "bridge");
    assert_eq!(host["Binds"], json!(["/srv:/data:ro", "vol:/v"]));
    assert_eq!(host["VolumesFrom"], json!(["other:ro"]));
    assert_eq!(host["Ulimits"], json!([{"Name": "nofile", "Soft": 1024, "Hard": 2048}]));
    assert_eq!(host["Privileged"], true);
    assert_eq!(host["ReadonlyRootfs"], true);
    assert_eq!(host["Init"], true);
    assert_eq!(host["CapAdd"], json!(["NET_ADMIN"]));
    assert_eq!(host["CapDrop"], json!(["MKNOD"]));
    assert_eq!(host["Tmpfs"], json!({"/run": "noexec,size=16m"}));
    assert_eq!(host["ShmSize"], 128 * 1024 * 1024);
    assert_eq!(host["Dns"], json!(["10.0.0.2"]));
    assert_eq!(host["DnsSearch"], json!(["example.com"]));
    assert_eq!(host["ExtraHosts"], json!(["db:10.0.0.5"]));
    assert_eq!(host["Links"], json!(["berth-t-db:db"]));
    assert_eq!(host["SecurityOpt"], json!(["no-new-privileges"]));
    assert_eq!(host["Sysctls"], json!({"net.core.somaxconn": "1024"}));
    assert_eq!(host["LogConfig"], json!({"Type": "json-file", "Config": {"max-size": "1m"}}));
}

#[test]
fn create_body_leaves_unset_fields_out() {
    let body = body_json(&spec());
    let host = body["HostConfig"].as_object().unwrap();
    for absent in ["Memory", "Binds", "PortBindings", "Init", "Tmpfs", "LogConfig", "Dns", "Links"]
    {
        assert!(!host.contains_key(absent), "{absent} should not be sent");
    }
    for absent in ["Env", "Cmd", "Entrypoint", "Healthcheck", "ExposedPorts", "StopTimeout"] {
        assert!(body.get(absent).is_none(), "{absent} should not be sent");
    }
}

#[test]
fn create_body_ports() {
    let port = |container_port, host_port, protocol, host_ip: Option<&str>| PortSpec {
        container_port,
        host_port,
        protocol,
        host_ip: host_ip.map(str::to_string),
    };
    let bridge = ContainerSpec {
        ports: vec![
            port(80, None, Protocol::Tcp, None),
            port(80, Some(8080), Protocol::Tcp, Some("127.0.0.1")),
            port(53, Some(5353), Protocol::Udp, None),
        ],
        ..spec()
    };
    let body = body_json(&bridge);
    let mut exposed: Vec<String> =
        body["ExposedPorts"].as_object().unwrap().keys().cloned().collect();
    exposed.sort();
    assert_eq!(exposed, vec!["53/udp", "80/tcp"]);
    assert_eq!(
        body["HostConfig"]["PortBindings"],
        json!({
            "80/tcp": [{"HostPort": ""}, {"HostIp": "127.0.0.1", "HostPort": "8080"}],
            "53/udp": [{"HostPort": "5353"}]
        })
    );

    let host = ContainerSpec {
        network: Network::Host,
        ports: vec![port(80, Some(80), Protocol::Tcp, None)],
        ..spec()
    };
    let body = body_json(&host);
    assert_eq!(body["HostConfig"]["NetworkMode"], "host");
    assert!(body["HostConfig"].get("PortBindings").is_none(), "host mode publishes nothing");
    assert_eq!(body["ExposedPorts"], json!({"80/tcp": {}}));

    let body =
        body_json(&ContainerSpec { network: Network::Container("other".to_string()), ..spec() });
    assert_eq!(body["HostConfig"]["NetworkMode"], "container:other");
    let body = body_json(&ContainerSpec { network: Network::None, ..spec() });
    assert_eq!(body["HostConfig"]["NetworkMode"], "none");
}

fn inspect(value: serde_json::Value) -> ContainerInspectResponse {
    serde_json::from_value(value).expect("inspect fixture")
}

#[test]
fn status_of_a_running_container() {
    let status = container_status(inspect(json!({
        "Id": "abc",
        "Name": "/berth-t-web",
        "Image": "sha256:img",
        "State": {"Status": "running", "Running": true, "OOMKilled": false, "ExitCode": 0, "Error": "",
                  "StartedAt": "2024-05-01T12:00:00.5Z", "FinishedAt": "0001-01-01T00:00:00Z",
                  "Health": {"Status": "starting", "FailingStreak": 0, "Log": []}},
        "Config": {"Labels": {"berth.managed": "true"}, "ExposedPorts": {"8080/tcp": {}}},
        "HostConfig": {"NetworkMode": "bridge"},
        "NetworkSettings": {"Ports": {
            "8080/tcp": [{"HostIp": "::", "HostPort": "49154"}, {"HostIp": "0.0.0.0", "HostPort": "49153"}],
            "9090/tcp": null
        }}
    })));
    assert_eq!(status.id, "abc");
    assert_eq!(status.name, "berth-t-web");
    assert_eq!(status.state, ContainerState::Running);
    assert_eq!(status.exit_code, None, "a running container has no exit code");
    assert_eq!(status.health, Some(Health::Starting));
    assert_eq!(status.started_at, Some(1_714_564_800.5));
    assert_eq!(status.finished_at, None, "Docker's zero time means never");
    assert_eq!(status.image_id.as_deref(), Some("sha256:img"));
    assert_eq!(status.error, None);
    assert_eq!(status.labels.get("berth.managed").map(String::as_str), Some("true"));
    assert_eq!(
        status.bindings,
        vec![
            Binding {
                container_port: 8080,
                host_port: 49153,
                protocol: Protocol::Tcp,
                host_ip: "0.0.0.0".to_string()
            },
            Binding {
                container_port: 8080,
                host_port: 49154,
                protocol: Protocol::Tcp,
                host_ip: "::".to_string()
            },
        ]
    );
}

#[test]
fn status_of_an_exited_container() {
    let status = container_status(inspect(json!({
        "Id": "abc", "Name": "/x",
        "State": {"Status": "exited", "ExitCode": 137, "OOMKilled": true,
                  "Error": "", "StartedAt": "2024-05-01T12:00:00Z", "FinishedAt": "2024-05-01T12:00:03.25Z"},
        "Config": {}, "HostConfig": {"NetworkMode": "bridge"}, "NetworkSettings": {"Ports": {}}
    })));
    assert_eq!(status.state, ContainerState::Exited);
    assert_eq!(status.exit_code, Some(137));
    assert!(status.oom_killed);
    assert_eq!(status.health, None);
    assert_eq!(status.finished_at, Some(1_714_564_803.25));
    assert!(status.bindings.is_empty());

    let quick = container_status(inspect(json!({
        "State": {"Status": "exited", "ExitCode": 0,
                  "StartedAt": "2024-05-01T12:00:00.002Z", "FinishedAt": "2024-05-01T12:00:00.001Z"}
    })));
    assert_eq!(quick.finished_at, quick.started_at, "Docker's finish-before-start is clamped");

    let failed = container_status(inspect(json!({
        "Id": "abc", "Name": "/x",
        "State": {"Status": "created", "ExitCode": 127, "Error": "exec: \"nope\": executable file not found"}
    })));
    assert_eq!(failed.state, ContainerState::Created);
    assert_eq!(failed.exit_code, None);
    assert_eq!(failed.error.as_deref(), Some("exec: \"nope\": executable file not found"));
}

#[test]
fn host_mode_reports_exposed_ports_as_bound() {
    let status = container_status(inspect(json!({
        "Id": "abc", "Name": "/x", "State": {"Status": "running"},
        "Config": {"ExposedPorts": {"8080/tcp": {}, "53/udp": {}}},
        "HostConfig": {"NetworkMode": "host"}, "NetworkSettings": {"Ports": {}}
    })));
    assert_eq!(
        status.bindings,
        vec![
            Binding {
                container_port: 53,
                host_port: 53,
                protocol: Protocol::Udp,
                host_ip: "0.0.0.0".to_string()
            },
            Binding {
                container_port: 8080,
                host_port: 8080,
                protocol: Protocol::Tcp,
                host_ip: "0.0.0.0".to_string()
            },
        ]
    );
}

#[test]
fn health_states() {
    for (docker, health) in
        [("healthy", Some(Health::Healthy)), ("unhealthy", Some(Health::Unhealthy)), ("none", None)]
    {
        let status = container_status(inspect(
            json!({"State": {"Status": "running", "Health": {"Status": docker}}}),
        ));
        assert_eq!(status.health, health, "{docker}");
    }
}

#[test]
fn docker_times() {
    assert_eq!(parse_docker_time("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(parse_docker_time("2000-03-01T00:00:00Z"), Some(951_868_800.0));
    // Nanoseconds are beyond an f64 of this size: compare to a microsecond.
    let leap = parse_docker_time("2024-02-29T23:59:59.123456789Z").unwrap();
    assert!((leap - 1_709_251_199.123_456).abs() < 1e-5, "{leap}");
    assert_eq!(parse_docker_time("2024-05-01T14:00:00+02:00"), Some(1_714_564_800.0));
    assert_eq!(parse_docker_time("2024-05-01T10:30:00-01:30"), Some(1_714_564_800.0));
    assert_eq!(parse_docker_time("0001-01-01T00:00:00Z"), None);
    for bad in
        ["", "yesterday", "2024-13-01T00:00:00Z", "2024-05-01T00:00:00.x1Z", "2024-05-01 00:00:00Z"]
    {
        assert_eq!(parse_docker_time(bad), None, "{bad}");
    }
}

#[test]
fn events_are_filtered_and_mapped() {
    let event = |typ: &str, action: &str| -> EventMessage {
        serde_json::from_value(
            json!({"Type": typ, "Action": action, "Actor": {"ID": "c1", "Attributes": {}}}),
        )
        .unwrap()
    };
    let kind = |typ: &str, action: &str| runtime_event(&event(typ, action)).map(|e| e.kind);
    assert_eq!(kind("container", "start"), Some(EventKind::Start));
    assert_eq!(kind("container", "die"), Some(EventKind::Die));
    assert_eq!(kind("container", "oom"), Some(EventKind::Oom));
    assert_eq!(kind("container", "destroy"), Some(EventKind::Destroy));
    assert_eq!(kind("container", "health_status: healthy"), Some(EventKind::HealthChanged));
    assert_eq!(kind("container", "health_status: unhealthy"), Some(EventKind::HealthChanged));
    assert_eq!(kind("container", "exec_start: sh"), None);
    assert_eq!(kind("container", "create"), None);
    assert_eq!(kind("network", "start"), None);
    assert_eq!(runtime_event(&event("container", "die")).unwrap().container_id, "c1");
    assert_eq!(runtime_event(&event("container", "die")).unwrap().task_arn, None);
    // Docker's events carry the container's labels: the task's ARN among them.
    let labelled: EventMessage = serde_json::from_value(json!({"Type": "container",
        "Action": "die", "Actor": {"ID": "c1", "Attributes": {
            "berth.task-arn": "arn:aws:ecs:r:1:task/c/t1", "exitCode": "1", "image": "busybox"}}}))
    .unwrap();
    assert_eq!(
        runtime_event(&labelled).unwrap().task_arn.as_deref(),
        Some("arn:aws:ecs:r:1:task/c/t1")
    );
}

#[test]
fn stats_cpu_units_and_memory() {
    let sample: ContainerStatsResponse = serde_json::from_value(json!({
        "read": "2024-05-01T12:00:01Z",
        "cpu_stats": {"cpu_usage": {"total_usage": 3_000_000_000_u64}, "system_cpu_usage": 12_000_000_000_u64, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 2_000_000_000_u64}, "system_cpu_usage": 10_000_000_000_u64, "online_cpus": 2},
        "memory_stats": {"usage": 10_000_000, "stats": {"total_inactive_file": 1_000_000}}
    }))
    .unwrap();
    let stats = container_stats(&sample).unwrap();
    // 1 s of CPU in 2 s of host CPU time over 2 CPUs: one core busy.
    assert!((stats.cpu_units - 1024.0).abs() < 1e-6, "{}", stats.cpu_units);
    assert_eq!(stats.memory_bytes, 9_000_000);

    let v2: ContainerStatsResponse = serde_json::from_value(json!({
        "cpu_stats": {"cpu_usage": {"total_usage": 5}, "system_cpu_usage": 10, "online_cpus": 1},
        "precpu_stats": {},
        "memory_stats": {"usage": 100, "stats": {"inactive_file": 40}}
    }))
    .unwrap();
    let stats = container_stats(&v2).unwrap();
    assert_eq!(stats.cpu_units, 0.0, "no previous sample, no rate");
    assert_eq!(stats.memory_bytes, 60);

    let stopped: ContainerStatsResponse = serde_json::from_value(
        json!({"read": "0001-01-01T00:00:00Z", "memory_stats": {}, "cpu_stats": {}}),
    )
    .unwrap();
    assert_eq!(container_stats(&stopped), None);
}

#[test]
fn image_references() {
    assert_eq!(with_default_tag("busybox"), "busybox:latest");
    assert_eq!(with_default_tag("busybox:1"), "busybox:1");
    assert_eq!(with_default_tag("127.0.0.1:5000/bb"), "127.0.0.1:5000/bb:latest");
    assert_eq!(with_default_tag("127.0.0.1:5000/bb:1"), "127.0.0.1:5000/bb:1");
    assert_eq!(with_default_tag("bb@sha256:abc"), "bb@sha256:abc");
    assert_eq!(repository("127.0.0.1:5000/bb:1"), "127.0.0.1:5000/bb");
    assert_eq!(repository("127.0.0.1:5000/bb"), "127.0.0.1:5000/bb");
    assert_eq!(repository("bb@sha256:abc"), "bb");
    let digests = vec!["other/x@sha256:1".to_string(), "127.0.0.1:5000/bb@sha256:2".to_string()];
    assert_eq!(
        pick_digest("127.0.0.1:5000/bb:1", &digests).as_deref(),
        Some("127.0.0.1:5000/bb@sha256:2")
    );
    assert_eq!(
        pick_digest("docker.io/library/nginx:1", &["nginx@sha256:3".to_string()]).as_deref(),
        Some("nginx@sha256:3")
    );
    assert_eq!(pick_digest("local:1", &[]), None);
    assert_eq!(pick_digest("local:1", &digests), None, "another repository's digest is not ours");
}

#[test]
fn errors_map_to_runtime_errors() {
    let server = |status_code: u16| DockerError::DockerResponseServerError {
        status_code,
        message: "m".to_string(),
    };
    assert!(
        matches!(runtime_error("start", Subject::Container("c"), server(404)), RuntimeError::NoSuchContainer(id) if id == "c")
    );
    assert!(
        matches!(runtime_error("inspect image", Subject::Image("i"), server(404)), RuntimeError::ImageNotPresent(i) if i == "i")
    );
    assert!(matches!(
        runtime_error("create", Subject::Other, server(409)),
        RuntimeError::Refused { operation: "create", message } if message == "m"
    ));
    assert!(matches!(
        runtime_error("list", Subject::Other, DockerError::RequestTimeoutError),
        RuntimeError::Unavailable(_)
    ));
    assert!(matches!(
        runtime_error("list", Subject::Other, DockerError::SocketNotFoundError("/x".to_string())),
        RuntimeError::Unavailable(_)
    ));
}

#[test]
fn docker_timestamps_have_nanoseconds() {
    let time = UNIX_EPOCH + Duration::new(1_700_000_000, 5);
    assert_eq!(docker_timestamp(time), "1700000000.000000005");
}
