//! `berth bench task-start`: how long a one-container task takes from RunTask to RUNNING on
//! real Docker, beside the Docker floor measured in the same run: the same container created
//! and started through the Engine API (what the agent does), and `docker run -d` through the
//! CLI. The same task in the `awsvpc` network mode is measured beside the floor of a container
//! in a namespace of its own: a network-less holder container and the container joined to it,
//! created and started through the Engine API (what the agent does, less the interface it
//! plumbs and the rules it sets). A Fargate task (256 CPU units, 512 MiB, on a pool agent of
//! the same host) is measured beside the same floor with the same limits (CPU quota, memory
//! without swap, process limit). Runs alternate between the paths so that drift in the
//! machine affects them alike.
//!
//! Output: one line per measured path, `bench=task-start path=.. runs=.. p50_ms=.. p99_ms=..
//! mean_ms=..`, then `ratio_p50=..` and `ratio_p99=..` (Berth over the Engine API floor), and
//! `awsvpc_ratio_p50=..` (awsvpc over its floor) and `awsvpc_over_bridge_p50_ms=..` (what the
//! interface costs a task), and `fargate_ratio_p50=..` (Fargate over its floor).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::json;

use agent::docker::DockerRuntime;
use agent::runtime::{ContainerSpec, Runtime};

use super::harness::{Processes, call};
use super::store::percentile;

#[derive(Debug, clap::Args)]
pub(crate) struct TaskStartBenchArgs {
    /// Measured runs of each path.
    #[arg(long, default_value_t = 50)]
    runs: usize,
    /// The image to run (must be present locally).
    #[arg(long, default_value = "berth-test/busybox:1")]
    image: String,
    /// The OCI runtime of the Fargate task and of its floor (e.g. `runsc`, registered with
    /// Docker); Docker's default when absent.
    #[arg(long)]
    fargate_runtime: Option<String>,
}

const CLUSTER: &str = "bench-task-start";

