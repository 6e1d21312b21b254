//! `berth bench api`: requests per second and latency of ECS operations over loopback at
//! several numbers of concurrent clients, against a `berth server` child process (or any
//! endpoint given with `--endpoint`, such as a peer implementation for comparison).
//!
//! Each client is one task with its own keep-alive connection, sending its next request as
//! soon as the previous one is answered. Output: one line per (operation, clients):
//! `bench=api target=.. op=.. clients=.. requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. errors=..`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::store::percentile;

#[derive(Debug, clap::Args)]
pub(crate) struct ApiBenchArgs {
    /// Operations to measure.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "describe-task-definition,register-task-definition"
    )]
    ops: Vec<Op>,
    /// Numbers of concurrent clients to try.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    clients: Vec<usize>,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Measure this endpoint instead of starting a `berth server`.
    #[arg(long)]
    endpoint: Option<String>,
    /// A name for the measured target in the output.
    #[arg(long, default_value = "berth")]
    target: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Op {
    DescribeTaskDefinition,
    RegisterTaskDefinition,
    ListClusters,
    DescribeClusters,
}

fn container() -> Value {
    json!([{"name": "app", "image": "busybox", "memory": 64, "cpu": 128,
        "portMappings": [{"containerPort": 8080}],
        "environment": [{"name": "MODE", "value": "bench"}]}])
}

impl Op {
    fn target(self) -> &'static str {
        match self {
            Op::DescribeTaskDefinition => "DescribeTaskDefinition",
            Op::RegisterTaskDefinition => "RegisterTaskDefinition",
            Op::ListClusters => "ListClusters",
            Op::DescribeClusters => "DescribeClusters",
        }
    }

    fn body(self, client: usize) -> Value {
        match self {
            Op::DescribeTaskDefinition => json!({"taskDefinition": "bench"}),
            Op::RegisterTaskDefinition => {
                json!({"family": format!("bench-{client}"), "containerDefinitions": container()})
            }
            Op::ListClusters => json!({}),
            Op::DescribeClusters => json!({"clusters": ["bench"]}),
        }
    }
}

struct Client {
    http: reqwest::Client,
    endpoint: String,
}

impl Client {
    async fn call(&self, op: &str, body: &Value) -> anyhow::Result<()> {
        let response = self
            .http
            .post(format!("{}/", self.endpoint))
            .header("x-amz-target", format!("AmazonEC2ContainerServiceV20141113.{op}"))
            .header("content-type", "application/x-amz-json-1.1")
            // Static credentials, as a client would send them.
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0")
            .body(body.to_string())
            .send()
            .await?;
        let status = response.status();
        let text = response.bytes().await?;
        if !status.is_success() {
            bail!("{op} answered {status}: {}", String::from_utf8_lossy(&text));
        }
        Ok(())
    }
}

pub(crate) async fn run(args: ApiBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let child = match &args.endpoint {
        Some(_) => None,
        None => Some(super::harness::Processes::server(dir.path(), &[]).await?),
    };
    let endpoint = args
        .endpoint
        .clone()
        .or_else(|| child.as_ref().map(|c| c.endpoint.clone()))
        .context("an endpoint")?;
    let setup = Client { http: reqwest::Client::new(), endpoint: endpoint.clone() };
    setup.call("CreateCluster", &json!({"clusterName": "bench"})).await?;
    setup
        .call(
            "RegisterTaskDefinition",
            &json!({"family": "bench", "containerDefinitions": container()}),
        )
        .await?;

    for &op in &args.ops {
        for &clients in &args.clients {
            let deadline = Instant::now() + Duration::from_secs_f64(args.duration);
            let started = Instant::now();
            let mut handles = Vec::new();
            for n in 0..clients {
                let client = Client {
                    http: reqwest::Client::builder().pool_max_idle_per_host(1).build()?,
                    endpoint: endpoint.clone(),
                };
                handles.push(tokio::spawn(async move {
                    let body = op.body(n);
                    let mut latencies = Vec::new();
                    let mut errors = 0u64;
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        match client.call(op.target(), &body).await {
                            Ok(()) => latencies.push(t.elapsed().as_secs_f64() * 1000.0),
                            Err(_) => errors += 1,
                        }
                    }
                    (latencies, errors)
                }));
            }
            let mut latencies = Vec::new();
            let mut errors = 0;
            for handle in handles {
                let (l, e) = handle.await?;
                latencies.extend(l);
                errors += e;
            }
            let seconds = started.elapsed().as_secs_f64();
            latencies.sort_by(f64::total_cmp);
            println!(
                "bench=api target={} op={} clients={clients} requests={} seconds={seconds:.2} rps={:.0} p50_ms={:.2} p99_ms={:.2} errors={errors}",
                args.target,
                op.target(),
                latencies.len(),
                latencies.len() as f64 / seconds,
                percentile(&latencies, 0.50),
                percentile(&latencies, 0.99),
            );
        }
    }
    drop(child);
    Ok(())
}
