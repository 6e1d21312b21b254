//! The Docker runtime against a real Docker Engine: what the agent relies on, checked where it
//! can only be checked. Needs a running daemon (these tests fail, never skip, without one),
//! Debian's busybox-static for the test image and docker-registry for the pull tests.
//!
//! Every test labels what it creates with its own value of `berth.test` and removes it on
//! the way out, also when it fails.

mod support;

use std::time::{Duration, Instant};

use agent::images::{ImagePuller, PullBehavior};
use agent::runtime::{
    ContainerState, EventKind, Health, HealthCheckSpec, LogSpec, MountSource, MountSpec, Runtime,
    RuntimeError, Ulimit, VolumeSpec, labels,
};
use agent::spec::{self, TaskContext};
use futures::StreamExt;
use serde_json::json;

use support::{
    Registry, Scope, TEST_IMAGE, TEST_LABEL, Tags, docker, docker_inspect, free_port, http_get,
    runtime, unique, wait_for, wait_status, within,
};

const SHORT: Duration = Duration::from_secs(20);
const TEST_LIMIT: Duration = Duration::from_secs(90);

fn exited(status: &agent::runtime::ContainerStatus) -> bool {
    status.state == ContainerState::Exited
}

#[tokio::test]
async fn info_reports_the_engine() {
    let runtime = runtime().await;
    let info = runtime.info().await.unwrap();
    assert!(!info.version.is_empty());
    assert!(info.api_version.starts_with("1."), "{}", info.api_version);
    assert!(info.cpus > 0 && info.memory_bytes > 0, "{info:?}");
    assert_eq!(info.os_type, "linux");
    assert!(!info.architecture.is_empty());
}

#[tokio::test]
async fn create_start_and_inspect_carry_the_spec() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("values");
        let mut spec =
            scope.spec("values", &["sh", "-c", "echo \"$A\" > /tmp/out; exec sleep 1000"]);
        spec.labels.insert("team".to_string(), "a".to_string());
        spec.env =
            vec![("A".to_string(), "1".to_string()), ("B".to_string(), "two words".to_string())];
        spec.working_dir = Some("/bin".to_string());
        spec.user = Some("1000".to_string());
        spec.hostname = Some("values-host".to_string());
        spec.cpu_shares = Some(512);
        spec.memory_mib = Some(64);
        spec.memory_reservation_mib = Some(32);
        spec.ulimits = vec![Ulimit { name: "nofile".to_string(), soft: 1024, hard: 2048 }];
        spec.readonly_rootfs = true;
        spec.init = true;
        spec.cap_add = vec!["NET_ADMIN".to_string()];
        spec.cap_drop = vec!["MKNOD".to_string()];
        spec.tmpfs = vec![("/tmp".to_string(), vec!["size=8m".to_string()])];
        spec.shm_size_mib = Some(16);
        spec.dns_servers = vec!["10.0.0.2".to_string()];
        spec.dns_search = vec!["example.com".to_string()];
        spec.extra_hosts = vec!["db:10.0.0.5".to_string()];
        spec.security_opts = vec!["no-new-privileges".to_string()];
        spec.sysctls = [("net.core.somaxconn".to_string(), "512".to_string())].into();
        spec.log = Some(LogSpec {
            driver: "json-file".to_string(),
            options: [("max-size".to_string(), "1m".to_string())].into(),
        });
        spec.stop_timeout = Some(Duration::from_secs(7));

        let id = runtime.create(&spec).await.unwrap();
        let created = runtime.inspect(&id).await.unwrap().unwrap();
        assert_eq!(created.state, ContainerState::Created);
        assert_eq!(created.started_at, None);
        runtime.start(&id).await.unwrap();
        runtime.start(&id).await.unwrap(); // starting a running container is fine

        let status = runtime.inspect(&id).await.unwrap().expect("container exists");
        assert_eq!(status.state, ContainerState::Running);
        assert_eq!(status.id, id);
        assert_eq!(status.name, spec.name);
        assert_eq!(status.exit_code, None);
        assert_eq!(status.health, None);
        assert_eq!(status.finished_at, None);
        assert!(status.started_at.is_some());
        assert!(status.image_id.as_deref().is_some_and(|i| i.starts_with("sha256:")), "{status:?}");
        assert_eq!(status.labels, spec.labels);

        let inspect = docker_inspect(&id);
        let config = &inspect["Config"];
        let env: Vec<&str> =
            config["Env"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(env.contains(&"A=1") && env.contains(&"B=two words"), "{env:?}");
        assert_eq!(config["Cmd"], json!(["sh", "-c", "echo \"$A\" > /tmp/out; exec sleep 1000"]));
        assert_eq!(config["WorkingDir"], "/bin");
        assert_eq!(config["User"], "1000");
        assert_eq!(config["Hostname"], "values-host");
        assert_eq!(config["Labels"]["team"], "a");
        assert_eq!(config["StopTimeout"], 7);
        let host = &inspect["HostConfig"];
        assert_eq!(host["CpuShares"], 512);
        assert_eq!(host["Memory"], 64 * 1024 * 1024);
        assert_eq!(host["MemoryReservation"], 32 * 1024 * 1024);
        assert_eq!(host["Ulimits"], json!([{"Name": "nofile", "Soft": 1024, "Hard": 2048}]));
        assert_eq!(host["ReadonlyRootfs"], true);
        assert_eq!(host["Init"], true);
        assert_eq!(host["CapAdd"], json!(["NET_ADMIN"]));
        assert_eq!(host["CapDrop"], json!(["MKNOD"]));
        assert_eq!(host["Tmpfs"], json!({"/tmp": "size=8m"}));
        assert_eq!(host["ShmSize"], 16 * 1024 * 1024);
        assert_eq!(host["Dns"], json!(["10.0.0.2"]));
        assert_eq!(host["DnsSearch"], json!(["example.com"]));
        assert_eq!(host["ExtraHosts"], json!(["db:10.0.0.5"]));
        assert_eq!(host["SecurityOpt"], json!(["no-new-privileges"]));
        assert_eq!(host["Sysctls"], json!({"net.core.somaxconn": "512"}));
        // The daemon may add its own defaults (e.g. max-file) to the options.
        assert_eq!(host["LogConfig"]["Type"], "json-file");
        assert_eq!(host["LogConfig"]["Config"]["max-size"], "1m");

        // And the process really runs that way.
        let seen =
            docker(&["exec", &id, "sh", "-c", "id -u; pwd; cat /tmp/out; grep db /etc/hosts"]);
        let lines: Vec<&str> = seen.lines().collect();
        assert_eq!(&lines[..3], ["1000", "/bin", "1"], "{seen}");
        assert!(lines[3].starts_with("10.0.0.5"), "{seen}");
    })
    .await;
}

