//! `berth bench api`: requests per second and latency of ECS operations over loopback at
//! several numbers of concurrent clients, against a `berth server` child process (or any
//! endpoint given with `--endpoint`, such as a peer implementation for comparison).
//!
//! Each client is one task with its own keep-alive connection (an HTTP/1.1 connection it holds
//! itself, made again only when the server closes it; the pooled client used before reconnected
//! every twenty-odd requests), sending its next request as soon as the previous
//! one is answered and read whole. Output: one line per (operation, clients):
//! `bench=api target=.. auth=.. op=.. clients=.. requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. errors=..`.
//!
//! Every request is signed (Signature V4, as the AWS CLI signs). A client sends the same request
//! again and again, so it signs it once per second (`X-Amz-Date` counts seconds: the bytes sent
//! are those signing every request would give, and the server verifies each one). With `--auth on,off` two servers
//! run side by side, one verifying signatures and policies and one with `--no-auth`; each point is
//! measured on both back to back and `bench=api-auth-cost` gives the ratio of their rates.
//!
//! The task operations (`describe-tasks` of 100 tasks, `list-tasks`, `run-task` of one task)
//! need container instances. On a Berth server a fleet of SIMULATED agents (`crate::sim`, real
//! agent code on in-memory containers) runs in this process, with large instances so that
//! RunTask keeps placing through a run at full rate; 100 tasks are started (and RUNNING) before
//! anything is measured, and `run-task` is always measured last. With `--moto`, the benchmark
//! also starts `moto_server` (a Python mock of AWS) and measures it beside Berth in the same
//! rounds: moto registers container instances through the API (on EC2 instances it mocks), and
//! `bench=api-vs-moto` gives Berth's rate over moto's for each point. RunTask answers that place
//! nothing (`failures`) are counted apart from HTTP errors; on Berth, the time from sending each
//! RunTask until the simulated container started is reported too.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::store::percentile;
use crate::sim::{Fleet, FleetOptions, InstanceShape};

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
    /// Also measure moto_server (e.g. `.venv-bench/bin/moto_server`), started on a free
    /// loopback port and stopped at the end, beside Berth in the same rounds.
    #[arg(long)]
    moto: Option<PathBuf>,
    /// Simulated agents serving the task operations on Berth.
    #[arg(long, default_value_t = 10)]
    fleet_agents: usize,
    /// The simulated agents' instance type, TYPE:VCPUS:GIB.
    #[arg(long, default_value = "bench.64x256:64:256")]
    fleet_shape: InstanceShape,
    /// For task operations against a Berth `--endpoint`: the agent token of its `bench`
    /// cluster, for the simulated agents. (`--target moto` marks an endpoint as moto instead.)
    #[arg(long)]
    agent_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Op {
    DescribeTaskDefinition,
    RegisterTaskDefinition,
    ListClusters,
    DescribeClusters,
    /// DescribeTasks of 100 running tasks.
    DescribeTasks,
    /// ListTasks of a cluster with 100 running tasks (one page of 100).
    ListTasks,
    /// RunTask of one task.
    RunTask,
}

/// The task definition family the task operations run.
const TASK_FAMILY: &str = "bench-task";

