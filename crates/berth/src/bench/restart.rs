//! `berth bench restart`: how fast a control plane holding `--tasks` tasks in its store serves
//! again after a crash.
//!
//! Services put the tasks on a fleet of SIMULATED instances (`crate::sim::Fleet`), which keeps
//! running throughout. The server is then killed with SIGKILL and started again on the same
//! data directory and address. Figures, from the new process's start: when it listens (the
//! store is open and the index loaded), when it first answers an API call (ListTasks), when
//! every agent is connected again and when the service scheduler finished its first full pass
//! (`GET /status`), and when DescribeClusters shows every task RUNNING with none pending.
//!
//! Output: one `bench=restart ...` line.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::json;

use super::churn::create_services;
use super::e2e::{CLUSTER, memory_mib, size_mib, wait_running};
use super::harness::{Processes, call};
use crate::sim::{Fleet, FleetOptions};

#[derive(Debug, clap::Args)]
pub(crate) struct RestartArgs {
    /// Simulated container instances.
    #[arg(long, default_value_t = 5000)]
    instances: usize,
    /// Tasks in the store (running, from services).
    #[arg(long, default_value_t = 100_000)]
    tasks: usize,
    /// Services holding the tasks (each at most 5,000 tasks, ECS's quota).
    #[arg(long, default_value_t = 20)]
    services: usize,
    /// Give up waiting after this many seconds (each phase).
    #[arg(long, default_value_t = 600)]
    timeout: u64,
}

pub(crate) async fn run(args: RestartArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir_in(".")?;
    let mut server = Processes::server(dir.path(), &[]).await?;
    let endpoint = server.endpoint.clone();
    let http = reqwest::Client::builder().pool_max_idle_per_host(16).build()?;
    call(&http, &endpoint, "CreateCluster", json!({"clusterName": CLUSTER})).await?;
    let fleet = Fleet::start(FleetOptions::new(
        &endpoint,
        CLUSTER,
        &server.agent_token(CLUSTER)?,
        args.instances,
    ))?;
    fleet.wait_registered().await?;
    let launching = Instant::now();
    create_services(&http, &endpoint, args.services, args.tasks).await?;
    let deadline = launching + Duration::from_secs(args.timeout);
    if wait_running(&http, &endpoint, args.tasks, deadline).await?.is_none() {
        bail!("the services did not reach {} running tasks within {} s", args.tasks, args.timeout);
    }
    let launch_seconds = launching.elapsed().as_secs_f64();
    let (_, before_peak) = memory_mib(server.server_pid().unwrap_or(0)).unwrap_or_default();
    let store = size_mib(&dir.path().join("server"));
    eprintln!(
        "restart: {} tasks running after {launch_seconds:.1} s; killing the server",
        args.tasks
    );

    server.kill_server().await?;
    let started = Instant::now();
    server.restart_server(&[]).await?;
    let listening = started.elapsed().as_secs_f64();
    let deadline = started + Duration::from_secs(args.timeout);
    let first_answer = loop {
        let listed = call(&http, &endpoint, "ListTasks", json!({"cluster": CLUSTER})).await;
        if listed.is_ok_and(|l| l["taskArns"].as_array().is_some_and(|a| !a.is_empty())) {
            break started.elapsed().as_secs_f64();
        }
        if Instant::now() > deadline {
            bail!("the restarted server did not answer ListTasks");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    // Caught up: every agent connected again and a full service pass begun after that.
    let mut agents_back = None;
    let mut first_pass = None;
    let mut caught_up = None;
    let mut passes_when_back = 0;
    while caught_up.is_none() {
        let now = started.elapsed().as_secs_f64();
        let status = super::harness::status(&http, &endpoint).await.context("GET /status")?;
        let passes = status["servicePasses"].as_u64().unwrap_or(0);
        if first_pass.is_none() && passes >= 1 {
            first_pass = Some(now);
        }
        if agents_back.is_none()
            && status["connectedAgents"].as_u64().unwrap_or(0) as usize >= args.instances
        {
            agents_back = Some(now);
            passes_when_back = passes;
        } else if agents_back.is_some() && passes > passes_when_back + 1 {
            caught_up = Some(now);
        }
        if Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (running, pending) = {
        let described =
            call(&http, &endpoint, "DescribeClusters", json!({"clusters": [CLUSTER]})).await?;
        let c = &described["clusters"][0];
        (c["runningTasksCount"].as_u64().unwrap_or(0), c["pendingTasksCount"].as_u64().unwrap_or(0))
    };
    let pid = server.server_pid().unwrap_or(0);
    let (rss, _) = memory_mib(pid).unwrap_or_default();
    let shown = |v: Option<f64>| v.map_or("timeout".to_owned(), |s| format!("{s:.2}"));
    println!(
        "bench=restart instances={} tasks={} services={} store_mib={store:.0} listening_s={listening:.2} first_answer_s={first_answer:.2} agents_reconnected_s={} first_service_pass_s={} caught_up_s={} running_after={running} pending_after={pending} server_rss_after_mib={rss:.0} server_peak_rss_before_mib={before_peak:.0} launch_seconds={launch_seconds:.1}",
        args.instances,
        args.tasks,
        args.services,
        shown(agents_back),
        shown(first_pass),
        shown(caught_up),
    );
    fleet.stop().await;
    drop(server);
    Ok(())
}