/// An ECS task definition through `spec` and the runtime: a dynamic host port in bridge mode
/// and an ECS health check.
#[tokio::test]
async fn ecs_container_gets_a_dynamic_host_port_and_goes_healthy() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("http");
        let definition: api::TaskDefinition = serde_json::from_value(json!({
            "family": "web",
            "containerDefinitions": [{
                "name": "web",
                "image": TEST_IMAGE,
                "command": ["sh", "-c", "mkdir -p /www && echo hello-berth > /www/index.html && exec httpd -f -p 8080 -h /www"],
                "portMappings": [{"containerPort": 8080}],
                "memory": 32,
                "dockerLabels": {TEST_LABEL: scope.value.clone()},
                "healthCheck": {"command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/index.html"],
                                "interval": 1, "timeout": 2, "retries": 3}
            }]
        }))
        .unwrap();
        let task_id = unique("task");
        let ctx = TaskContext {
            cluster: "test",
            container_instance_arn: "arn:aws:ecs:local:0:container-instance/test/i",
            task_arn: "arn:aws:ecs:local:0:task/test/t",
            task_id: &task_id,
            definition: &definition,
            overrides: None,
            default_stop_timeout: Duration::from_secs(5),
            sandbox: None,
            isolation: None,
        };
        let container = &definition.container_definitions.as_ref().unwrap()[0];
        let spec = spec::container_spec(&ctx, container).unwrap();
        let id = runtime.create(&spec).await.unwrap();
        runtime.start(&id).await.unwrap();

        let status = wait_status(&runtime, &id, SHORT, "healthy", |s| s.health == Some(Health::Healthy)).await;
        assert_eq!(status.labels.get(labels::CONTAINER_NAME).map(String::as_str), Some("web"));
        let binding = status
            .bindings
            .iter()
            .find(|b| b.container_port == 8080 && !b.host_ip.contains(':'))
            .unwrap_or_else(|| panic!("no IPv4 binding for 8080: {:?}", status.bindings));
        assert!(binding.host_port >= 1024, "{binding:?}");
        let response = wait_for(SHORT, Duration::from_millis(200), || async {
            http_get(binding.host_port, "/index.html").ok().filter(|r| r.contains("hello-berth"))
        })
        .await;
        assert!(response.is_some(), "no answer on 127.0.0.1:{}", binding.host_port);
    })
    .await;
}

