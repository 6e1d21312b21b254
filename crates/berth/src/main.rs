//! The `berth` binary: one executable for the control plane (`server`), the all-in-one
//! development mode (`dev`), the node agent (`agent`), simulated agents at scale (`sim`) and
//! the benchmarks (`bench`).

mod agent_cmd;
mod bench;
mod fargate_cmd;
mod lb_cmd;
mod run;
mod sim;

use clap::{Parser, Subcommand};

/// jemalloc rather than the system allocator: the control plane allocates and frees many small
/// objects from several threads (requests, records, JSON), where glibc's malloc took about a
/// quarter of the server's CPU time under load (BENCHMARKS.md, "Scale").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Berth: a self-hostable container orchestrator with the Amazon ECS API.
#[derive(Debug, Parser)]
#[command(name = "berth", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run everything on this machine: the control plane with its embedded store.
    Dev(run::DevArgs),
    /// Run the control plane.
    Server(run::ServerArgs),
    /// Run a node agent: register this host and run tasks on its Docker Engine.
    Agent(agent_cmd::AgentArgs),
    /// Print the token the agents of a cluster use (read from the server's data directory).
    AgentToken(run::AgentTokenArgs),
    /// Run a load-balancer node: serve the listeners of every load balancer, following the
    /// control plane's configuration.
    Lb(lb_cmd::LbArgs),
    /// Print the token load-balancer nodes use (read from the server's data directory).
    LbToken(lb_cmd::LbTokenArgs),
    /// Fargate usage and its cost, by cluster, service, family or tag.
    Usage(fargate_cmd::UsageArgs),
    /// Take Fargate Spot capacity back: the tasks of the busiest Spot hosts are interrupted.
    ReclaimSpot(fargate_cmd::ReclaimArgs),
    /// Run SIMULATED node agents at scale: the real agent code on an in-memory container
    /// runtime (no containers run), each registered as its own container instance. For load
    /// and scale tests of a control plane only.
    Sim(sim::SimArgs),
    /// Run a benchmark and print its figures as `name=value` lines.
    #[command(subcommand)]
    Bench(bench::Bench),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Benchmarks print figures; the lifecycle lines of thousands of tasks would drown them.
    let default_level = if matches!(cli.command, Command::Bench(_)) { "warn" } else { "info" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        // Colour codes only for a terminal: a log file or a pipe gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match cli.command {
        Command::Dev(args) => runtime.block_on(run::dev(args)),
        Command::Server(args) => runtime.block_on(run::server(args)),
        Command::Agent(args) => runtime.block_on(agent_cmd::run(args)),
        Command::AgentToken(args) => run::agent_token(&args),
        Command::Lb(args) => runtime.block_on(lb_cmd::lb(args)),
        Command::LbToken(args) => lb_cmd::lb_token(&args),
        Command::Usage(args) => runtime.block_on(fargate_cmd::usage(args)),
        Command::ReclaimSpot(args) => runtime.block_on(fargate_cmd::reclaim(args)),
        Command::Sim(args) => runtime.block_on(sim::run(args, run::shutdown_signal())),
        Command::Bench(bench) => runtime.block_on(bench::run(bench)),
    }
}
