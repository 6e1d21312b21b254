//! `berth bench service`: how fast a service recovers and rolls out on real Docker.
//!
//! - Replacement: a service of `--tasks` tasks runs; a random task's container is killed with
//!   `docker kill`; the time until the service again has that many RUNNING tasks (the
//!   replacement RUNNING) is one sample. Repeated `--kills` times.
//! - Deployment: the service is updated to a new task definition revision (minimumHealthyPercent
//!   100, maximumPercent 200) and the time until the new deployment is COMPLETED and alone is
//!   measured. Tasks have no health check, so each counts as healthy `--settle` seconds after it
//!   reaches RUNNING (ECS waits 40 s).
//!
//! Output: `bench=service ...` lines with p50/p99 of the replacement time and the deployment
//! duration.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::harness::{Processes, call};
use super::store::percentile;

#[derive(Debug, clap::Args)]
pub(crate) struct ServiceBenchArgs {
    /// Tasks in the service.
    #[arg(long, default_value_t = 10)]
    tasks: u32,
    /// Containers to kill, one at a time.
    #[arg(long, default_value_t = 20)]
    kills: usize,
    /// Seconds a task without health checks must run to count as healthy.
    #[arg(long, default_value_t = 40)]
    settle: u64,
    /// The image to run (must be present locally).
    #[arg(long, default_value = "berth-test/busybox:1")]
    image: String,
}

const CLUSTER: &str = "bench-service";

async fn service(http: &reqwest::Client, endpoint: &str) -> anyhow::Result<Value> {
    let out =
        call(http, endpoint, "DescribeServices", json!({"cluster": CLUSTER, "services": ["web"]}))
            .await?;
    Ok(out["services"][0].clone())
}

fn completed(s: &Value, desired: u32) -> bool {
    let deployments = s["deployments"].as_array().map_or(0, Vec::len);
    deployments == 1
        && s["runningCount"] == desired
        && s["deployments"][0]["rolloutState"] == "COMPLETED"
}

/// Running Docker containers of the benchmark's cluster.
async fn containers() -> anyhow::Result<Vec<String>> {
    let out = tokio::process::Command::new("docker")
        .args(["ps", "-q", "--filter", &format!("label=berth.cluster={CLUSTER}")])
        .output()
        .await?;
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().map(str::to_owned).collect())
}

pub(crate) async fn run(args: ServiceBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let settle = args.settle.to_string();
    let mut processes = Processes::server(dir.path(), &["--task-settle-time", &settle]).await?;
    let endpoint = processes.endpoint.clone();
    let http = reqwest::Client::new();
    call(&http, &endpoint, "CreateCluster", json!({"clusterName": CLUSTER})).await?;
    for zone in ["zone-a", "zone-b"] {
        let flags = [
            "--availability-zone",
            zone,
            "--image-pull-behavior",
            "prefer-cached",
            "--cleanup-wait",
            "5",
            "--stop-timeout",
            "2",
        ];
        processes.agent(CLUSTER, &dir.path().join(zone), &flags)?;
    }
    for revision in ["v1", "v2"] {
        call(
            &http,
            &endpoint,
            "RegisterTaskDefinition",
            json!({"family": "web", "containerDefinitions": [{"name": "main", "image": args.image, "memory": 32,
                "command": ["sh", "-c", format!("echo {revision}; exec sleep 3600")]}]}),
        )
        .await?;
    }
    let wait_completed = |what: &'static str| {
        let http = http.clone();
        let endpoint = endpoint.clone();
        let desired = args.tasks;
        async move {
            let started = Instant::now();
            loop {
                if completed(&service(&http, &endpoint).await?, desired) {
                    return Ok::<Duration, anyhow::Error>(started.elapsed());
                }
                if started.elapsed() > Duration::from_secs(600) {
                    bail!("the service did not complete ({what})");
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    processes.wait_for_instances(&http, CLUSTER, 2).await?;
    call(
        &http,
        &endpoint,
        "CreateService",
        json!({"cluster": CLUSTER, "serviceName": "web", "taskDefinition": "web:1", "desiredCount": args.tasks,
            "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}),
    )
    .await?;
    wait_completed("creation").await?;

    let mut recoveries = Vec::new();
    for round in 0..args.kills {
        let running = containers().await?;
        let victim =
            running.get(round % running.len().max(1)).context("a running container")?.clone();
        let killed = Instant::now();
        let status =
            tokio::process::Command::new("docker").args(["kill", &victim]).output().await?;
        if !status.status.success() {
            bail!("docker kill failed");
        }
        // Recovered: the service again runs every task, none of them the killed one.
        loop {
            let s = service(&http, &endpoint).await?;
            let live = containers().await?;
            if s["runningCount"] == args.tasks
                && live.len() as u32 >= args.tasks
                && !live.contains(&victim)
            {
                let tasks = call(
                    &http,
                    &endpoint,
                    "ListTasks",
                    json!({"cluster": CLUSTER, "serviceName": "web"}),
                )
                .await?;
                if tasks["taskArns"].as_array().map_or(0, Vec::len) as u32 == args.tasks {
                    break;
                }
            }
            if killed.elapsed() > Duration::from_secs(120) {
                bail!("no replacement after 120 s");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        recoveries.push(killed.elapsed().as_secs_f64() * 1000.0);
        // Let the killed task's cleanup finish before the next kill.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    recoveries.sort_by(f64::total_cmp);
    println!(
        "bench=service scenario=replacement tasks={} kills={} p50_ms={:.0} p99_ms={:.0} max_ms={:.0}",
        args.tasks,
        recoveries.len(),
        percentile(&recoveries, 0.5),
        percentile(&recoveries, 0.99),
        recoveries.last().copied().unwrap_or_default()
    );

    wait_completed("before the deployment").await?;
    let started = Instant::now();
    call(
        &http,
        &endpoint,
        "UpdateService",
        json!({"cluster": CLUSTER, "service": "web", "taskDefinition": "web:2"}),
    )
    .await?;
    loop {
        let s = service(&http, &endpoint).await?;
        if completed(&s, args.tasks)
            && s["taskDefinition"].as_str().is_some_and(|t| t.ends_with(":2"))
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the deployment did not complete");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "bench=service scenario=deployment tasks={} minimum_healthy_percent=100 maximum_percent=200 settle_s={} seconds={:.2}",
        args.tasks,
        args.settle,
        started.elapsed().as_secs_f64()
    );
    call(
        &http,
        &endpoint,
        "DeleteService",
        json!({"cluster": CLUSTER, "service": "web", "force": true}),
    )
    .await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !containers().await?.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(processes);
    Ok(())
}