#[tokio::test]
async fn failing_health_check_goes_unhealthy() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("unhealthy");
        let mut spec = scope.spec("sick", &["sleep", "1000"]);
        spec.health_check = Some(HealthCheckSpec {
            test: vec!["CMD-SHELL".to_string(), "exit 1".to_string()],
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            retries: 2,
            start_period: Duration::ZERO,
        });
        let mut events = runtime.events(&[scope.label()]);
        let id = runtime.create(&spec).await.unwrap();
        runtime.start(&id).await.unwrap();
        let first = runtime.inspect(&id).await.unwrap().unwrap();
        assert_eq!(first.health, Some(Health::Starting));
        wait_status(&runtime, &id, SHORT, "unhealthy", |s| s.health == Some(Health::Unhealthy))
            .await;
        // The change was announced (`health_status: unhealthy` filtered as `health_status`).
        let announced = tokio::time::timeout(SHORT, async {
            while let Some(event) = events.next().await {
                if event.expect("event stream").kind == EventKind::HealthChanged {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(announced, Ok(true), "no health event");
    })
    .await;
}

#[tokio::test]
async fn exit_code_is_reported() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("exit");
        let id = runtime.create(&scope.spec("exit", &["sh", "-c", "exit 3"])).await.unwrap();
        runtime.start(&id).await.unwrap();
        let status = wait_status(&runtime, &id, SHORT, "exited", exited).await;
        assert_eq!(status.exit_code, Some(3));
        assert!(!status.oom_killed);
        let (started, finished) = (status.started_at.unwrap(), status.finished_at.unwrap());
        assert!(finished >= started, "{started} .. {finished}");
        // Stopping a stopped container succeeds.
        runtime.stop(&id, Duration::from_secs(1)).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn stop_waits_for_the_timeout_then_kills() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("stop");
        let stubborn = runtime
            .create(&scope.spec("stubborn", &["sh", "-c", "trap '' TERM; sleep 1000"]))
            .await
            .unwrap();
        let polite = runtime
            .create(&scope.spec("polite", &["sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"]))
            .await
            .unwrap();
        runtime.start(&stubborn).await.unwrap();
        runtime.start(&polite).await.unwrap();
        // Let the shells install their traps.
        tokio::time::sleep(Duration::from_millis(500)).await;

        let started = Instant::now();
        runtime.stop(&stubborn, Duration::from_secs(3)).await.unwrap();
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(2500), "killed before the timeout: {took:?}");
        assert!(took < Duration::from_secs(30), "stop took {took:?}");
        let status = runtime.inspect(&stubborn).await.unwrap().unwrap();
        assert_eq!((status.state, status.exit_code), (ContainerState::Exited, Some(137)));

        let started = Instant::now();
        runtime.stop(&polite, Duration::from_secs(20)).await.unwrap();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(10), "a container that exits on SIGTERM took {took:?}");
        let status = runtime.inspect(&polite).await.unwrap().unwrap();
        assert_eq!((status.state, status.exit_code), (ContainerState::Exited, Some(0)));

        runtime.stop(&polite, Duration::from_secs(1)).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn events_cover_labelled_containers_only() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let watched = Scope::new("events");
        let other = Scope::new("events-other");
        // Subscribed before anything happens, polled only later: `since` must cover the gap.
        let mut events = runtime.events(&[watched.label()]);

        let other_id = runtime.create(&other.spec("other", &["true"])).await.unwrap();
        runtime.start(&other_id).await.unwrap();
        wait_status(&runtime, &other_id, SHORT, "exited", exited).await;

        let id =
            runtime.create(&watched.spec("watched", &["sh", "-c", "sleep 0.2"])).await.unwrap();
        runtime.start(&id).await.unwrap();
        wait_status(&runtime, &id, SHORT, "exited", exited).await;
        runtime.remove(&id).await.unwrap();

        let mut seen = Vec::new();
        let collected = tokio::time::timeout(SHORT, async {
            while let Some(event) = events.next().await {
                let event = event.expect("event stream");
                seen.push(event.clone());
                if event.container_id == id && event.kind == EventKind::Destroy {
                    break;
                }
            }
        })
        .await;
        assert!(collected.is_ok(), "no destroy event within {SHORT:?}; saw {seen:?}");
        assert!(seen.iter().all(|e| e.container_id == id), "events of other containers: {seen:?}");
        let kinds: Vec<EventKind> = seen.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![EventKind::Start, EventKind::Die, EventKind::Destroy]);
    })
    .await;
}

