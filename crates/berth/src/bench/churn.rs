//! `berth bench churn`: a cluster at steady state (services holding `--tasks` tasks on a fleet
//! of SIMULATED instances, `crate::sim::Fleet`) while a share of the running containers crash
//! every second, as failing processes would.
//!
//! Each service's task definition names its container after the service, so every container
//! start the fleet observes belongs to a known service. A kill and a start of the same service
//! are paired first-in first-out (the earliest unanswered kill with the next start after it):
//! the replacement latency is the time between them, both taken on this process's clock. The
//! control plane keeps up when, after the last kill, every kill has had its replacement
//! started within seconds (`recovered_after_last_kill_s`, with the cluster back to `--tasks`
//! running tasks) and the latencies do not grow over the run.
//!
//! Output: one `bench=churn ...` line.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::json;
use tokio::sync::mpsc;

use super::e2e::{CLUSTER, container, memory_mib, wait_running};
use super::harness::{Processes, call};
use super::store::percentile;
use crate::sim::{Fleet, FleetOptions};

#[derive(Debug, clap::Args)]
pub(crate) struct ChurnArgs {
    /// Simulated container instances.
    #[arg(long, default_value_t = 1000)]
    instances: usize,
    /// Tasks at steady state, spread over the services.
    #[arg(long, default_value_t = 50_000)]
    tasks: usize,
    /// Services holding the tasks (each at most 5,000 tasks, ECS's quota).
    #[arg(long, default_value_t = 10)]
    services: usize,
    /// Share of the running containers killed each second.
    #[arg(long, default_value_t = 0.01)]
    kill_rate: f64,
    /// Seconds of churn.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Give up waiting for a steady state after this many seconds.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
}

/// Creates `services` services (`svc-0`, ...) whose tasks add up to `tasks`, each with its own
/// task definition and container name; returns their names.
pub(crate) async fn create_services(
    http: &reqwest::Client,
    endpoint: &str,
    services: usize,
    tasks: usize,
) -> anyhow::Result<Vec<String>> {
    let services = services.max(1);
    let per_service = tasks.div_ceil(services);
    if per_service > 5000 {
        bail!("{per_service} tasks per service is over ECS's quota of 5,000: use more --services");
    }
    let mut names = Vec::new();
    for s in 0..services {
        let name = format!("svc-{s}");
        let count = per_service.min(tasks.saturating_sub(s * per_service));
        call(
            http,
            endpoint,
            "RegisterTaskDefinition",
            json!({"family": name, "containerDefinitions": container(&name)}),
        )
        .await?;
        call(
            http,
            endpoint,
            "CreateService",
            json!({"cluster": CLUSTER, "serviceName": name, "taskDefinition": name, "desiredCount": count}),
        )
        .await?;
        names.push(name);
    }
    Ok(names)
}

/// The running and pending task counts of the cluster.
async fn counts(http: &reqwest::Client, endpoint: &str) -> anyhow::Result<(u64, u64)> {
    let described =
        call(http, endpoint, "DescribeClusters", json!({"clusters": [CLUSTER]})).await?;
    let cluster = &described["clusters"][0];
    Ok((
        cluster["runningTasksCount"].as_u64().unwrap_or(0),
        cluster["pendingTasksCount"].as_u64().unwrap_or(0),
    ))
}

