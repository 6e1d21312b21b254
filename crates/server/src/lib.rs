//! The Berth control plane: the ECS JSON 1.1 API over HTTP, request validation, the records
//! kept in the store, and the operations on them.
//!
//! Entry points: [`router`] builds the HTTP service; [`Ctx`] holds what every operation needs.
//! A request flows `http` (protocol: target, body, errors) → `dispatch` (one `match` over
//! `api::Operation`) → an operation module (`clusters`, `task_definitions`, ...), which reads
//! and writes records through the store with compare-and-swap transactions.

pub mod access;
mod account_settings;
mod acm;
mod agent_channel;
pub mod arn;
mod balancing;
pub mod caller;
mod capacity_providers;
pub mod clock;
mod clusters;
pub mod config;
mod connections;
mod container_instances;
mod container_policy;
mod dispatch;
mod ec2;
mod elbv2;
mod error;
mod failures;
mod fargate;
mod http;
mod lb_channel;
mod liveness;
mod logs;
mod other_services;
mod paging;
mod placement;
mod reaper;
mod records;
mod service_scheduler;
mod services;
mod state;
mod tags;
mod task_definitions;
mod tasks;
mod vpc;
mod wire;
mod workers;

use std::sync::Arc;

use store::Store;

pub use crate::dispatch::{SERVED, served};
pub use crate::http::router;
pub use crate::placement::capacity::{FARGATE_POOL, PROVIDER_ATTRIBUTE};

use crate::arn::Arns;
use crate::clock::Clock;
use crate::config::Config;
pub use crate::connections::serve;

/// Everything an operation needs: configuration, the store and the clock. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    pub(crate) inner: Arc<CtxInner>,
}

/// How this control-plane process runs (as opposed to what the account looks like, which is
/// [`Config`]).
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The secret agent tokens are derived from (one token per cluster).
    pub agent_secret: Vec<u8>,
    /// How long an agent may stay silent before its instance shows `agentConnected: false`.
    pub agent_timeout: std::time::Duration,
    /// The URL agents reach this control plane at (DiscoverPollEndpoint).
    pub advertise_url: String,
    /// How long STOPPED tasks stay describable.
    pub stopped_task_retention: std::time::Duration,
    /// The most bytes of log kept per container.
    pub log_bytes_per_container: usize,
    /// How long a service task without health checks must have been RUNNING to count as
    /// healthy (ECS waits 40 seconds).
    pub task_settle_time: std::time::Duration,
    /// Users, keys, policies and throttling; `None` turns access control off (every request is
    /// accepted as the account's root user).
    pub access: Option<std::sync::Arc<access::Access>>,
}

pub(crate) struct CtxInner {
    config: Config,
    options: ServeOptions,
    state: Arc<state::State>,
    /// What the control plane knows about the stored logs of each container.
    logs: logs::LogIndex,
    /// The latest resource use agents sampled, by cluster and task id (kept in memory only).
    usage: tasks::Usage,
    /// Wakes the service scheduler when a service changes.
    service_wake: tokio::sync::Notify,
    /// Task definitions read so far.
    definitions: task_definitions::Cache,
    /// Requests on the agent channel since the process started, for `/status`.
    agent_traffic: agent_channel::Traffic,
    /// Placement rounds and planners.
    placement: placement::Placement,
    /// What the service scheduler keeps between passes.
    service_scheduler: service_scheduler::Shared,
    /// Which agents are connected.
    liveness: Arc<liveness::Liveness>,
    /// The VPC of `awsvpc` tasks: its address allocator.
    vpc: vpc::Vpc,
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
    /// The background loops: the index, the service scheduler, the reaper.
    workers: workers::Workers,
    /// The load balancer: what its nodes see, and when its configuration changed.
    balancing: balancing::Balancing,
}

/// A fixed set of mutexes; a key always maps to the same one. Hold at most one stripe at a
/// time: two keys may share a stripe, and the mutexes are not reentrant.
pub(crate) struct KeyLocks {
    stripes: Vec<tokio::sync::Mutex<()>>,
}