#[tokio::test]
async fn list_by_labels_includes_stopped_containers() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("list");
        let other = Scope::new("list-other");
        let mut done_spec = scope.spec("done", &["true"]);
        done_spec.labels.insert(labels::CONTAINER_NAME.to_string(), "done".to_string());
        let done = runtime.create(&done_spec).await.unwrap();
        runtime.start(&done).await.unwrap();
        let running = runtime.create(&scope.spec("running", &["sleep", "1000"])).await.unwrap();
        runtime.start(&running).await.unwrap();
        let never_started = runtime.create(&scope.spec("never", &["true"])).await.unwrap();
        let elsewhere = runtime.create(&other.spec("elsewhere", &["sleep", "1000"])).await.unwrap();
        runtime.start(&elsewhere).await.unwrap();
        wait_status(&runtime, &done, SHORT, "exited", exited).await;

        let listed = runtime.list(&[scope.label()]).await.unwrap();
        let found: Vec<(&str, ContainerState)> =
            listed.iter().map(|s| (s.id.as_str(), s.state)).collect();
        // Sorted by name: done, never, running.
        let expected = vec![
            (done.as_str(), ContainerState::Exited),
            (never_started.as_str(), ContainerState::Created),
            (running.as_str(), ContainerState::Running),
        ];
        assert_eq!(found, expected);
        assert_eq!(listed[0].exit_code, Some(0));

        let both = runtime.list(&[scope.label(), (labels::CONTAINER_NAME, "done")]).await.unwrap();
        assert_eq!(both.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec![done.as_str()]);
        assert!(runtime.list(&[(TEST_LABEL, "nobody-uses-this")]).await.unwrap().is_empty());
    })
    .await;
}

/// Runs a one-shot container and returns its exit code.
async fn run_to_exit(
    runtime: &agent::docker::DockerRuntime,
    spec: &agent::runtime::ContainerSpec,
) -> i64 {
    let id = runtime.create(spec).await.unwrap();
    runtime.start(&id).await.unwrap();
    let status = wait_status(runtime, &id, SHORT, "exited", exited).await;
    status.exit_code.expect("exit code")
}

#[tokio::test]
async fn bind_mounts_and_named_volumes() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("mounts");
        let host_dir = tempfile::tempdir().unwrap();
        std::fs::write(host_dir.path().join("in"), "from-host\n").unwrap();

        let mut bind = scope.spec(
            "bind",
            &["sh", "-c", "grep -q from-host /host/in && echo from-container > /host/out"],
        );
        bind.mounts = vec![MountSpec {
            source: MountSource::Bind(host_dir.path().to_path_buf()),
            target: "/host".to_string(),
            read_only: false,
        }];
        assert_eq!(run_to_exit(&runtime, &bind).await, 0);
        assert_eq!(
            std::fs::read_to_string(host_dir.path().join("out")).unwrap(),
            "from-container\n"
        );

        let volume = scope.name("vol");
        let volume_spec = VolumeSpec {
            name: volume.clone(),
            labels: [(TEST_LABEL.to_string(), scope.value.clone())].into(),
            ..VolumeSpec::default()
        };
        runtime.create_volume(&volume_spec).await.unwrap();
        runtime.create_volume(&volume_spec).await.unwrap(); // exists already: fine
        let mount = |read_only| MountSpec {
            source: MountSource::Volume(volume.clone()),
            target: "/v".to_string(),
            read_only,
        };
        let mut writer = scope.spec("writer", &["sh", "-c", "echo kept > /v/f"]);
        writer.mounts = vec![mount(false)];
        assert_eq!(run_to_exit(&runtime, &writer).await, 0);
        let mut reader =
            scope.spec("reader", &["sh", "-c", "grep -q kept /v/f && ! touch /v/g 2>/dev/null"]);
        reader.mounts = vec![mount(true)];
        assert_eq!(
            run_to_exit(&runtime, &reader).await,
            0,
            "read-only volume readable, not writable"
        );

        let in_use = runtime.remove_volume(&volume).await;
        assert!(matches!(in_use, Err(RuntimeError::Refused { .. })), "{in_use:?}");
        for name in ["writer", "reader"] {
            runtime.remove(&scope.name(name)).await.unwrap();
        }
        runtime.remove_volume(&volume).await.unwrap();
        runtime.remove_volume(&volume).await.unwrap(); // gone already: fine
    })
    .await;
}

