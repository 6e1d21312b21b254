//! `berth bench store`: how many durable write transactions per second the SQLite store
//! sustains, with group commit and without it (one fsync per transaction), at several
//! numbers of concurrent writers.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use store::{Op, SqliteOptions, SqliteStore, Store, Txn};

#[derive(Debug, clap::Args)]
pub(crate) struct StoreBenchArgs {
    /// Transactions per run.
    #[arg(long, default_value_t = 5000)]
    txns: usize,
    /// Numbers of concurrent writers to try.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    writers: Vec<usize>,
    /// Bytes of each written value.
    #[arg(long, default_value_t = 512)]
    value_size: usize,
    /// Directory for the store files (on the disk to measure; default: the current one).
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

pub(crate) async fn run(args: StoreBenchArgs) -> anyhow::Result<()> {
    for &writers in &args.writers {
        for (batching, max_batch) in [("off", 1), ("on", 4096)] {
            let dir = tempfile::tempdir_in(&args.dir)?;
            let options = SqliteOptions { max_batch, ..SqliteOptions::default() };
            let store = Arc::new(SqliteStore::open(&dir.path().join("bench.db"), options)?);
            let value = vec![b'x'; args.value_size];
            let per_writer = args.txns.div_ceil(writers);
            let started = Instant::now();
            let mut handles = Vec::new();
            for w in 0..writers {
                let store = store.clone();
                let value = value.clone();
                handles.push(tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(per_writer);
                    for i in 0..per_writer {
                        let t = Instant::now();
                        let txn =
                            Txn::new().then(Op::put(format!("/bench/{w}/{i}"), value.clone()));
                        store.txn(txn).await.expect("bench write");
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    latencies
                }));
            }
            let mut latencies = Vec::new();
            for handle in handles {
                latencies.extend(handle.await?);
            }
            let seconds = started.elapsed().as_secs_f64();
            latencies.sort_by(f64::total_cmp);
            let stats = store.stats();
            let done = latencies.len();
            println!(
                "bench=store writers={writers} batching={batching} txns={done} seconds={seconds:.2} txn_per_sec={:.0} commits={} commits_per_sec={:.0} p50_ms={:.2} p99_ms={:.2}",
                done as f64 / seconds,
                stats.commits,
                stats.commits as f64 / seconds,
                percentile(&latencies, 0.50),
                percentile(&latencies, 0.99),
            );
        }
    }
    Ok(())
}

/// The `q` quantile of sorted samples.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}
