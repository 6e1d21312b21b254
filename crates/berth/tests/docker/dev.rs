//! `berth dev` on real Docker: started before Docker answers, it keeps trying and registers its
//! agent once Docker does; its log file carries no terminal colour codes. The Fargate
//! getting-started tutorial runs on it with the real AWS CLI.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fargate_tutorial_runs_on_berth_dev_with_the_aws_cli() {
    ensure_image();
    let temp = tempfile::tempdir().unwrap();
    // The tasks' addresses are routed on this machine: a VPC of a private range of the
    // test's own, not the AWS default one a real network may use.
    let config = temp.path().join("berth.toml");
    std::fs::write(&config, "[vpc]\ncidr = \"10.218.0.0/16\"\n").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["dev", "--listen", "127.0.0.1:0", "--access-key-id", ADMIN_KEY])
        .args(["--secret-access-key", ADMIN_SECRET, "--image-pull-behavior", "prefer-cached"])
        .args(["--availability-zone", "tutorial-1a"])
        .arg("--data-dir")
        .arg(temp.path().join("data"))
        .arg("--config")
        .arg(&config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting berth dev");
    let mut dev = Dev(child);
    let stdout = dev.0.stdout.take().unwrap();
    let mut endpoint = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("ECS endpoint:") {
            endpoint = Some(url.trim().to_owned());
            break;
        }
    }
    let endpoint = endpoint.expect("berth dev names its endpoint");
    let cli = |args: &[&str]| crate::support::cli(&endpoint, args);
    // The dev agent's zone gets its subnet once the agents register.
    let subnet = eventually(60, "the dev agents to register", || async {
        let out = cli(&["ec2", "describe-subnets"]);
        out["Subnets"][0]["SubnetId"].as_str().map(str::to_owned)
    })
    .await;
    let group =
        cli(&["ec2", "create-security-group", "--group-name", "tutorial", "--description", "web"]);
    let group = group["GroupId"].as_str().unwrap().to_owned();
    cli(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group,
        "--protocol",
        "tcp",
        "--port",
        "8080",
        "--cidr",
        "0.0.0.0/0",
    ]);
    let cluster = format!("e2e-tutorial-{}", std::process::id());
    let _cleanup = crate::support::TestCluster { name: cluster.clone() };
    cli(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    let containers = serde_json::json!([{"name": "web", "image": crate::support::IMAGE,
        "command": ["sh", "-c", "mkdir -p /w && hostname > /w/index.html && httpd -f -p 8080 -h /w"],
        "portMappings": [{"containerPort": 8080}]}]);
    cli(&[
        "ecs",
        "register-task-definition",
        "--family",
        "tutorial",
        "--requires-compatibilities",
        "FARGATE",
        "--network-mode",
        "awsvpc",
        "--cpu",
        "256",
        "--memory",
        "512",
        "--container-definitions",
        &containers.to_string(),
    ]);
    let network = format!("awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}]}}");
    cli(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "tutorial",
        "--task-definition",
        "tutorial",
        "--desired-count",
        "2",
        "--launch-type",
        "FARGATE",
        "--network-configuration",
        &network,
    ]);
    let waited = tokio::task::spawn_blocking({
        let (endpoint, cluster) = (endpoint.clone(), cluster.clone());
        move || {
            Command::new(crate::support::aws())
                .args(["ecs", "wait", "services-stable", "--cluster", &cluster])
                .args(["--services", "tutorial", "--endpoint-url", &endpoint])
                .env("AWS_ACCESS_KEY_ID", ADMIN_KEY)
                .env("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET)
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .output()
                .expect("running the AWS CLI")
        }
    })
    .await
    .unwrap();
    assert!(waited.status.success(), "{}", String::from_utf8_lossy(&waited.stderr));
    let arns = cli(&["ecs", "list-tasks", "--cluster", &cluster, "--service-name", "tutorial"]);
    let arns: Vec<String> = arns["taskArns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(arns.len(), 2);
    let mut args = vec!["ecs", "describe-tasks", "--cluster", cluster.as_str(), "--tasks"];
    args.extend(arns.iter().map(String::as_str));
    let described = cli(&args);
    for task in described["tasks"].as_array().unwrap() {
        assert_eq!(task["lastStatus"], "RUNNING", "{task}");
        assert_eq!(task["launchType"], "FARGATE");
        let address = task["attachments"][0]["details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "privateIPv4Address")
            .and_then(|d| d["value"].as_str())
            .unwrap()
            .to_owned();
        // Its container answers on the task's address.
        let body =
            eventually(20, "the task to answer", || crate::support::http_get(&address, 8080)).await;
        assert!(!body.is_empty());
    }
    cli(&[
        "ecs",
        "update-service",
        "--cluster",
        &cluster,
        "--service",
        "tutorial",
        "--desired-count",
        "0",
    ]);
    drop(dev);
}