pub(crate) async fn run(args: TaskStartBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let mut processes = Processes::server(dir.path(), &[]).await?;
    let endpoint = processes.endpoint.clone();
    let http = reqwest::Client::new();
    call(&http, &endpoint, "CreateCluster", json!({"clusterName": CLUSTER})).await?;
    processes.agent(
        CLUSTER,
        &dir.path().join("agent"),
        &["--image-pull-behavior", "prefer-cached", "--cleanup-wait", "1", "--stop-timeout", "1"],
    )?;
    processes.wait_for_instances(&http, CLUSTER, 1).await?;
    let mut pool_args = vec![
        "--image-pull-behavior",
        "prefer-cached",
        "--cleanup-wait",
        "1",
        "--stop-timeout",
        "1",
    ];
    if let Some(runtime) = &args.fargate_runtime {
        pool_args.extend(["--fargate-runtime", runtime.as_str()]);
    }
    processes.agent(server::FARGATE_POOL, &dir.path().join("agent-fargate"), &pool_args)?;
    call(
        &http,
        &endpoint,
        "RegisterTaskDefinition",
        json!({"family": "bench", "containerDefinitions": [{"name": "main", "image": args.image, "memory": 32,
            "command": ["sleep", "600"]}]}),
    )
    .await?;
    call(
        &http,
        &endpoint,
        "RegisterTaskDefinition",
        json!({"family": "bench-vpc", "networkMode": "awsvpc", "containerDefinitions": [{"name": "main",
            "image": args.image, "memory": 32, "command": ["sleep", "600"]}]}),
    )
    .await?;
    call(
        &http,
        &endpoint,
        "RegisterTaskDefinition",
        json!({"family": "bench-fargate", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
            "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "main",
            "image": args.image, "command": ["sleep", "600"]}]}),
    )
    .await?;
    let subnet = first_subnet(&http, &endpoint).await?;
    let docker = Arc::new(DockerRuntime::connect(None).await?);
    let fargate = json!({"taskDefinition": "bench-fargate", "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": [subnet]}}});
    // Until the pool's agent has registered, a Fargate task finds no capacity.
    let pool_ready = Instant::now();
    while run_task(&http, &endpoint, fargate.clone()).await.is_err() {
        if pool_ready.elapsed() > Duration::from_secs(30) {
            bail!("the Fargate pool's agent did not take a task within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let mut berth = Vec::new();
    let mut berth_vpc = Vec::new();
    let mut berth_fargate = Vec::new();
    let mut engine_bounded = Vec::new();
    let mut engine = Vec::new();
    let mut engine_own = Vec::new();
    let mut cli = Vec::new();
    // One warm-up round of each, not counted.
    for round in 0..=args.runs {
        // Berth: RunTask until DescribeTasks says RUNNING.
        let elapsed = run_task(&http, &endpoint, json!({"taskDefinition": "bench"})).await?;
        let vpc = json!({"taskDefinition": "bench-vpc", "networkConfiguration":
            {"awsvpcConfiguration": {"subnets": [subnet]}}});
        let vpc_elapsed = run_task(&http, &endpoint, vpc).await?;
        let fargate_elapsed = run_task(&http, &endpoint, fargate.clone()).await?;

        // The floor of a container in a namespace of its own: a holder, then the container.
        let holder = ContainerSpec {
            name: format!("berth-bench-holder-{round}"),
            image: "berth/pause:1".to_owned(),
            network: agent::runtime::Network::None,
            labels: [("berth.bench".to_owned(), "task-start".to_owned())].into(),
            ..ContainerSpec::default()
        };
        let t = Instant::now();
        let holder_id = docker.create(&holder).await?;
        docker.start(&holder_id).await?;
        let joined = ContainerSpec {
            name: format!("berth-bench-joined-{round}"),
            image: args.image.clone(),
            command: Some(vec!["sleep".into(), "600".into()]),
            memory_mib: Some(32),
            cpu_shares: Some(2),
            network: agent::runtime::Network::Container(holder_id.clone()),
            labels: [("berth.bench".to_owned(), "task-start".to_owned())].into(),
            ..ContainerSpec::default()
        };
        let id = docker.create(&joined).await?;
        docker.start(&id).await?;
        let own_elapsed = t.elapsed();
        docker.remove(&id).await?;
        docker.remove(&holder_id).await?;

        // The same with a Fargate task's limits on the container.
        let holder = ContainerSpec { name: format!("berth-bench-holder-b-{round}"), ..holder };
        let t = Instant::now();
        let holder_id = docker.create(&holder).await?;
        docker.start(&holder_id).await?;
        let bounded = ContainerSpec {
            name: format!("berth-bench-bounded-{round}"),
            memory_mib: Some(512),
            nano_cpus: Some(250_000_000),
            pids_limit: Some(agent::spec::DEFAULT_PIDS_LIMIT),
            no_swap: true,
            oci_runtime: args.fargate_runtime.clone(),
            network: agent::runtime::Network::Container(holder_id.clone()),
            ..joined.clone()
        };
        let id = docker.create(&bounded).await?;
        docker.start(&id).await?;
        let bounded_elapsed = t.elapsed();
        docker.remove(&id).await?;
        docker.remove(&holder_id).await?;

        // The Engine API floor: create and start the same container.
        let spec = ContainerSpec {
            name: format!("berth-bench-engine-{round}"),
            image: args.image.clone(),
            command: Some(vec!["sleep".into(), "600".into()]),
            memory_mib: Some(32),
            cpu_shares: Some(2),
            labels: [("berth.bench".to_owned(), "task-start".to_owned())].into(),
            ..ContainerSpec::default()
        };
        let t = Instant::now();
        let id = docker.create(&spec).await?;
        docker.start(&id).await?;
        let engine_elapsed = t.elapsed();
        docker.remove(&id).await?;

        // The CLI: docker run -d.
        let t = Instant::now();
        let output = tokio::process::Command::new("docker")
            .args([
                "run",
                "-d",
                "--label",
                "berth.bench=task-start",
                "-m",
                "32m",
                &args.image,
                "sleep",
                "600",
            ])
            .output()
            .await?;
        let cli_elapsed = t.elapsed();
        if !output.status.success() {
            bail!("docker run: {}", String::from_utf8_lossy(&output.stderr));
        }
        let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        docker.remove(&id).await?;

        if round > 0 {
            berth.push(elapsed.as_secs_f64() * 1000.0);
            berth_vpc.push(vpc_elapsed.as_secs_f64() * 1000.0);
            berth_fargate.push(fargate_elapsed.as_secs_f64() * 1000.0);
            engine_bounded.push(bounded_elapsed.as_secs_f64() * 1000.0);
            engine_own.push(own_elapsed.as_secs_f64() * 1000.0);
            engine.push(engine_elapsed.as_secs_f64() * 1000.0);
            cli.push(cli_elapsed.as_secs_f64() * 1000.0);
        }
        // Let the stopped task's container go before the next round, so no stop or removal
        // overlaps a measurement.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !docker.list(&[("berth.cluster", CLUSTER)]).await?.is_empty()
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    for (name, samples) in [
        ("berth-runtask", &mut berth),
        ("berth-runtask-awsvpc", &mut berth_vpc),
        ("berth-runtask-fargate", &mut berth_fargate),
        ("engine-api", &mut engine),
        ("engine-api-own-namespace", &mut engine_own),
        ("engine-api-own-namespace-bounded", &mut engine_bounded),
        ("docker-run-cli", &mut cli),
    ] {
        samples.sort_by(f64::total_cmp);
        println!(
            "bench=task-start path={name} runs={} p50_ms={:.1} p99_ms={:.1} mean_ms={:.1}",
            samples.len(),
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            samples.iter().sum::<f64>() / samples.len() as f64
        );
    }
    println!(
        "bench=task-start ratio_p50={:.3} ratio_p99={:.3} ratio_p50_vs_cli={:.3}",
        percentile(&berth, 0.5) / percentile(&engine, 0.5),
        percentile(&berth, 0.99) / percentile(&engine, 0.99),
        percentile(&berth, 0.5) / percentile(&cli, 0.5),
    );
    println!(
        "bench=task-start awsvpc_ratio_p50={:.3} awsvpc_ratio_p99={:.3} awsvpc_over_bridge_p50_ms={:.1}",
        percentile(&berth_vpc, 0.5) / percentile(&engine_own, 0.5),
        percentile(&berth_vpc, 0.99) / percentile(&engine_own, 0.99),
        percentile(&berth_vpc, 0.5) - percentile(&berth, 0.5),
    );
    println!(
        "bench=task-start fargate_ratio_p50={:.3} fargate_ratio_p99={:.3}",
        percentile(&berth_fargate, 0.5) / percentile(&engine_bounded, 0.5),
        percentile(&berth_fargate, 0.99) / percentile(&engine_bounded, 0.99),
    );
    Ok(())
}

/// RunTask with `request` (in the bench's cluster) until DescribeTasks says RUNNING, then
/// StopTask; how long it took to RUNNING.
async fn run_task(
    http: &reqwest::Client,
    endpoint: &str,
    mut request: serde_json::Value,
) -> anyhow::Result<Duration> {
    request["cluster"] = json!(CLUSTER);
    let started = Instant::now();
    let out = call(http, endpoint, "RunTask", request).await?;
    let arn = out["tasks"][0]["taskArn"]
        .as_str()
        .with_context(|| format!("a placed task: {out}"))?
        .to_owned();
    loop {
        let described =
            call(http, endpoint, "DescribeTasks", json!({"cluster": CLUSTER, "tasks": [arn]}))
                .await?;
        let status = described["tasks"][0]["lastStatus"].as_str().unwrap_or("");
        if status == "RUNNING" {
            break;
        }
        if status == "STOPPED" || started.elapsed() > Duration::from_secs(60) {
            bail!("the task did not reach RUNNING: {described}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let elapsed = started.elapsed();
    call(http, endpoint, "StopTask", json!({"cluster": CLUSTER, "task": arn})).await?;
    Ok(elapsed)
}

/// The id of the first subnet EC2's DescribeSubnets lists.
async fn first_subnet(http: &reqwest::Client, endpoint: &str) -> anyhow::Result<String> {
    let text = super::harness::ec2_call(http, endpoint, "Action=DescribeSubnets").await?;
    super::harness::xml_text(&text, "subnetId")
}
