//! `berth bench e2e-launch`: tasks started through the public API on thousands of SIMULATED
//! instances (a [`crate::sim::Fleet`] in this process: the real agent code on in-memory
//! containers) against a `berth server` child process, from the first request until every task
//! is RUNNING.
//!
//! Half the tasks (by default) come from services with large desired counts, the rest from
//! concurrent RunTask calls of ten tasks. By default everything is asked for at once (a burst:
//! services created with their whole desired count, RunTask calls as fast as 32 clients go);
//! with `--rate` the requests are paced (RunTask calls when due, services created empty and
//! grown by UpdateService every 100 ms). A task's request-to-RUNNING time is its `startedAt`
//! (the moment its agent saw every essential container running, as reported to the control
//! plane) minus the moment its RunTask, or the CreateService or UpdateService that asked for
//! it, was sent; a service's tasks are paired with its requests first in, first out.
//! Throughput counts from the first request until DescribeClusters shows every task RUNNING.
//!
//! Output: one `bench=e2e-launch ...` line with the rates, latencies, the control plane's peak
//! resident memory and CPU seconds (from `/proc`), and the size of its store.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::harness::{Processes, call};
use super::store::percentile;
use crate::sim::{Fleet, FleetOptions};

#[derive(Debug, clap::Args)]
pub(crate) struct E2eLaunchArgs {
    /// Simulated container instances.
    #[arg(long, default_value_t = 5000)]
    instances: usize,
    /// Tasks to start.
    #[arg(long, default_value_t = 100_000)]
    tasks: usize,
    /// Services to spread `--service-share` of the tasks over (each at most 5,000 tasks, ECS's
    /// quota).
    #[arg(long, default_value_t = 10)]
    services: usize,
    /// The share of the tasks that come from services; the rest come from RunTask.
    #[arg(long, default_value_t = 0.5)]
    service_share: f64,
    /// Concurrent RunTask clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// How long a simulated container takes to start, in milliseconds.
    #[arg(long, default_value_t = 0)]
    start_delay_ms: u64,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
    /// Request the tasks at this many per second (RunTask calls paced, services scaled up in
    /// steps every 100 ms) instead of all at once. 0: all at once, which measures how fast the
    /// control plane drains a burst; a rate measures request-to-RUNNING latency at that load.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Every task in the `awsvpc` network mode, in one subnet: the whole of a /16 VPC in one
    /// zone, which every instance is in. Measures the address allocator and the network
    /// agents follow.
    #[arg(long)]
    awsvpc: bool,
    /// With `--awsvpc`: the tasks in the VPC's default group instead, whose rule names the
    /// group itself (every task's rules list every member's address).
    #[arg(long)]
    default_group: bool,
    /// Every task on Fargate (256 CPU units, 512 MiB, `awsvpc`): the simulated instances are
    /// the Fargate pool's hosts (8 vCPUs, 32 GiB each) instead of the cluster's.
    #[arg(long)]
    fargate: bool,
}

pub(crate) const CLUSTER: &str = "bench";

pub(crate) fn epoch_now() -> f64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// A small container: many fit on each simulated instance.
pub(crate) fn container(name: &str) -> Value {
    json!([{"name": name, "image": "busybox", "memory": 32, "cpu": 8, "command": ["httpd"]}])
}

/// A process's figures from `/proc/<pid>/status`, in MiB: (resident now, peak resident).
pub(crate) fn memory_mib(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The bytes of every file under `dir`, in MiB.
pub(crate) fn size_mib(dir: &Path) -> f64 {
    let mut total = 0u64;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                total += meta.len();
            }
        }
    }
    total as f64 / (1024.0 * 1024.0)
}

