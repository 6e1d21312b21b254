//! `berth bench <scenario>`: benchmarks that print their figures as `name=value` lines.

mod api;
mod auth;
mod churn;
mod e2e;
mod harness;
mod host;
mod lb;
mod placement;
mod restart;
mod service;
mod store;
mod task_start;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Bench {
    /// Requests per second and latency of ECS operations over loopback.
    Api(api::ApiBenchArgs),
    /// CPU cost of access control (SigV4 verification and policy evaluation) per request.
    Auth(auth::AuthBenchArgs),
    /// Replacement of crashing containers at steady state on thousands of simulated instances.
    Churn(churn::ChurnArgs),
    /// Tasks started through the API on thousands of simulated instances, until all RUNNING.
    E2eLaunch(e2e::E2eLaunchArgs),
    /// How fast this machine is at the moment, on a fixed piece of work (see `host.rs`).
    Host(host::HostArgs),
    /// Requests per second and latency through Berth's load balancer, HAProxy and nginx.
    Lb(lb::LbBenchArgs),
    /// The backends of `bench lb`, run by it in a process of their own.
    #[command(hide = true)]
    LbBackend(lb::LbBackendArgs),
    /// Placement throughput of the scheduler on one core at several cluster sizes.
    Placement(placement::PlacementBenchArgs),
    /// Control-plane restart with many tasks in its store: time to serving and caught up.
    Restart(restart::RestartArgs),
    /// Service recovery after container kills and a rolling deployment, on real Docker.
    Service(service::ServiceBenchArgs),
    /// Durable commit rate of the SQLite store, with and without group commit.
    Store(store::StoreBenchArgs),
    /// RunTask to RUNNING on real Docker, beside the Docker floor.
    TaskStart(task_start::TaskStartBenchArgs),
}

pub(crate) async fn run(bench: Bench) -> anyhow::Result<()> {
    // The scenarios that load the whole machine say how fast it was around their run.
    let loads_machine = matches!(
        bench,
        Bench::Api(_) | Bench::Churn(_) | Bench::E2eLaunch(_) | Bench::Lb(_) | Bench::Restart(_)
    );
    if loads_machine {
        host::report("before");
    }
    let outcome = run_scenario(bench).await;
    if loads_machine && outcome.is_ok() {
        host::report("after");
    }
    outcome
}

async fn run_scenario(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Api(args) => api::run(args).await,
        Bench::Auth(args) => auth::run(&args),
        Bench::Churn(args) => churn::run(args).await,
        Bench::E2eLaunch(args) => e2e::run(args).await,
        Bench::Host(args) => {
            host::run(&args);
            Ok(())
        }
        Bench::Lb(args) => lb::run(args).await,
        Bench::LbBackend(args) => lb::serve_backends(args).await,
        Bench::Placement(args) => placement::run(&args),
        Bench::Restart(args) => restart::run(args).await,
        Bench::Service(args) => service::run(args).await,
        Bench::Store(args) => store::run(args).await,
        Bench::TaskStart(args) => task_start::run(args).await,
    }
}