/// How many tasks run before DescribeTasks and ListTasks are measured.
const STARTED_TASKS: usize = 100;

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
            Op::DescribeTasks => "DescribeTasks",
            Op::ListTasks => "ListTasks",
            Op::RunTask => "RunTask",
        }
    }

    fn needs_tasks(self) -> bool {
        matches!(self, Op::DescribeTasks | Op::ListTasks | Op::RunTask)
    }

    /// The request; `tasks` are the target's running tasks.
    fn body(self, client: usize, tasks: &[String]) -> Value {
        match self {
            Op::DescribeTasks => json!({"cluster": "bench", "tasks": tasks}),
            Op::ListTasks => json!({"cluster": "bench"}),
            Op::RunTask => json!({"cluster": "bench", "taskDefinition": TASK_FAMILY, "count": 1}),
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

/// What serves the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Berth,
    Moto,
}

/// One endpoint under measurement.
struct Target {
    label: String,
    kind: Kind,
    auth: Option<Auth>,
    endpoint: String,
    /// The server process, when this benchmark started it.
    server: Option<super::harness::Processes>,
    moto: Option<super::harness::Moto>,
    /// Simulated agents serving the task operations (Berth).
    fleet: Option<Fleet>,
    /// When each simulated container started.
    starts: Option<mpsc::UnboundedReceiver<agent::sim::ContainerStarted>>,
    /// The tasks started before measuring.
    tasks: Vec<String>,
}

/// What one (target, operation, clients) measurement found.
struct Figures {
    requests: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Requests that failed or were answered with an error status.
    errors: u64,
    /// RunTask answers (status 200) that placed nothing.
    failures: u64,
    /// Each placed task and when its RunTask was sent.
    placed: Vec<(String, Instant)>,
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
) -> anyhow::Result<impl AsRef<[u8]> + use<>> {
    // Every request is signed, as the AWS CLI and SDKs sign them, whether or not the server
    // checks: the difference between the two servers is the cost of checking.
    let response = super::harness::signed_post(http, endpoint, op, body.to_string()).send().await?;
    let status = response.status();
    let text = response.bytes().await?;
    if !status.is_success() {
        bail!("{op} answered {status}: {}", String::from_utf8_lossy(&text));
    }
    Ok(text)
}

/// The ARNs of the tasks a RunTask answer started.
fn started_tasks(answer: &[u8]) -> Vec<String> {
    let value: Value = serde_json::from_slice(answer).unwrap_or_default();
    value["tasks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["taskArn"].as_str().map(str::to_owned))
        .collect()
}

async fn measure(
    endpoint: &str,
    op: Op,
    clients: usize,
    duration: f64,
    tasks: &[String],
) -> anyhow::Result<Figures> {
    let deadline = Instant::now() + Duration::from_secs_f64(duration);
    let started = Instant::now();
    let mut handles = Vec::new();
    for n in 0..clients {
        // Serialized once per client, as a client with a fixed request would.
        let mut request = super::harness::RepeatedRequest::new(
            endpoint,
            op.target(),
            op.body(n, tasks).to_string(),
        );
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut failures = 0u64;
            let mut placed = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                match request.send().await {
                    Ok((status, answer)) if status.is_success() => {
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        if op == Op::RunTask {
                            let arns = started_tasks(answer.as_ref());
                            if arns.is_empty() {
                                failures += 1;
                            }
                            placed.extend(arns.into_iter().map(|arn| (arn, t)));
                        }
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors, failures, placed)
        }));
    }
    let mut figures = Figures {
        requests: 0,
        seconds: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        errors: 0,
        failures: 0,
        placed: Vec::new(),
    };
    let mut latencies = Vec::new();
    for handle in handles {
        let (l, e, f, p) = handle.await?;
        latencies.extend(l);
        figures.errors += e;
        figures.failures += f;
        figures.placed.extend(p);
    }
    figures.seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    figures.requests = latencies.len();
    figures.p50_ms = percentile(&latencies, 0.50);
    figures.p99_ms = percentile(&latencies, 0.99);
    Ok(figures)
}

/// Milliseconds from each RunTask's sending until its simulated container started, and how
/// many placed tasks had not started 10 s after the last start seen.
async fn start_latencies(
    starts: &mut mpsc::UnboundedReceiver<agent::sim::ContainerStarted>,
    placed: &[(String, Instant)],
) -> (Vec<f64>, usize) {
    let mut pending: HashMap<&str, Instant> =
        placed.iter().map(|(arn, sent)| (arn.as_str(), *sent)).collect();
    let mut latencies = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        match tokio::time::timeout(Duration::from_secs(10), starts.recv()).await {
            Ok(Some(start)) => {
                if let Some(sent) = pending.remove(start.task_arn.as_str()) {
                    let at = start.at.into_std();
                    latencies.push(at.saturating_duration_since(sent).as_secs_f64() * 1000.0);
                }
            }
            _ => break,
        }
    }
    latencies.sort_by(f64::total_cmp);
    (latencies, pending.len())
}

