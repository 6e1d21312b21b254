//! `berth dev` on real Docker: started before Docker answers, it keeps trying and registers its
//! agent once Docker does; its log file carries no terminal colour codes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{ADMIN_KEY, ADMIN_SECRET, ecs_client, eventually};
use crate::support::{Endpoints, HeldForwarder, ensure_image};

/// A `berth dev` process, killed when dropped.
struct Dev(Child);

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_registers_its_agent_once_docker_answers() {
    ensure_image();
    let temp = tempfile::tempdir().unwrap();
    // Nothing listens here until the forwarder below does.
    let socket = temp.path().join("docker.sock");
    let log = temp.path().join("dev.log");
    let child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["dev", "--listen", "127.0.0.1:0", "--access-key-id", ADMIN_KEY])
        .args(["--secret-access-key", ADMIN_SECRET])
        .arg("--data-dir")
        .arg(temp.path().join("data"))
        .arg("--docker-socket")
        .arg(&socket)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("starting berth dev");
    let mut dev = Dev(child);
    let stdout = dev.0.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut endpoint = None;
    let mut waiting = false;
    while let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(30)) {
        if let Some(url) = line.trim().strip_prefix("ECS endpoint:") {
            endpoint = Some(url.trim().to_owned());
        }
        if line.contains("Tasks cannot run until Docker is reachable") {
            waiting = true;
            break;
        }
    }
    let endpoint = endpoint.expect("berth dev names its endpoint");
    assert!(waiting, "berth dev says it waits for Docker");
    let ecs = ecs_client(&endpoint);
    let instances = |ecs: aws_sdk_ecs::Client| async move {
        ecs.list_container_instances().cluster("default").send().await.unwrap()
    };
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(instances(ecs.clone()).await.container_instance_arns().is_empty());

    // Docker answers now (through a forwarder to the real socket).
    let _forwarder = HeldForwarder::start(
        Endpoints::Unix { path: socket.clone(), target: "/var/run/docker.sock".into() },
        true,
    )
    .await;
    let arn = eventually(60, "the dev agent to register", || async {
        instances(ecs.clone()).await.container_instance_arns().first().cloned()
    })
    .await;
    eventually(30, "the dev agent to be connected", || async {
        let out = ecs
            .describe_container_instances()
            .cluster("default")
            .container_instances(&arn)
            .send()
            .await
            .unwrap();
        out.container_instances().first().and_then(|ci| ci.agent_connected().then_some(()))
    })
    .await;

    drop(dev);
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(written.contains("Docker is reachable; starting the node agent"), "{written}");
    assert!(!written.contains('\u{1b}'), "colour codes in a log file: {written:?}");
}
