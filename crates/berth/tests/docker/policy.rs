//! The container policy on real Docker: what reaches past it is refused with a
//! `ClientException` naming the setting (or, for what only the host can tell, the task stops
//! before any container exists), and works when the cluster's configuration allows it.
//! Each test runs one server with two clusters: one on the default policy, one that allows the
//! thing, each with its own agent.

use std::io::{BufRead, BufReader};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Raw, Server, eventually};
use crate::support::{AgentProcess, IMAGE, TestCluster, docker};

struct Setup {
    _server: Server,
    raw: Raw,
    /// On the default policy.
    refusing: TestCluster,
    /// Its configuration allows what the test is about.
    allowing: TestCluster,
    refusing_instance: String,
    _agents: [AgentProcess; 2],
    _config: tempfile::TempDir,
}

/// A server whose configuration gives the allowing cluster `policy` (lines of
/// `[clusters.<name>.containers]`), both clusters with an agent, and a service `steady` on a
/// harmless definition in the refusing cluster, for UpdateService to be refused on.
async fn setup(prefix: &str, policy: &str) -> Setup {
    let refusing = TestCluster::new(&format!("{prefix}-no"));
    let allowing = TestCluster::new(&format!("{prefix}-yes"));
    let config = tempfile::tempdir().unwrap();
    let path = config.path().join("berth.toml");
    std::fs::write(&path, format!("[clusters.{}.containers]\n{policy}\n", allowing.name)).unwrap();
    let server = Server::start_with_config(&path);
    let raw = server.raw();
    for cluster in [&refusing, &allowing] {
        let created = raw.op("CreateCluster", json!({"clusterName": cluster.name})).await;
        assert_eq!(created.status, 200, "{:?}", created.body);
    }
    let agents = [
        AgentProcess::start(&server, &refusing.name, "zone-a"),
        AgentProcess::start(&server, &allowing.name, "zone-a"),
    ];
    let mut instances = Vec::new();
    for cluster in [&refusing, &allowing] {
        let arn = eventually(30, "the agent to register", || async {
            let out = raw.op("ListContainerInstances", json!({"cluster": cluster.name})).await;
            out.body["containerInstanceArns"][0].as_str().map(str::to_owned)
        })
        .await;
        instances.push(arn);
    }
    register(&raw, "steady", json!([container("sleep 600", json!({}))]), json!([])).await;
    let steady = raw
        .op(
            "CreateService",
            json!({"cluster": refusing.name, "serviceName": "steady", "taskDefinition": "steady", "desiredCount": 0}),
        )
        .await;
    assert_eq!(steady.status, 200, "{:?}", steady.body);
    Setup {
        _server: server,
        raw,
        refusing,
        allowing,
        refusing_instance: instances.swap_remove(0),
        _agents: agents,
        _config: config,
    }
}

/// A container running `command` with `extra` members.
fn container(command: &str, extra: Value) -> Value {
    let mut c =
        json!({"name": "main", "image": IMAGE, "memory": 32, "command": ["sh", "-c", command]});
    c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    c
}

async fn register(raw: &Raw, family: &str, containers: Value, volumes: Value) {
    let registered = raw
        .op(
            "RegisterTaskDefinition",
            json!({"family": family, "containerDefinitions": containers, "volumes": volumes}),
        )
        .await;
    assert_eq!(registered.status, 200, "{family}: {:?}", registered.body);
}