/// Container instances for the task operations, and the tasks that run before measuring.
async fn prepare_tasks(target: &mut Target, args: &ApiBenchArgs) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let endpoint = target.endpoint.clone();
    let definition = json!({"family": TASK_FAMILY, "containerDefinitions": [{
        "name": "app", "image": "busybox", "memory": 16, "cpu": 0,
        "command": ["sleep", "3600"]}]});
    call(&http, &endpoint, "RegisterTaskDefinition", &definition).await?;
    match target.kind {
        Kind::Berth => {
            let token = match (&target.server, &args.agent_token) {
                (Some(server), _) => server.agent_token("bench")?,
                (None, Some(token)) => token.clone(),
                (None, None) => bail!("task operations on a Berth --endpoint need --agent-token"),
            };
            let (starts, received) = mpsc::unbounded_channel();
            let mut options = FleetOptions::new(&endpoint, "bench", &token, args.fleet_agents);
            options.shapes = vec![args.fleet_shape.clone()];
            options.starts = Some(starts);
            let began = Instant::now();
            let fleet = Fleet::start(options)?;
            tokio::time::timeout(Duration::from_secs(120), fleet.wait_registered())
                .await
                .context("the simulated agents did not register within 120 s")??;
            println!(
                "bench=api-setup target={} simulated_agents={} shape={}:{}:{} registered_in_s={:.2}",
                target.label,
                args.fleet_agents,
                args.fleet_shape.instance_type,
                args.fleet_shape.cpus,
                args.fleet_shape.memory_gib,
                began.elapsed().as_secs_f64()
            );
            target.fleet = Some(fleet);
            target.starts = Some(received);
        }
        Kind::Moto => {
            // moto registers a container instance only for an EC2 instance it knows.
            for instance_id in moto_ec2_instances(&http, &endpoint, args.fleet_agents).await? {
                let document = json!({"instanceId": instance_id}).to_string();
                call(
                    &http,
                    &endpoint,
                    "RegisterContainerInstance",
                    &json!({"cluster": "bench", "instanceIdentityDocument": document}),
                )
                .await?;
            }
        }
    }
    let mut tasks = Vec::new();
    while tasks.len() < STARTED_TASKS {
        let body = json!({"cluster": "bench", "taskDefinition": TASK_FAMILY, "count": 10});
        let answer = call(&http, &endpoint, "RunTask", &body).await?;
        let started = started_tasks(answer.as_ref());
        if started.is_empty() {
            bail!("RunTask placed nothing: {}", String::from_utf8_lossy(answer.as_ref()));
        }
        tasks.extend(started);
    }
    tasks.truncate(STARTED_TASKS);
    if target.kind == Kind::Berth {
        // Measure steady tasks, not ones still starting.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let body = json!({"cluster": "bench", "tasks": tasks});
            let answer = call(&http, &endpoint, "DescribeTasks", &body).await?;
            let answer: Value = serde_json::from_slice(answer.as_ref())?;
            let running = answer["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|t| t["lastStatus"] == "RUNNING")
                .count();
            if running == STARTED_TASKS {
                break;
            }
            if Instant::now() > deadline {
                bail!("only {running} of {STARTED_TASKS} tasks were RUNNING after 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Some(starts) = &mut target.starts {
            while starts.try_recv().is_ok() {}
        }
    }
    target.tasks = tasks;
    Ok(())
}

/// Starts `count` EC2 instances on moto (EC2's query protocol; moto reads the service from the
/// credential scope and checks no signature) and returns their ids.
async fn moto_ec2_instances(
    http: &reqwest::Client,
    endpoint: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let body = format!(
        "Action=RunInstances&Version=2016-11-15&ImageId=ami-12c6146b&InstanceType=m5.large&MinCount={count}&MaxCount={count}"
    );
    let response = http
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDBERTHBENCH/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("RunInstances answered {status}: {text}");
    }
    let ids: Vec<String> = text
        .split("<instanceId>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</instanceId>").map(|(id, _)| id.to_owned()))
        .collect();
    if ids.len() != count {
        bail!("RunInstances started {} instances, not {count}: {text}", ids.len());
    }
    Ok(ids)
}