/// Pairs kills and starts of each service first-in first-out; the latencies in milliseconds
/// and how many kills found no start.
fn pair(kills: &[(String, Instant)], starts: &[(String, Instant)]) -> (Vec<f64>, usize) {
    let mut by_service: HashMap<&str, (Vec<Instant>, Vec<Instant>)> = HashMap::new();
    for (service, at) in kills {
        by_service.entry(service).or_default().0.push(*at);
    }
    for (service, at) in starts {
        by_service.entry(service).or_default().1.push(*at);
    }
    let mut latencies = Vec::new();
    let mut unanswered = 0;
    for (mut kills, mut starts) in by_service.into_values() {
        kills.sort();
        starts.sort();
        let mut next_start = 0;
        for kill in kills {
            while next_start < starts.len() && starts[next_start] < kill {
                next_start += 1;
            }
            match starts.get(next_start) {
                Some(start) => {
                    latencies.push(start.duration_since(kill).as_secs_f64() * 1000.0);
                    next_start += 1;
                }
                None => unanswered += 1,
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    (latencies, unanswered)
}

/// When, after a second's kills, the cluster's running and pending tasks are counted: after
/// the agents have reported the kills (within milliseconds) and before most replacements are
/// running (their p50 is about 160 ms here), near the bottom of the dip.
const COUNT_AFTER_KILLS: Duration = Duration::from_millis(100);

pub(crate) async fn run(args: ChurnArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let server = Processes::server(dir.path(), &[]).await?;
    let endpoint = server.endpoint.clone();
    let pid = server.server_pid().unwrap_or(0);
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;
    call(&http, &endpoint, "CreateCluster", json!({"clusterName": CLUSTER})).await?;

    let (starts_tx, mut starts_rx) = mpsc::unbounded_channel();
    let mut options =
        FleetOptions::new(&endpoint, CLUSTER, &server.agent_token(CLUSTER)?, args.instances);
    options.starts = Some(starts_tx);
    let fleet = Fleet::start(options)?;
    fleet.wait_registered().await?;

    let launching = Instant::now();
    create_services(&http, &endpoint, args.services, args.tasks).await?;
    let deadline = launching + Duration::from_secs(args.timeout);
    if wait_running(&http, &endpoint, args.tasks, deadline).await?.is_none() {
        bail!("the services did not reach {} running tasks within {} s", args.tasks, args.timeout);
    }
    let launch_seconds = launching.elapsed().as_secs_f64();
    eprintln!("churn: {} tasks running after {launch_seconds:.1} s; churning", args.tasks);
    while starts_rx.try_recv().is_ok() {}

    // Churn: every second, kill a share of the running containers.
    let per_second = ((args.tasks as f64) * args.kill_rate).round().max(1.0) as usize;
    let cpu_before = server.server_cpu_seconds().unwrap_or(0.0);
    let churn_started = Instant::now();
    let mut kills: Vec<(String, Instant)> = Vec::new();
    let mut starts: Vec<(String, Instant)> = Vec::new();
    let mut min_running = u64::MAX;
    let mut max_pending = 0u64;
    let mut kill_seconds = Vec::new();
    for second in 0..args.seconds {
        let tick = churn_started + Duration::from_secs(second);
        tokio::time::sleep_until(tick.into()).await;
        let began = Instant::now();
        for killed in fleet.kill_random(per_second, 137).await {
            kills.push((killed.container_name, killed.at.into_std()));
        }
        kill_seconds.push(began.elapsed().as_secs_f64());
        while let Ok(start) = starts_rx.try_recv() {
            starts.push((start.container_name, start.at.into_std()));
        }
        // The cluster's counts once the kills are reported and before most replacements run
        // (right after the kills, the killed tasks still count as running).
        tokio::time::sleep_until((began + COUNT_AFTER_KILLS).into()).await;
        let (running, pending) = counts(&http, &endpoint).await?;
        min_running = min_running.min(running);
        max_pending = max_pending.max(pending);
    }
    let churn_seconds = churn_started.elapsed().as_secs_f64();
    let cpu = server.server_cpu_seconds().unwrap_or(0.0) - cpu_before;
    let (running_at_end, pending_at_end) = counts(&http, &endpoint).await?;

    // Keeping up: how long after the last kill every killed container had its replacement
    // started (the cluster's running count alone does not say: a killed task counts as
    // running until its agent reports it stopped), and that the cluster is back to --tasks.
    let last_kill = kills.last().map_or(churn_started, |k| k.1);
    let deadline = Instant::now() + Duration::from_secs(120);
    let (latencies, unanswered) = loop {
        while let Ok(start) = starts_rx.try_recv() {
            starts.push((start.container_name, start.at.into_std()));
        }
        let (latencies, unanswered) = pair(&kills, &starts);
        if unanswered == 0 || Instant::now() >= deadline {
            break (latencies, unanswered);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let back = wait_running(&http, &endpoint, args.tasks, deadline).await?;
    let replaced_all_at = starts.iter().map(|s| s.1).max().filter(|_| unanswered == 0);
    let recovered = replaced_all_at
        .zip(back)
        .map(|(at, _)| at.saturating_duration_since(last_kill).as_secs_f64());
    // The first and last thirds of the run, to see whether latency grows.
    let third = churn_started + Duration::from_secs_f64(churn_seconds / 3.0);
    let last_third = churn_started + Duration::from_secs_f64(churn_seconds * 2.0 / 3.0);
    let (early, _) =
        pair(&kills.iter().filter(|k| k.1 < third).cloned().collect::<Vec<_>>(), &starts);
    let (late, _) =
        pair(&kills.iter().filter(|k| k.1 >= last_third).cloned().collect::<Vec<_>>(), &starts);
    kill_seconds.sort_by(f64::total_cmp);
    let (rss, peak) = memory_mib(pid).unwrap_or_default();
    println!(
        "bench=churn instances={} tasks={} services={} kills_per_sec={per_second} seconds={churn_seconds:.1} kills={} replaced={} unanswered={unanswered} p50_ms={:.0} p99_ms={:.0} max_ms={:.0} first_third_p99_ms={:.0} last_third_p99_ms={:.0} min_running={} max_pending={max_pending} running_at_end={running_at_end} pending_at_end={pending_at_end} recovered_after_last_kill_s={} server_cpu_share={:.2} server_rss_mib={rss:.0} server_peak_rss_mib={peak:.0} launch_seconds={launch_seconds:.1} kill_call_p50_ms={:.0}",
        args.instances,
        args.tasks,
        args.services,
        kills.len(),
        latencies.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        percentile(&early, 0.99),
        percentile(&late, 0.99),
        if min_running == u64::MAX { 0 } else { min_running },
        recovered.map_or("timeout".to_owned(), |s| format!("{s:.2}")),
        cpu / churn_seconds,
        percentile(&kill_seconds, 0.5) * 1000.0,
    );
    fleet.stop().await;
    drop(server);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kills_pair_with_the_next_start_of_their_service() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let kills =
            vec![("a".to_owned(), at(0)), ("a".to_owned(), at(10)), ("b".to_owned(), at(5))];
        let starts = vec![
            // Before any kill of a: not a replacement.
            ("b".to_owned(), at(1)),
            ("a".to_owned(), at(30)),
            ("a".to_owned(), at(50)),
            ("b".to_owned(), at(25)),
        ];
        let (latencies, unanswered) = pair(&kills, &starts);
        assert_eq!(latencies, [20.0, 30.0, 40.0]);
        assert_eq!(unanswered, 0);
        let (latencies, unanswered) = pair(&kills, &starts[..2]);
        assert_eq!(latencies, [30.0]);
        assert_eq!(unanswered, 2);
    }
}