impl KeyLocks {
    fn new(stripes: usize) -> KeyLocks {
        KeyLocks { stripes: (0..stripes).map(|_| tokio::sync::Mutex::new(())).collect() }
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
    /// Loads the in-memory index from the store and returns the context operations run in.
    pub async fn start(
        config: Config,
        options: ServeOptions,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> Result<Ctx, store::StoreError> {
        let arns = Arns::new(&config);
        let liveness = Arc::new(liveness::Liveness::new(options.agent_timeout));
        let placement = placement::Placement::new(liveness.clone());
        let service_scheduler = service_scheduler::Shared::default();
        let vpc = vpc::Vpc::new(&config.vpc);
        let observers: Vec<Arc<dyn state::Observer>> =
            vec![placement.observer(), service_scheduler.observer(), vpc.observer()];
        let workers = workers::Workers::new(clock.clone());
        let state = state::State::start(store.clone(), observers, &workers).await?;
        let retention = options.stopped_task_retention;
        let ctx = Ctx {
            inner: Arc::new(CtxInner {
                config,
                options,
                state,
                definitions: Default::default(),
                placement,
                service_scheduler,
                liveness,
                vpc,
                agent_traffic: Default::default(),
                arns,
                store,
                clock,
                cluster_lifecycle: tokio::sync::RwLock::new(()),
                key_locks: KeyLocks::new(256),
                logs: logs::LogIndex::default(),
                usage: Default::default(),
                service_wake: tokio::sync::Notify::new(),
                workers,
                balancing: balancing::Balancing::new(),
            }),
        };
        let weak = Arc::downgrade(&ctx.inner);
        let workers = &ctx.inner.workers;
        workers.spawn("reaper", workers::Kind::Reconciler, move |worker| {
            reaper::run(weak, retention, worker)
        });
        let reclaims = ctx.inner.config.fargate.spot_reclaims_per_hour;
        if reclaims > 0 {
            let weak = Arc::downgrade(&ctx.inner);
            workers.spawn("spot-reclaims", workers::Kind::Reconciler, move |worker| {
                fargate::run_reclaims(weak, reclaims, worker)
            });
        }
        let weak = Arc::downgrade(&ctx.inner);
        workers.spawn("lb-config", workers::Kind::Housekeeping, move |worker| {
            balancing::follow(weak, worker)
        });
        let weak = Arc::downgrade(&ctx.inner);
        workers.spawn("lb-drained", workers::Kind::Reconciler, move |worker| {
            balancing::run_drained(weak, worker)
        });
        let scheduler = ctx.clone();
        workers.spawn("service-scheduler", workers::Kind::Reconciler, move |worker| {
            service_scheduler::run(scheduler, worker)
        });
        Ok(ctx)
    }

    /// Stops the background workers (after the server stopped serving), waiting at most
    /// `grace` for each pass under way to finish.
    pub async fn shutdown(&self, grace: std::time::Duration) {
        let aborted = self.inner.workers.shutdown(grace).await;
        if !aborted.is_empty() {
            tracing::warn!(?aborted, "Background workers were stopped in the middle of a pass");
        }
    }

    /// Whether this process's reconcilers (the service scheduler, the reaper) act. A control
    /// plane that does not lead keeps serving and following the store, but changes nothing on
    /// its own; a single process leads.
    pub fn set_leader(&self, leader: bool) {
        self.inner.workers.set_leader(leader);
    }

    /// Creates the cluster if it does not exist (`berth dev` makes the `default` one).
    pub async fn ensure_cluster(&self, name: &str) -> Result<(), api::ApiError> {
        let request =
            api::CreateClusterRequest { cluster_name: Some(name.to_owned()), ..Default::default() };
        clusters::create_cluster(self, request).await.map(|_| ())
    }

    pub fn options(&self) -> &ServeOptions {
        &self.inner.options
    }

    pub(crate) fn state(&self) -> &state::State {
        &self.inner.state
    }

    /// Access control, when it is on.
    pub(crate) fn access(&self) -> Option<&access::Access> {
        self.inner.options.access.as_deref()
    }

    pub(crate) fn balancing(&self) -> &balancing::Balancing {
        &self.inner.balancing
    }

    pub(crate) fn liveness(&self) -> &liveness::Liveness {
        &self.inner.liveness
    }

    /// Whether the agent of an instance is connected.
    pub(crate) fn agent_connected(&self, cluster: &str, instance_id: &str) -> bool {
        self.inner.liveness.connected(cluster, instance_id)
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

    /// The account's root user: the principal of account defaults, and of every request when
    /// access control is off (a request's own principal is [`caller::Call::principal_arn`]).
    pub(crate) fn account_root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.inner.config.account_id)
    }
}

/// What the handlers' unit tests share: a control plane over a `MemoryStore` and a
/// `ManualClock`, and a raw write that the index has seen.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use store::{Op, Txn};

    use crate::Ctx;

    pub(crate) async fn ctx() -> Ctx {
        let config = crate::config::Config::try_from(crate::config::RawConfig::default()).unwrap();
        let options = crate::ServeOptions {
            agent_secret: b"test".to_vec(),
            agent_timeout: std::time::Duration::from_secs(30),
            advertise_url: "http://127.0.0.1:0".into(),
            stopped_task_retention: std::time::Duration::from_secs(3600),
            log_bytes_per_container: 1 << 20,
            task_settle_time: std::time::Duration::from_secs(40),
            access: None,
        };
        let clock = Arc::new(crate::clock::ManualClock::new(1_700_000_000_000));
        Ctx::start(config, options, Arc::new(store::MemoryStore::new()), clock).await.unwrap()
    }

    /// Writes `value` at `key` and waits until the index has it.
    pub(crate) async fn put(ctx: &Ctx, key: &str, value: serde_json::Value) {
        let txn = Txn::new().then(Op::put(key, value.to_string()));
        let revision = ctx.store().txn(txn).await.unwrap().revision;
        ctx.state().wait_for(revision).await;
    }

    /// A task record of cluster `c` with id `t1` on instance `i1` (`web:3`, 256 CPU units,
    /// 512 MiB, TCP port 80), the ECS shape given.
    pub(crate) fn stored_task(task: api::Task) -> crate::records::TaskRecord {
        crate::records::TaskRecord {
            cluster: "c".into(),
            id: "t1".into(),
            instance_id: Some("i1".into()),
            host_cluster: None,
            family: "web".to_owned(),
            revision: 3,
            reservation: crate::records::Reservation {
                cpu: 256,
                memory: 512,
                ports_tcp: vec![80],
                ports_udp: vec![],
            },
            network: None,
            deactivating: None,
            task: task.into(),
        }
    }
}