#[tokio::test]
async fn volumes_from_another_container() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("volumes-from");
        let volume = scope.name("data");
        runtime
            .create_volume(&VolumeSpec {
                name: volume.clone(),
                labels: [(TEST_LABEL.to_string(), scope.value.clone())].into(),
                ..VolumeSpec::default()
            })
            .await
            .unwrap();
        let mut source = scope.spec("source", &["sh", "-c", "echo shared > /data/f"]);
        source.mounts = vec![MountSpec {
            source: MountSource::Volume(volume.clone()),
            target: "/data".to_string(),
            read_only: false,
        }];
        assert_eq!(run_to_exit(&runtime, &source).await, 0);

        let mut reader =
            scope.spec("reader", &["sh", "-c", "grep -q shared /data/f && touch /data/g"]);
        reader.volumes_from = vec![source.name.clone()];
        assert_eq!(run_to_exit(&runtime, &reader).await, 0);
        let mut read_only = scope.spec(
            "read-only",
            &["sh", "-c", "grep -q shared /data/f && ! touch /data/h 2>/dev/null"],
        );
        read_only.volumes_from = vec![format!("{}:ro", source.name)];
        assert_eq!(run_to_exit(&runtime, &read_only).await, 0);
    })
    .await;
}

/// A two-container ECS task through `spec`: a task-scoped scratch volume, `volumesFrom` and a
/// link, named the way the agent names them.
#[tokio::test]
async fn ecs_task_with_scratch_volume_volumes_from_and_link() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("ecs-task");
        let definition: api::TaskDefinition = serde_json::from_value(json!({
            "family": "pair",
            "volumes": [{"name": "scratch"}],
            "containerDefinitions": [
                {"name": "db", "image": TEST_IMAGE, "dockerLabels": {TEST_LABEL: scope.value.clone()},
                 "command": ["sh", "-c", "echo data > /shared/f; exec sleep 1000"],
                 "mountPoints": [{"sourceVolume": "scratch", "containerPath": "/shared"}]},
                {"name": "app", "image": TEST_IMAGE, "dockerLabels": {TEST_LABEL: scope.value.clone()},
                 "links": ["db:database"],
                 "volumesFrom": [{"sourceContainer": "db", "readOnly": true}],
                 "command": ["sh", "-c",
                    "grep -q database /etc/hosts || exit 10; for i in $(seq 1 40); do grep -q data /shared/f && exit 0; sleep 0.25; done; exit 11"]}
            ]
        }))
        .unwrap();
        let task_id = unique("task");
        let ctx = TaskContext {
            cluster: "test",
            container_instance_arn: "arn:aws:ecs:local:0:container-instance/test/i",
            task_arn: "arn:aws:ecs:local:0:task/test/t",
            task_id: &task_id,
            definition: &definition,
            overrides: None,
            default_stop_timeout: Duration::from_secs(5),
            sandbox: None,
            isolation: None,
        };
        for mut volume in spec::task_volumes(&ctx) {
            volume.labels.insert(TEST_LABEL.to_string(), scope.value.clone());
            runtime.create_volume(&volume).await.unwrap();
        }
        let containers = definition.container_definitions.as_ref().unwrap();
        let db = spec::container_spec(&ctx, &containers[0]).unwrap();
        let app = spec::container_spec(&ctx, &containers[1]).unwrap();
        let db_id = runtime.create(&db).await.unwrap();
        runtime.start(&db_id).await.unwrap();
        assert_eq!(run_to_exit(&runtime, &app).await, 0);
        let inspect = docker_inspect(&spec::volume_name(&task_id, "scratch"));
        assert_eq!(inspect["Labels"][labels::TASK_ARN], "arn:aws:ecs:local:0:task/test/t");
    })
    .await;
}

