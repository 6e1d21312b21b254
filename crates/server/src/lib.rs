//! The Berth control plane: the ECS JSON 1.1 API over HTTP, request validation, the records
//! kept in the store, and the operations on them.
//!
//! Entry points: [`router`] builds the HTTP service; [`Ctx`] holds what every operation needs.
//! A request flows `http` (protocol: target, body, errors) → `dispatch` (one `match` over
//! `api::Operation`) → an operation module (`clusters`, `task_definitions`, ...), which reads
//! and writes records through the store with compare-and-swap transactions.

mod account_settings;
pub mod arn;
pub mod clock;
mod clusters;
pub mod config;
mod dispatch;
mod http;
mod paging;
mod records;
mod tags;
mod task_definitions;

use std::sync::Arc;

use store::Store;

pub use crate::http::router;

/// Serves the API on `listener` until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    ctx: Ctx,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(ctx))
        .with_graceful_shutdown(shutdown)
        .await
}
use crate::arn::Arns;
use crate::clock::Clock;
use crate::config::Config;

/// Everything an operation needs: configuration, the store and the clock. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    inner: Arc<CtxInner>,
}

struct CtxInner {
    config: Config,
    arns: Arns,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Serializes cluster deletion against the creation of things inside clusters: creators
    /// hold it shared while they check the cluster and write, deletion holds it exclusively.
    cluster_lifecycle: tokio::sync::RwLock<()>,
    /// Serializes this process's read-modify-writes of the same record, so that concurrent
    /// requests queue instead of losing compare-and-swap races and retrying. The
    /// compare-and-swap still guards against writers in other processes.
    key_locks: KeyLocks,
}

/// A fixed set of mutexes; a key always maps to the same one. Hold at most one stripe at a
/// time: two keys may share a stripe, and the mutexes are not reentrant.
pub(crate) struct KeyLocks {
    stripes: Vec<tokio::sync::Mutex<()>>,
}

impl KeyLocks {
    fn new(stripes: usize) -> KeyLocks {
        KeyLocks {
            stripes: (0..stripes).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }

    /// Locks the stripe of `key` until the guard is dropped.
    pub(crate) async fn lock(&self, key: &str) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        let index = (hasher.finish() % self.stripes.len() as u64) as usize;
        self.stripes[index].lock().await
    }
}

impl Ctx {
    pub fn new(config: Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Ctx {
        let arns = Arns::new(&config);
        Ctx {
            inner: Arc::new(CtxInner {
                config,
                arns,
                store,
                clock,
                cluster_lifecycle: tokio::sync::RwLock::new(()),
                key_locks: KeyLocks::new(256),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn arns(&self) -> &Arns {
        &self.inner.arns
    }

    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    pub(crate) fn key_locks(&self) -> &KeyLocks {
        &self.inner.key_locks
    }

    /// The principal requests act as. Until requests are authenticated, the account root.
    pub(crate) fn principal_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.inner.config.account_id)
    }
}