/// Asserts that RunTask, StartTask, CreateService and UpdateService all refuse `family` in the
/// refusing cluster with a `ClientException` whose message has each of `words`, and that
/// nothing changed.
async fn refused_everywhere(s: &Setup, family: &str, words: &[&str]) {
    let cluster = &s.refusing.name;
    let calls = [
        ("RunTask", json!({"cluster": cluster, "taskDefinition": family})),
        (
            "StartTask",
            json!({"cluster": cluster, "taskDefinition": family, "containerInstances": [s.refusing_instance]}),
        ),
        (
            "CreateService",
            json!({"cluster": cluster, "serviceName": family, "taskDefinition": family, "desiredCount": 1}),
        ),
        (
            "UpdateService",
            json!({"cluster": cluster, "service": "steady", "taskDefinition": family}),
        ),
    ];
    for (op, body) in calls {
        let refused = s.raw.op(op, body).await;
        assert_eq!(refused.status, 400, "{op} {family}: {:?}", refused.body);
        assert_eq!(refused.error_type.as_deref(), Some("ClientException"), "{op} {family}");
        assert_eq!(refused.body["__type"], "ClientException", "{op} {family}: {:?}", refused.body);
        let message = refused.body["message"].as_str().unwrap_or_default();
        for word in words.iter().chain([&format!("cluster {cluster}").as_str()]) {
            assert!(message.contains(word), "{op} {family}: {word:?} not in {message:?}");
        }
    }
    let tasks = s.raw.op("ListTasks", json!({"cluster": cluster})).await;
    assert_eq!(tasks.body["taskArns"], json!([]), "{family}");
    let services = s.raw.op("ListServices", json!({"cluster": cluster})).await;
    assert_eq!(services.body["serviceArns"].as_array().map(Vec::len), Some(1), "{family}");
    let steady =
        s.raw.op("DescribeServices", json!({"cluster": cluster, "services": ["steady"]})).await;
    let definition = steady.body["services"][0]["taskDefinition"].as_str().unwrap_or_default();
    assert!(definition.ends_with("/steady:1"), "{family}: {definition}");
}

async fn run(raw: &Raw, cluster: &str, family: &str) -> String {
    let ran = raw.op("RunTask", json!({"cluster": cluster, "taskDefinition": family})).await;
    assert_eq!(ran.status, 200, "{family}: {:?}", ran.body);
    assert_eq!(ran.body["failures"], json!([]), "{family}: {:?}", ran.body);
    ran.body["tasks"][0]["taskArn"].as_str().unwrap().to_owned()
}