/// Waits until DescribeClusters counts `want` running tasks; returns when it did, or `None` at
/// the deadline. Samples the server's memory meanwhile.
pub(crate) async fn wait_running(
    http: &reqwest::Client,
    endpoint: &str,
    want: usize,
    deadline: Instant,
) -> anyhow::Result<Option<Instant>> {
    let mut last_report = Instant::now();
    loop {
        let described =
            call(http, endpoint, "DescribeClusters", json!({"clusters": [CLUSTER]})).await?;
        let cluster = &described["clusters"][0];
        let running = cluster["runningTasksCount"].as_u64().unwrap_or(0) as usize;
        if running >= want {
            return Ok(Some(Instant::now()));
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            let pending = cluster["pendingTasksCount"].as_u64().unwrap_or(0);
            eprintln!("e2e-launch: {running} of {want} tasks running, {pending} pending");
            last_report = Instant::now();
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every task of the cluster: ARN → (startedAt, group).
pub(crate) async fn all_tasks(
    http: &reqwest::Client,
    endpoint: &str,
) -> anyhow::Result<HashMap<String, (Option<f64>, String)>> {
    let mut arns: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"cluster": CLUSTER, "maxResults": 100});
        if let Some(t) = &token {
            body["nextToken"] = t.clone().into();
        }
        let listed = call(http, endpoint, "ListTasks", body).await?;
        arns.extend(
            listed["taskArns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned)),
        );
        token = listed["nextToken"].as_str().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let mut tasks = HashMap::with_capacity(arns.len());
    for chunk in arns.chunks(100) {
        let described =
            call(http, endpoint, "DescribeTasks", json!({"cluster": CLUSTER, "tasks": chunk}))
                .await?;
        for task in described["tasks"].as_array().into_iter().flatten() {
            let arn = task["taskArn"].as_str().unwrap_or_default().to_owned();
            let group = task["group"].as_str().unwrap_or_default().to_owned();
            tasks.insert(arn, (task["startedAt"].as_f64(), group));
        }
    }
    Ok(tasks)
}

pub(crate) async fn run(args: E2eLaunchArgs) -> anyhow::Result<()> {
    let service_tasks = ((args.tasks as f64) * args.service_share.clamp(0.0, 1.0)).round() as usize;
    let run_tasks = args.tasks - service_tasks;
    let services = if service_tasks == 0 { 0 } else { args.services.max(1) };
    let per_service = if services == 0 { 0 } else { service_tasks.div_ceil(services) };
    if per_service > 5000 {
        bail!("{per_service} tasks per service is over ECS's quota of 5,000: use more --services");
    }
    let dir = tempfile::tempdir_in(".")?;
    let config = dir.path().join("berth.toml");
    std::fs::write(&config, "[vpc]\ncidr = \"10.0.0.0/16\"\nsubnet-prefix = 16\n")?;
    let config_path = config.to_string_lossy().into_owned();
    // Fargate tasks are `awsvpc` tasks.
    let awsvpc = args.awsvpc || args.fargate;
    let server_args: Vec<&str> = if awsvpc { vec!["--config", &config_path] } else { Vec::new() };
    let server = Processes::server(dir.path(), &server_args).await?;
    let endpoint = server.endpoint.clone();
    let pid = server.server_pid().context("the server's process id")?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
    call(&http, &endpoint, "CreateCluster", json!({"clusterName": CLUSTER})).await?;
    let definition = |family: &str, container: Value| {
        let mut body = json!({"family": family, "containerDefinitions": container});
        if awsvpc {
            body["networkMode"] = json!("awsvpc");
        }
        if args.fargate {
            body["requiresCompatibilities"] = json!(["FARGATE"]);
            body["cpu"] = json!("256");
            body["memory"] = json!("512");
        }
        body
    };
    call(&http, &endpoint, "RegisterTaskDefinition", definition("e2e", container("app"))).await?;
    for s in 0..services {
        let name = format!("svc-{s}");
        call(&http, &endpoint, "RegisterTaskDefinition", definition(&name, container(&name)))
            .await?;
    }

    let registering = Instant::now();
    let hosts = if args.fargate { server::FARGATE_POOL } else { CLUSTER };
    let mut options =
        FleetOptions::new(&endpoint, hosts, &server.agent_token(hosts)?, args.instances);
    options.start_delay = Duration::from_millis(args.start_delay_ms);
    if awsvpc {
        options.zones = vec!["bench-1a".to_owned()];
    }
    if args.fargate {
        options.shapes = vec![crate::sim::InstanceShape::new("fargate.host", 8, 32)];
        options.attributes =
            vec![(server::PROVIDER_ATTRIBUTE.to_owned(), Some("FARGATE".to_owned()))];
    }
    let fleet = Fleet::start(options)?;
    fleet.wait_registered().await?;
    // The network every task asks for: the one subnet, and a group that lets in HTTP from
    // the VPC (a network, not a group: a rule naming a group is resolved to its members'
    // addresses for every task it applies to).
    let network = if awsvpc {
        use super::harness::{ec2_call, xml_text as text};
        let subnet =
            text(&ec2_call(&http, &endpoint, "Action=DescribeSubnets").await?, "subnetId")?;
        let create = "Action=CreateSecurityGroup&GroupName=bench&GroupDescription=bench";
        let group = text(&ec2_call(&http, &endpoint, create).await?, "groupId")?;
        let allow = format!(
            "Action=AuthorizeSecurityGroupIngress&GroupId={group}&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/16"
        );
        ec2_call(&http, &endpoint, &allow).await?;
        if args.default_group {
            Some(json!({"awsvpcConfiguration": {"subnets": [subnet]}}))
        } else {
            Some(json!({"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}}))
        }
    } else {
        None
    };
    let registration_seconds = registering.elapsed().as_secs_f64();
    let cpu_before = server.server_cpu_seconds().unwrap_or(0.0);
    let own_cpu_before = super::harness::cpu_seconds(std::process::id()).unwrap_or(0.0);
    eprintln!(
        "e2e-launch: {} simulated instances registered in {registration_seconds:.1} s",
        args.instances
    );

    let status_before = super::harness::status(&http, &endpoint).await.unwrap_or_default();
    // Go.
    let started = Instant::now();
    let rate = (args.rate > 0.0).then_some(args.rate);
    // When each task was asked for: RunTask tasks by ARN; service tasks as steps of a desired
    // count (service group, moment, tasks added), paired first-in first-out with the service's
    // tasks in the order they started.
    let requested: Arc<std::sync::Mutex<HashMap<String, f64>>> = Default::default();
    let mut service_steps: Vec<(String, f64, usize)> = Vec::new();
    let service_counts: Vec<usize> =
        (0..services).map(|s| per_service.min(service_tasks - s * per_service)).collect();
    for (s, &count) in service_counts.iter().enumerate() {
        let initial = if rate.is_some() { 0 } else { count };
        if initial > 0 {
            service_steps.push((format!("service:svc-{s}"), epoch_now(), initial));
        }
        let mut body = json!({"cluster": CLUSTER, "serviceName": format!("svc-{s}"),
            "taskDefinition": format!("svc-{s}"), "desiredCount": initial});
        if args.fargate {
            body["launchType"] = json!("FARGATE");
        }
        if let Some(network) = &network {
            body["networkConfiguration"] = network.clone();
        }
        call(&http, &endpoint, "CreateService", body).await?;
    }
    // Paced: the services grow in steps of 100 ms, round-robin, at their share of the rate.
    let scaler = rate.filter(|_| services > 0).map(|rate| {
        let (http, endpoint, counts) = (http.clone(), endpoint.clone(), service_counts.clone());
        let share = service_tasks as f64 / args.tasks.max(1) as f64;
        tokio::spawn(async move {
            let began = Instant::now();
            let mut desired = vec![0usize; counts.len()];
            let mut steps = Vec::new();
            let total: usize = counts.iter().sum();
            let mut next = 0;
            while desired.iter().sum::<usize>() < total {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let due = ((began.elapsed().as_secs_f64() * rate * share) as usize).min(total);
                let mut grown = vec![0usize; counts.len()];
                let mut given = desired.iter().sum::<usize>();
                while given < due {
                    if desired[next] < counts[next] {
                        desired[next] += 1;
                        grown[next] += 1;
                        given += 1;
                    }
                    next = (next + 1) % counts.len();
                }
                for (s, &added) in grown.iter().enumerate().filter(|(_, a)| **a > 0) {
                    let at = epoch_now();
                    call(
                        &http,
                        &endpoint,
                        "UpdateService",
                        json!({"cluster": CLUSTER, "service": format!("svc-{s}"), "desiredCount": desired[s]}),
                    )
                    .await?;
                    steps.push((format!("service:svc-{s}"), at, added));
                }
            }
            anyhow::Ok(steps)
        })
    });
    let calls = run_tasks.div_ceil(10);
    let run_rate = rate.map(|r| r * run_tasks as f64 / args.tasks.max(1) as f64);
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..args.clients.max(1) {
        let (http, endpoint, next, failures, requested) =
            (http.clone(), endpoint.clone(), next.clone(), failures.clone(), requested.clone());
        let network = network.clone();
        let fargate = args.fargate;
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= calls {
                    return anyhow::Ok(());
                }
                if let Some(rate) = run_rate {
                    // Call n is due once the rate has asked for its first task.
                    let due = started + Duration::from_secs_f64((n * 10) as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                }
                let count = (run_tasks - n * 10).min(10);
                let sent = epoch_now();
                let mut body = json!({"cluster": CLUSTER, "taskDefinition": "e2e", "count": count});
                if fargate {
                    body["launchType"] = json!("FARGATE");
                }
                if let Some(network) = &network {
                    body["networkConfiguration"] = network.clone();
                }
                let out = call(&http, &endpoint, "RunTask", body).await?;
                failures
                    .fetch_add(out["failures"].as_array().map_or(0, Vec::len), Ordering::Relaxed);
                let mut requested = requested.lock().unwrap_or_else(|e| e.into_inner());
                for task in out["tasks"].as_array().into_iter().flatten() {
                    if let Some(arn) = task["taskArn"].as_str() {
                        requested.insert(arn.to_owned(), sent);
                    }
                }
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    if let Some(scaler) = scaler {
        service_steps.extend(scaler.await??);
    }
    let requests_done = started.elapsed().as_secs_f64();
    let placed = requested.lock().unwrap_or_else(|e| e.into_inner()).len() + service_tasks;
    let deadline = started + Duration::from_secs(args.timeout);
    let done = wait_running(&http, &endpoint, placed, deadline).await?;
    let seconds = done.map(|d| d.duration_since(started).as_secs_f64());
    let cpu = server.server_cpu_seconds().unwrap_or(0.0) - cpu_before;
    let own_cpu = super::harness::cpu_seconds(std::process::id()).unwrap_or(0.0) - own_cpu_before;
    let (rss, peak) = memory_mib(pid).unwrap_or_default();
    let status_after = super::harness::status(&http, &endpoint).await.unwrap_or_default();
    // Agent channel requests and store transactions per task started, over the run.
    let per_task = |pointer: &str| {
        let count = |status: &Value| status.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
        count(&status_after).saturating_sub(count(&status_before)) as f64 / placed.max(1) as f64
    };
    let traffic = format!(
        "polls_per_task={:.2} carrying_polls_per_task={:.2} reports_per_task={:.2} reported_tasks_per_task={:.2} log_requests_per_task={:.2} log_batches_per_task={:.2} store_txns_per_task={:.2} store_commits_per_task={:.3}",
        per_task("/agentChannel/polls"),
        per_task("/agentChannel/pollsCarrying"),
        per_task("/agentChannel/reports"),
        per_task("/agentChannel/reportedTasks"),
        per_task("/agentChannel/logRequests"),
        per_task("/agentChannel/logBatches"),
        per_task("/store/txns"),
        per_task("/store/commits"),
    );

    // Per-task latency, from the control plane's records.
    let tasks = all_tasks(&http, &endpoint).await?;
    let requested = requested.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut from_services = Vec::new();
    let mut from_run_task = Vec::new();
    let mut missing = 0usize;
    let mut started_by_group: HashMap<&str, Vec<Option<f64>>> = HashMap::new();
    for (arn, (started_at, group)) in &tasks {
        match requested.get(arn) {
            Some(sent) => match started_at {
                Some(at) => {
                    let ms = (at - sent).max(0.0) * 1000.0;
                    latencies.push(ms);
                    from_run_task.push(ms);
                }
                None => missing += 1,
            },
            None => started_by_group.entry(group.as_str()).or_default().push(*started_at),
        }
    }
    // A service's tasks are interchangeable: the first to start answers its first request.
    for (group, mut starts) in started_by_group {
        starts.sort_by(|a, b| a.unwrap_or(f64::MAX).total_cmp(&b.unwrap_or(f64::MAX)));
        let asks = service_steps
            .iter()
            .filter(|(g, _, _)| g == group)
            .flat_map(|(_, at, added)| std::iter::repeat_n(*at, *added));
        for (start, sent) in starts.into_iter().zip(asks) {
            match start {
                Some(at) => {
                    let ms = (at - sent).max(0.0) * 1000.0;
                    latencies.push(ms);
                    from_services.push(ms);
                }
                None => missing += 1,
            }
        }
    }
    for list in [&mut latencies, &mut from_services, &mut from_run_task] {
        list.sort_by(f64::total_cmp);
    }
    let store = size_mib(&dir.path().join("server"));
    if awsvpc {
        let subnets = super::harness::ec2_call(&http, &endpoint, "Action=DescribeSubnets").await?;
        let field = |tag: &str| super::harness::xml_text(&subnets, tag).ok();
        println!(
            "bench=e2e-launch-awsvpc subnet_cidr={} available_addresses={}",
            field("cidrBlock").unwrap_or_default(),
            field("availableIpAddressCount").unwrap_or_default()
        );
    }
    println!(
        "bench=e2e-launch launch={} instances={} rate={} tasks={placed} service_tasks={service_tasks} run_task_tasks={} run_task_calls={calls} clients={} placement_failures={} requests_seconds={requests_done:.2} seconds={} tasks_per_sec={} p50_ms={:.0} p99_ms={:.0} max_ms={:.0} run_task_p50_ms={:.0} run_task_p99_ms={:.0} service_p50_ms={:.0} service_p99_ms={:.0} not_running={missing} server_cpu_seconds={cpu:.1} server_rss_mib={rss:.0} server_peak_rss_mib={peak:.0} store_mib={store:.0} registration_seconds={registration_seconds:.1} bench_process_cpu_seconds={own_cpu:.1} bench_process_rss_mib={:.0} {traffic}",
        if args.fargate {
            "fargate"
        } else if awsvpc {
            "ec2-awsvpc"
        } else {
            "ec2"
        },
        args.instances,
        rate.map_or("burst".to_owned(), |r| format!("{r:.0}")),
        placed - service_tasks,
        args.clients,
        failures.load(Ordering::Relaxed),
        seconds.map_or("timeout".to_owned(), |s| format!("{s:.2}")),
        seconds.map_or("-".to_owned(), |s| format!("{:.0}", placed as f64 / s)),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        percentile(&from_run_task, 0.50),
        percentile(&from_run_task, 0.99),
        percentile(&from_services, 0.50),
        percentile(&from_services, 0.99),
        crate::sim::resident_memory_mib().unwrap_or(0.0),
    );
    fleet.stop().await;
    drop(server);
    Ok(())
}