#[tokio::test]
async fn stats_sample_a_busy_container() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("stats");
        let id = runtime
            .create(&scope.spec("busy", &["sh", "-c", "while :; do :; done"]))
            .await
            .unwrap();
        runtime.start(&id).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let stats = runtime.stats(&id).await.unwrap().expect("a running container has stats");
        // A spinning shell uses up to a core (1024 units); the machine may be busy, so loosely.
        assert!(stats.cpu_units > 50.0 && stats.cpu_units < 1024.0 * 1.5, "{stats:?}");
        assert!(stats.memory_bytes > 0, "{stats:?}");

        runtime.stop(&id, Duration::ZERO).await.unwrap();
        assert_eq!(runtime.stats(&id).await.unwrap(), None, "a stopped container has no sample");
        assert_eq!(runtime.stats("berth-test-no-such-container").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn missing_things_map_to_runtime_errors() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let scope = Scope::new("missing");
        let missing = scope.name("absent");
        assert_eq!(runtime.inspect(&missing).await.unwrap(), None);
        runtime.remove(&missing).await.unwrap();
        assert!(matches!(runtime.start(&missing).await, Err(RuntimeError::NoSuchContainer(id)) if id == missing));
        assert!(matches!(
            runtime.stop(&missing, Duration::from_secs(1)).await,
            Err(RuntimeError::NoSuchContainer(_))
        ));
        let mut no_image = scope.spec("no-image", &["true"]);
        no_image.image = "berth-test/absent:0".to_string();
        assert!(matches!(
            runtime.create(&no_image).await,
            Err(RuntimeError::ImageNotPresent(image)) if image == "berth-test/absent:0"
        ));
        assert_eq!(runtime.image("berth-test/absent:0").await.unwrap(), None);

        let spec = scope.spec("twice", &["true"]);
        runtime.create(&spec).await.unwrap();
        let again = runtime.create(&spec).await;
        assert!(matches!(again, Err(RuntimeError::Refused { operation: "create", .. })), "{again:?}");
    })
    .await;
}

#[tokio::test]
async fn pull_from_a_local_registry() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        let registry = Registry::start();
        let reference = format!("127.0.0.1:{}/{}:1", registry.port, unique("berth-test-pull"));
        let _tags = Tags(vec![reference.clone()]);
        docker(&["tag", TEST_IMAGE, &reference]);
        docker(&["push", &reference]);
        docker(&["rmi", &reference]);
        assert_eq!(runtime.image(&reference).await.unwrap(), None);

        let pulled = runtime.pull(&reference).await.unwrap();
        let repository = reference.rsplit_once(':').unwrap().0;
        let digest = pulled.digest.clone().expect("a pulled image has a digest");
        assert!(digest.starts_with(&format!("{repository}@sha256:")), "{digest}");
        let local = runtime.image(&reference).await.unwrap().expect("pulled image is local");
        assert_eq!(local, pulled);
        let test_image = runtime.image(TEST_IMAGE).await.unwrap().unwrap();
        assert_eq!(local.id, test_image.id, "same content, same image id");
        assert_eq!(test_image.digest, None, "a locally built image has no registry digest");

        // Pulling again is fine; a name the registry does not have is a pull error.
        runtime.pull(&reference).await.unwrap();
        let missing = format!("127.0.0.1:{}/berth-test-never-pushed:1", registry.port);
        let err = runtime.pull(&missing).await.unwrap_err();
        assert!(matches!(&err, RuntimeError::Pull { image, .. } if *image == missing), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn pull_behaviors_with_an_unreachable_registry() {
    within(TEST_LIMIT, async {
        let runtime = runtime().await;
        // Nothing listens there: every pull fails, quickly.
        let dead = free_port();
        let cached = format!("127.0.0.1:{dead}/{}:1", unique("berth-test-cached"));
        let _tags = Tags(vec![cached.clone()]);
        docker(&["tag", TEST_IMAGE, &cached]);
        let image_id = runtime.image(TEST_IMAGE).await.unwrap().unwrap().id;

        let err = runtime.pull(&cached).await.unwrap_err();
        assert!(matches!(err, RuntimeError::Pull { .. }), "{err:?}");

        let default = ImagePuller::new(PullBehavior::Default);
        assert_eq!(
            default.ensure(&runtime, &cached).await.unwrap().id,
            image_id,
            "default falls back to the cache"
        );
        let prefer_cached = ImagePuller::new(PullBehavior::PreferCached);
        assert_eq!(prefer_cached.ensure(&runtime, &cached).await.unwrap().id, image_id);
        let always = ImagePuller::new(PullBehavior::Always);
        assert!(matches!(always.ensure(&runtime, &cached).await, Err(RuntimeError::Pull { .. })));
        let once = ImagePuller::new(PullBehavior::Once);
        assert!(
            matches!(once.ensure(&runtime, &cached).await, Err(RuntimeError::Pull { .. })),
            "once pulls the first time even when cached"
        );

        let absent = format!("127.0.0.1:{dead}/{}:1", unique("berth-test-absent"));
        assert!(matches!(default.ensure(&runtime, &absent).await, Err(RuntimeError::Pull { .. })));
    })
    .await;
}
