//! `berth bench <scenario>`: benchmarks that print their figures as `name=value` lines.

mod store;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Bench {
    /// Durable commit rate of the SQLite store, with and without group commit.
    Store(store::StoreBenchArgs),
}

pub(crate) async fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Store(args) => store::run(args).await,
    }
}