async fn wait_stopped(raw: &Raw, cluster: &str, task: &str) -> Value {
    eventually(60, &format!("task {task} to stop"), || async {
        let out = raw.op("DescribeTasks", json!({"cluster": cluster, "tasks": [task]})).await;
        let task = out.body["tasks"][0].clone();
        (task["lastStatus"] == "STOPPED").then_some(task)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_seccomp_profile_needs_the_cluster_to_allow_custom_profiles() {
    let s = setup("seccomp", "allow-custom-security-profiles = true").await;
    // The profile of the report: everything allowed, so a user namespace gets every capability.
    let permissive = r#"seccomp={"defaultAction":"SCMP_ACT_ALLOW"}"#;
    register(
        &s.raw,
        "permissive",
        json!([container("unshare -U -r id", json!({"dockerSecurityOptions": [permissive]}))]),
        json!([]),
    )
    .await;
    refused_everywhere(
        &s,
        "permissive",
        &[
            "containerDefinitions[0].dockerSecurityOptions",
            "custom seccomp profile",
            "(allow-custom-security-profiles)",
        ],
    )
    .await;
    // The colon form is the same option, and no substring of it says "unconfined".
    let colon = r#"seccomp:{"defaultAction":"SCMP_ACT_ALLOW"}"#;
    register(
        &s.raw,
        "colon",
        json!([container(
            "true",
            json!({"dockerSecurityOptions": ["no-new-privileges:true", colon]})
        )]),
        json!([]),
    )
    .await;
    refused_everywhere(
        &s,
        "colon",
        &["custom seccomp profile", "(allow-custom-security-profiles)"],
    )
    .await;

    // Allowed, the profile is what the container runs under: this one refuses mkdir, which
    // Docker's default profile allows.
    let no_mkdir = r#"seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#;
    register(
        &s.raw,
        "nomkdir",
        json!([container(
            "mkdir /probe && exit 0 || exit 42",
            json!({"dockerSecurityOptions": [no_mkdir]})
        )]),
        json!([]),
    )
    .await;
    let task = run(&s.raw, &s.allowing.name, "nomkdir").await;
    let stopped = wait_stopped(&s.raw, &s.allowing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 42, "{stopped:?}");
    // The same container without the profile makes its directory.
    register(
        &s.raw,
        "mkdir",
        json!([container("mkdir /probe && exit 0 || exit 42", json!({}))]),
        json!([]),
    )
    .await;
    let task = run(&s.raw, &s.refusing.name, "mkdir").await;
    let stopped = wait_stopped(&s.raw, &s.refusing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 0, "{stopped:?}");
}

/// A Docker volume made outside Berth, with a secret in it; removed when dropped.
struct ForeignVolume {
    name: String,
}

impl ForeignVolume {
    fn create(prefix: &str) -> ForeignVolume {
        let unique = format!(
            "{:x}",
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
        );
        let volume =
            ForeignVolume { name: format!("e2e-{prefix}-{}", &unique[unique.len() - 8..]) };
        let created = docker(&["volume", "create", &volume.name]);
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
        let mount = format!("{}:/v", volume.name);
        let written =
            docker(&["run", "--rm", "-v", &mount, IMAGE, "sh", "-c", "echo s3cret > /v/secret"]);
        assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
        volume
    }

    /// The containers (running or not) that mount it.
    fn users(&self) -> String {
        let filter = format!("volume={}", self.name);
        String::from_utf8_lossy(&docker(&["ps", "-aq", "--filter", &filter]).stdout)
            .trim()
            .to_owned()
    }
}

impl Drop for ForeignVolume {
    fn drop(&mut self) {
        let filter = format!("volume={}", self.name);
        let users = docker(&["ps", "-aq", "--filter", &filter]);
        for id in String::from_utf8_lossy(&users.stdout).split_whitespace() {
            let _ = docker(&["rm", "-f", id]);
        }
        let _ = docker(&["volume", "rm", "-f", &self.name]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_docker_volume_berth_did_not_create_is_not_mounted_unless_host_mounts_are_allowed() {
    // Declared first, dropped last: after the clusters' containers are gone.
    let foreign = ForeignVolume::create("foreign");
    let s = setup("volume", "allow-host-mounts = true").await;
    let reader = |family: &str, autoprovision: bool| {
        let volume = json!([{"name": foreign.name, "dockerVolumeConfiguration":
            {"scope": "shared", "autoprovision": autoprovision, "driver": "local"}}]);
        let c = container(
            "[ \"$(cat /data/secret)\" = s3cret ] && exit 42 || exit 1",
            json!({"mountPoints": [{"sourceVolume": foreign.name, "containerPath": "/data"}]}),
        );
        (family.to_owned(), json!([c]), volume)
    };
    for autoprovision in [false, true] {
        let (family, containers, volumes) =
            reader(&format!("steal-{autoprovision}"), autoprovision);
        register(&s.raw, &family, containers, volumes).await;
        // The control plane cannot tell the volume from one of Berth's: the agent can.
        let task = run(&s.raw, &s.refusing.name, &family).await;
        let stopped = wait_stopped(&s.raw, &s.refusing.name, &task).await;
        let reason = stopped["stoppedReason"].as_str().unwrap_or_default();
        assert!(
            reason.contains(&foreign.name)
                && reason.contains("did not create")
                && reason.contains("(allow-host-mounts)"),
            "{reason}"
        );
        assert_eq!(stopped["stopCode"], "TaskFailedToStart", "{stopped:?}");
        assert!(stopped["containers"][0]["runtimeId"].is_null(), "{stopped:?}");
        assert_eq!(foreign.users(), "", "no container ever mounted the volume");
    }
    // Another task's own volume is not a shared volume either, though Berth made it.
    let holder = container(
        "echo s3cret > /scratch/secret; sleep 600",
        json!({"mountPoints": [{"sourceVolume": "scratch", "containerPath": "/scratch"}]}),
    );
    register(&s.raw, "holder", json!([holder]), json!([{"name": "scratch"}])).await;
    let holder = run(&s.raw, &s.refusing.name, "holder").await;
    let id = holder.rsplit('/').next().unwrap();
    let scratch = format!("berth-{id}-scratch");
    eventually(30, "the holder's volume", || async {
        docker(&["volume", "inspect", &scratch]).status.success().then_some(())
    })
    .await;
    let peek = json!([{"name": scratch, "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": false}}]);
    let c = container(
        "cat /data/secret",
        json!({"mountPoints": [{"sourceVolume": scratch, "containerPath": "/data"}]}),
    );
    register(&s.raw, "peek", json!([c]), peek).await;
    let task = run(&s.raw, &s.refusing.name, "peek").await;
    let stopped = wait_stopped(&s.raw, &s.refusing.name, &task).await;
    let reason = stopped["stoppedReason"].as_str().unwrap_or_default();
    assert!(reason.contains(&scratch) && reason.contains("(allow-host-mounts)"), "{reason}");
    assert!(stopped["containers"][0]["runtimeId"].is_null(), "{stopped:?}");
    let stop = s.raw.op("StopTask", json!({"cluster": s.refusing.name, "task": holder})).await;
    assert_eq!(stop.status, 200, "{:?}", stop.body);

    // A shared volume Berth created for the cluster is still shared between its tasks.
    let ours = format!("{}-ours", s.refusing.name);
    let volume = |autoprovision: bool| json!([{"name": ours, "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": autoprovision}}]);
    let mount = json!({"mountPoints": [{"sourceVolume": ours, "containerPath": "/data"}]});
    register(
        &s.raw,
        "writer",
        json!([container("echo s3cret > /data/secret", mount.clone())]),
        volume(true),
    )
    .await;
    let task = run(&s.raw, &s.refusing.name, "writer").await;
    let stopped = wait_stopped(&s.raw, &s.refusing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 0, "{stopped:?}");
    register(
        &s.raw,
        "reader",
        json!([container("[ \"$(cat /data/secret)\" = s3cret ] && exit 42 || exit 1", mount)]),
        volume(false),
    )
    .await;
    let task = run(&s.raw, &s.refusing.name, "reader").await;
    let stopped = wait_stopped(&s.raw, &s.refusing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 42, "{stopped:?}");

    // Allowed, the foreign volume is mounted and read.
    let task = run(&s.raw, &s.allowing.name, "steal-false").await;
    let stopped = wait_stopped(&s.raw, &s.allowing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 42, "{stopped:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_destination_on_the_hosts_loopback_needs_to_be_listed() {
    // A syslog receiver that listens only on the host's loopback.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { return };
                    if lines.send(line).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let s = setup("syslog", &format!("log-destinations = [\"{address}\"]")).await;
    let syslog = |port: u16| {
        json!({"logConfiguration": {"logDriver": "syslog",
            "options": {"syslog-address": format!("tcp://127.0.0.1:{port}")}}})
    };
    let marker = format!("berth-syslog-probe-{}", address.port());
    register(
        &s.raw,
        "tohost",
        json!([container(&format!("echo {marker}; sleep 1"), syslog(address.port()))]),
        json!([]),
    )
    .await;
    refused_everywhere(
        &s,
        "tohost",
        &[
            "containerDefinitions[0].logConfiguration.options.syslog-address",
            &format!("tcp://127.0.0.1:{}", address.port()),
            "loopback address",
            "(log-destinations)",
        ],
    )
    .await;
    // Another port of the loopback is not on the allowing cluster's list either.
    register(
        &s.raw,
        "otherport",
        json!([container("true", syslog(address.port().wrapping_add(1)))]),
        json!([]),
    )
    .await;
    let refused = s
        .raw
        .op("RunTask", json!({"cluster": s.allowing.name, "taskDefinition": "otherport"}))
        .await;
    assert_eq!(refused.error_type.as_deref(), Some("ClientException"), "{:?}", refused.body);
    assert!(received.try_recv().is_err(), "nothing reached the receiver");

    // Listed, the Docker daemon delivers the container's line to the receiver.
    let task = run(&s.raw, &s.allowing.name, "tohost").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = received.recv_timeout(left).expect("the container's line at the receiver");
        if line.contains(&marker) {
            break;
        }
    }
    let stopped = wait_stopped(&s.raw, &s.allowing.name, &task).await;
    assert_eq!(stopped["containers"][0]["exitCode"], 0, "{stopped:?}");
}