pub(crate) async fn run(args: ApiBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let mut targets = Vec::new();
    let target = |label: &str, kind: Kind, auth: Option<Auth>, endpoint: String| Target {
        label: label.to_owned(),
        kind,
        auth,
        endpoint,
        server: None,
        moto: None,
        fleet: None,
        starts: None,
        tasks: Vec::new(),
    };
    match &args.endpoint {
        Some(endpoint) => {
            let kind = if args.target == "moto" { Kind::Moto } else { Kind::Berth };
            targets.push(target(&args.target, kind, None, endpoint.clone()));
        }
        None => {
            for &auth in &args.auth {
                let (name, extra): (&str, &[&str]) = match auth {
                    Auth::On => ("auth-on", &[]),
                    Auth::Off => ("auth-off", &["--no-auth"]),
                };
                let server =
                    super::harness::Processes::server(&dir.path().join(name), extra).await?;
                let mut berth =
                    target(&args.target, Kind::Berth, Some(auth), server.endpoint.clone());
                berth.server = Some(server);
                targets.push(berth);
            }
        }
    }
    if let Some(executable) = &args.moto {
        let moto = super::harness::Moto::start(executable).await?;
        println!(
            "bench=api-setup target=moto endpoint={} pid={}",
            moto.endpoint,
            moto.pid().unwrap_or(0)
        );
        let mut peer = target("moto", Kind::Moto, None, moto.endpoint.clone());
        peer.moto = Some(moto);
        targets.push(peer);
    }
    let http = reqwest::Client::new();
    let needs_tasks = args.ops.iter().any(|op| op.needs_tasks());
    for target in &mut targets {
        call(&http, &target.endpoint, "CreateCluster", &json!({"clusterName": "bench"})).await?;
        let definition = json!({"family": "bench", "containerDefinitions": container()});
        call(&http, &target.endpoint, "RegisterTaskDefinition", &definition).await?;
        if needs_tasks {
            prepare_tasks(target, &args)
                .await
                .with_context(|| format!("preparing the task operations on {}", target.label))?;
        }
    }
    if let Some(server) = targets.iter().find_map(|t| t.server.as_ref())
        && let Some(pid) = server.server_pid()
    {
        println!("bench=api-setup target=berth pid={pid}");
    }

    // RunTask adds tasks, which the other operations must not see; it goes last.
    let mut ops = args.ops.clone();
    ops.sort_by_key(|op| *op == Op::RunTask);
    for &op in &ops {
        for &clients in &args.clients {
            // The targets are measured back to back for each point, in alternating rounds,
            // so that a ratio between them compares like with like.
            let mut ratios = Vec::new();
            let mut cpu_costs = Vec::new();
            let mut versus_moto = Vec::new();
            for round in 1..=args.rounds {
                let mut rps = Vec::new();
                for target in &mut targets {
                    let cpu_before = target.server.as_ref().and_then(|s| s.server_cpu_seconds());
                    let f = measure(&target.endpoint, op, clients, args.duration, &target.tasks)
                        .await?;
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
                    let mut extra = String::new();
                    if op == Op::RunTask {
                        extra =
                            format!(" run_task_failures={} placed={}", f.failures, f.placed.len());
                        if let Some(starts) = &mut target.starts {
                            let (latencies, missing) = start_latencies(starts, &f.placed).await;
                            extra += &format!(
                                " start_p50_ms={:.1} start_p99_ms={:.1} not_started={missing}",
                                percentile(&latencies, 0.50),
                                percentile(&latencies, 0.99),
                            );
                        }
                    }
                    println!(
                        "bench=api target={}{auth} op={} clients={clients} round={round} requests={} seconds={:.2} rps={:.0} p50_ms={:.2} p99_ms={:.2} errors={} server_cpu_us_per_request={}{extra}",
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
                    rps.push((target.kind, target.auth, f.rps(), cpu_us));
                }
                let on = rps.iter().find(|r| r.1 == Some(Auth::On));
                let off = rps.iter().find(|r| r.1 == Some(Auth::Off));
                if let (Some(on), Some(off)) = (on, off) {
                    ratios.push(on.2 / off.2);
                    if let (Some(on), Some(off)) = (on.3, off.3) {
                        cpu_costs.push(on - off);
                    }
                }
                let berth = rps.iter().find(|r| r.0 == Kind::Berth);
                let moto = rps.iter().find(|r| r.0 == Kind::Moto);
                if let (Some(berth), Some(moto)) = (berth, moto) {
                    versus_moto.push((berth.2, moto.2));
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
            if !versus_moto.is_empty() {
                let mut berth: Vec<f64> = versus_moto.iter().map(|v| v.0).collect();
                let mut moto: Vec<f64> = versus_moto.iter().map(|v| v.1).collect();
                let mut ratios: Vec<f64> =
                    versus_moto.iter().map(|(b, m)| b / m.max(f64::MIN_POSITIVE)).collect();
                berth.sort_by(f64::total_cmp);
                moto.sort_by(f64::total_cmp);
                ratios.sort_by(f64::total_cmp);
                println!(
                    "bench=api-vs-moto op={} clients={clients} rounds={} berth_rps={:.0} moto_rps={:.0} ratio={:.1}",
                    op.target(),
                    ratios.len(),
                    percentile(&berth, 0.5),
                    percentile(&moto, 0.5),
                    percentile(&ratios, 0.5),
                );
            }
        }
    }
    for target in targets {
        if let Some(fleet) = target.fleet {
            fleet.stop().await;
        }
    }
    Ok(())
}
