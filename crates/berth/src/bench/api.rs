//! `berth bench api`: requests per second and latency of ECS operations over loopback at
//! several numbers of concurrent clients, against a `berth server` child process (or any
//! endpoint given with `--endpoint`, such as a peer implementation for comparison).
//!
//! Each client is one task with its own keep-alive connection, sending its next request as
//! soon as the previous one is answered. Output: one line per (operation, clients):
//! `bench=api target=.. auth=.. op=.. clients=.. requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. errors=..`.
//!
//! Every request is signed (Signature V4, as the AWS CLI signs). With `--auth on,off` two servers
//! run side by side, one verifying signatures and policies and one with `--no-auth`; each point is
//! measured on both back to back and `bench=api-auth-cost` gives the ratio of their rates.

use std::time::{Duration, Instant};

use anyhow::bail;
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
    /// Run a server with access control on, off, or both (`on,off`: measured back to back,
    /// with their ratio). Ignored with `--endpoint`.
    #[arg(long, value_delimiter = ',', default_value = "on")]
    auth: Vec<Auth>,
    /// Rounds per point; with several targets, each round measures them all back to back.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Auth {
    /// The server verifies every request's Signature V4 and checks the caller's policies.
    On,
    /// The server runs with `--no-auth`.
    Off,
}

/// One endpoint under measurement.
struct Target {
    label: String,
    auth: Option<Auth>,
    endpoint: String,
    /// The server process, when this benchmark started it.
    server: Option<super::harness::Processes>,
}

/// What one (target, operation, clients) measurement found.
struct Figures {
    requests: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

impl Figures {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

async fn call(
    http: &reqwest::Client,
    endpoint: &str,
    op: &str,
    body: &Value,
) -> anyhow::Result<()> {
    // Every request is signed, as the AWS CLI and SDKs sign them, whether or not the server
    // checks: the difference between the two servers is the cost of checking.
    let response = super::harness::signed_post(http, endpoint, op, body.to_string()).send().await?;
    let status = response.status();
    let text = response.bytes().await?;
    if !status.is_success() {
        bail!("{op} answered {status}: {}", String::from_utf8_lossy(&text));
    }
    Ok(())
}

async fn measure(endpoint: &str, op: Op, clients: usize, duration: f64) -> anyhow::Result<Figures> {
    let deadline = Instant::now() + Duration::from_secs_f64(duration);
    let started = Instant::now();
    let mut handles = Vec::new();
    for n in 0..clients {
        let http = reqwest::Client::builder().pool_max_idle_per_host(1).build()?;
        let endpoint = endpoint.to_owned();
        handles.push(tokio::spawn(async move {
            let body = op.body(n);
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match call(&http, &endpoint, op.target(), &body).await {
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
    Ok(Figures {
        requests: latencies.len(),
        seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        errors,
    })
}

pub(crate) async fn run(args: ApiBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let mut targets = Vec::new();
    match &args.endpoint {
        Some(endpoint) => {
            targets.push(Target {
                label: args.target.clone(),
                auth: None,
                endpoint: endpoint.clone(),
                server: None,
            });
        }
        None => {
            for &auth in &args.auth {
                let (name, extra): (&str, &[&str]) = match auth {
                    Auth::On => ("auth-on", &[]),
                    Auth::Off => ("auth-off", &["--no-auth"]),
                };
                let server =
                    super::harness::Processes::server(&dir.path().join(name), extra).await?;
                targets.push(Target {
                    label: args.target.clone(),
                    auth: Some(auth),
                    endpoint: server.endpoint.clone(),
                    server: Some(server),
                });
            }
        }
    }
    let http = reqwest::Client::new();
    for target in &targets {
        call(&http, &target.endpoint, "CreateCluster", &json!({"clusterName": "bench"})).await?;
        let definition = json!({"family": "bench", "containerDefinitions": container()});
        call(&http, &target.endpoint, "RegisterTaskDefinition", &definition).await?;
    }

    for &op in &args.ops {
        for &clients in &args.clients {
            // The targets are measured back to back for each point, in alternating rounds,
            // so that a ratio between them compares like with like.
            let mut ratios = Vec::new();
            let mut cpu_costs = Vec::new();
            for round in 1..=args.rounds {
                let mut rps = Vec::new();
                for target in &targets {
                    let cpu_before = target.server.as_ref().and_then(|s| s.server_cpu_seconds());
                    let f = measure(&target.endpoint, op, clients, args.duration).await?;
                    let cpu_after = target.server.as_ref().and_then(|s| s.server_cpu_seconds());
                    // The server's CPU time per request: unlike the rate, it does not depend on
                    // how the machine's cores are shared with the clients.
                    let cpu_us = cpu_before
                        .zip(cpu_after)
                        .map(|(before, after)| (after - before) * 1e6 / f.requests.max(1) as f64);
                    let auth = match target.auth {
                        Some(Auth::On) => " auth=on",
                        Some(Auth::Off) => " auth=off",
                        None => "",
                    };
                    println!(
                        "bench=api target={}{auth} op={} clients={clients} round={round} requests={} seconds={:.2} rps={:.0} p50_ms={:.2} p99_ms={:.2} errors={} server_cpu_us_per_request={}",
                        target.label,
                        op.target(),
                        f.requests,
                        f.seconds,
                        f.rps(),
                        f.p50_ms,
                        f.p99_ms,
                        f.errors,
                        cpu_us.map_or("-".to_owned(), |us| format!("{us:.1}")),
                    );
                    rps.push((target.auth, f.rps(), cpu_us));
                }
                let on = rps.iter().find(|r| r.0 == Some(Auth::On));
                let off = rps.iter().find(|r| r.0 == Some(Auth::Off));
                if let (Some(on), Some(off)) = (on, off) {
                    ratios.push(on.1 / off.1);
                    if let (Some(on), Some(off)) = (on.2, off.2) {
                        cpu_costs.push(on - off);
                    }
                }
            }
            if !ratios.is_empty() {
                ratios.sort_by(f64::total_cmp);
                cpu_costs.sort_by(f64::total_cmp);
                println!(
                    "bench=api-auth-cost op={} clients={clients} rounds={} median_rps_on/rps_off={:.3} min={:.3} max={:.3} median_extra_server_cpu_us_per_request={:.1}",
                    op.target(),
                    ratios.len(),
                    percentile(&ratios, 0.5),
                    ratios[0],
                    ratios[ratios.len() - 1],
                    percentile(&cpu_costs, 0.5),
                );
            }
        }
    }
    Ok(())
}
