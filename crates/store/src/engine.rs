//! The machinery the memory and SQLite backends share: the in-memory index of every key, the
//! history that watchers read, and the single writer thread that group-commits transactions.
//!
//! Transactions queue on a channel. The writer takes everything queued (up to a batch limit),
//! evaluates each transaction's comparisons in order against the committed state plus the
//! effects of the earlier transactions of the same batch, hands the batch's net changes to the
//! backend's [`Persist`] in one durable commit, then publishes them to readers and answers every
//! caller. While one batch is being synced the next one accumulates, so the number of syncs per
//! second stays bounded while the number of transactions per second grows with load. Readers
//! only ever see durable state.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;

use bytes::Bytes;
use parking_lot::RwLock;
use tokio::sync::{oneshot, watch};

use crate::{
    Compare, CompareOp, CompareTarget, Event, EventKind, KeyValue, Op, RangeOptions, RangeResponse,
    Revision, StoreError, StoreStats, Txn, TxnResponse, WatchSource, Watcher,
};

/// How a backend makes a batch of changes durable.
pub(crate) trait Persist: Send + 'static {
    /// Writes the net effect of a batch: each key with its new value, or `None` if deleted,
    /// and the store revision after the batch. Must be durable when it returns `Ok`.
    fn persist(
        &mut self,
        changes: &HashMap<String, Option<KeyValue>>,
        revision: Revision,
    ) -> Result<(), StoreError>;
}

/// A key's value and revisions as the engine keeps them (the key is the map's).
#[derive(Clone)]
struct Stored {
    value: Bytes,
    create_revision: Revision,
    mod_revision: Revision,
    version: i64,
}

impl Stored {
    fn of(kv: &KeyValue) -> Stored {
        Stored {
            value: kv.value.clone(),
            create_revision: kv.create_revision,
            mod_revision: kv.mod_revision,
            version: kv.version,
        }
    }

    fn to_key_value(&self, key: &str) -> KeyValue {
        KeyValue {
            key: key.to_owned(),
            value: self.value.clone(),
            create_revision: self.create_revision,
            mod_revision: self.mod_revision,
            version: self.version,
        }
    }
}

/// What an event costs the history, in bytes: its key, its value (which it may keep alive after
/// the key changed again) and its bookkeeping.
fn event_bytes(event: &Event) -> usize {
    event.kv.key.len() + event.kv.value.len() + std::mem::size_of::<Event>()
}

/// The committed state readers see.
pub(crate) struct State {
    kvs: BTreeMap<String, Stored>,
    revision: Revision,
    /// Recent events in revision order, for watchers.
    log: VecDeque<Event>,
    /// What the events of `log` cost, by [`event_bytes`].
    log_bytes: usize,
    /// Watchers may start after any revision at or above this one.
    oldest_watchable: Revision,
    log_capacity: usize,
    log_bytes_capacity: usize,
}

pub(crate) struct Shared {
    state: RwLock<State>,
    revision_tx: watch::Sender<Revision>,
    txns: AtomicU64,
    commits: AtomicU64,
}

struct Request {
    txn: Txn,
    reply: oneshot::Sender<Result<TxnResponse, StoreError>>,
}

/// An engine: shared state plus the writer thread that owns all writes.
pub(crate) struct Engine {
    shared: Arc<Shared>,
    requests: Option<mpsc::Sender<Request>>,
    writer: Option<thread::JoinHandle<()>>,
}

pub(crate) struct EngineOptions {
    pub(crate) max_batch: usize,
    /// The most events the history keeps ...
    pub(crate) log_capacity: usize,
    /// ... and the most bytes (keys and values) it keeps.
    pub(crate) log_bytes: usize,
}

impl Engine {
    /// Starts an engine over the given initial keys (as loaded by the backend).
    pub(crate) fn start(
        name: &str,
        kvs: BTreeMap<String, KeyValue>,
        revision: Revision,
        persist: impl Persist,
        options: EngineOptions,
    ) -> Engine {
        let (revision_tx, _) = watch::channel(revision);
        let kvs = kvs.into_iter().map(|(key, kv)| (key, Stored::of(&kv))).collect();
        let shared = Arc::new(Shared {
            state: RwLock::new(State {
                kvs,
                revision,
                log: VecDeque::new(),
                log_bytes: 0,
                oldest_watchable: revision,
                log_capacity: options.log_capacity.max(1),
                log_bytes_capacity: options.log_bytes.max(1),
            }),
            revision_tx,
            txns: AtomicU64::new(0),
            commits: AtomicU64::new(0),
        });
        let (tx, rx) = mpsc::channel();
        let writer_shared = shared.clone();
        let max_batch = options.max_batch.max(1);
        let writer = thread::Builder::new()
            .name(format!("store-writer-{name}"))
            .spawn(move || write_loop(&writer_shared, rx, persist, max_batch))
            .expect("spawning the store writer thread");
        Engine { shared, requests: Some(tx), writer: Some(writer) }
    }

    pub(crate) fn get(&self, key: &str) -> Option<KeyValue> {
        self.shared.state.read().kvs.get(key).map(|stored| stored.to_key_value(key))
    }

    pub(crate) fn range(&self, prefix: &str, options: &RangeOptions) -> RangeResponse {
        let state = self.shared.state.read();
        let limit = options.limit.unwrap_or(usize::MAX);
        let lower = match &options.start_after {
            Some(after) if after.as_str() >= prefix => std::ops::Bound::Excluded(after.as_str()),
            _ => std::ops::Bound::Included(prefix),
        };
        let mut kvs = Vec::new();
        let mut more = false;
        for (key, kv) in state.kvs.range::<str, _>((lower, std::ops::Bound::Unbounded)) {
            if !key.starts_with(prefix) {
                break;
            }
            if kvs.len() == limit {
                more = true;
                break;
            }
            kvs.push(kv.to_key_value(key));
        }
        RangeResponse { kvs, revision: state.revision, more }
    }

    pub(crate) async fn txn(&self, txn: Txn) -> Result<TxnResponse, StoreError> {
        let (reply, rx) = oneshot::channel();
        let requests = self.requests.as_ref().ok_or(StoreError::Closed)?;
        requests.send(Request { txn, reply }).map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    pub(crate) fn revision(&self) -> Revision {
        self.shared.state.read().revision
    }

    pub(crate) fn watch(&self, prefix: &str, after: Revision) -> Result<Watcher, StoreError> {
        let oldest = self.shared.state.read().oldest_watchable;
        if after < oldest {
            return Err(StoreError::Compacted { requested: after, oldest });
        }
        Ok(Watcher::new(Box::new(EngineWatch {
            shared: self.shared.clone(),
            revisions: self.shared.revision_tx.subscribe(),
            prefix: prefix.to_owned(),
            after,
        })))
    }

    pub(crate) fn stats(&self) -> StoreStats {
        StoreStats {
            txns: self.shared.txns.load(Ordering::Relaxed),
            commits: self.shared.commits.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Closing the channel lets the writer finish what is queued and exit.
        self.requests.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn write_loop(
    shared: &Shared,
    requests: mpsc::Receiver<Request>,
    mut persist: impl Persist,
    max_batch: usize,
) {
    while let Ok(first) = requests.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        shared.txns.fetch_add(batch.len() as u64, Ordering::Relaxed);

        let mut changes: HashMap<String, Option<KeyValue>> = HashMap::new();
        let mut events = Vec::new();
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut revision;
        {
            let state = shared.state.read();
            revision = state.revision;
            for request in &batch {
                let holds = request
                    .txn
                    .compares
                    .iter()
                    .all(|c| compare(c, lookup(&changes, &state.kvs, &c.key).as_ref()));
                if !holds {
                    outcomes.push(TxnResponse { succeeded: false, revision });
                    continue;
                }
                let next = revision + 1;
                let mut wrote = false;
                for op in &request.txn.ops {
                    let current = lookup(&changes, &state.kvs, op.key());
                    match op {
                        Op::Put { key, value } => {
                            let kv = KeyValue {
                                key: key.clone(),
                                value: value.clone(),
                                create_revision: current
                                    .as_ref()
                                    .map_or(next, |kv| kv.create_revision),
                                mod_revision: next,
                                version: current.as_ref().map_or(1, |kv| kv.version + 1),
                            };
                            events.push(Event { kind: EventKind::Put, kv: kv.clone() });
                            changes.insert(key.clone(), Some(kv));
                            wrote = true;
                        }
                        Op::Delete { key } => {
                            if current.is_some() {
                                events.push(Event {
                                    kind: EventKind::Delete,
                                    kv: KeyValue {
                                        key: key.clone(),
                                        value: Bytes::new(),
                                        create_revision: 0,
                                        mod_revision: next,
                                        version: 0,
                                    },
                                });
                                changes.insert(key.clone(), None);
                                wrote = true;
                            }
                        }
                    }
                }
                if wrote {
                    revision = next;
                }
                outcomes.push(TxnResponse { succeeded: true, revision });
            }
        }

        if !changes.is_empty() {
            if let Err(error) = persist.persist(&changes, revision) {
                tracing::error!(error = %ErrorChain(&error), "Store commit failed; the batch is rejected");
                let message = ErrorChain(&error).to_string();
                for request in batch {
                    let _ = request.reply.send(Err(StoreError::CommitFailed(message.clone())));
                }
                continue;
            }
            shared.commits.fetch_add(1, Ordering::Relaxed);
            let mut state = shared.state.write();
            for (key, change) in changes {
                match change {
                    Some(kv) => {
                        let stored = Stored::of(&kv);
                        state.kvs.insert(key, stored);
                    }
                    None => {
                        state.kvs.remove(&key);
                    }
                }
            }
            state.log_bytes += events.iter().map(event_bytes).sum::<usize>();
            state.log.extend(events);
            // Keep at least the newest batch, however large, so that a watcher at the current
            // revision can follow it.
            while state.log.len() > state.log_capacity
                || (state.log_bytes > state.log_bytes_capacity
                    && state.log.front().is_some_and(|e| e.kv.mod_revision < revision))
            {
                let Some(dropped) = state.log.pop_front() else { break };
                state.log_bytes -= event_bytes(&dropped);
                state.oldest_watchable = state.oldest_watchable.max(dropped.kv.mod_revision);
            }
            state.revision = revision;
            drop(state);
            shared.revision_tx.send_replace(revision);
        }

        for (request, outcome) in batch.into_iter().zip(outcomes) {
            let _ = request.reply.send(Ok(outcome));
        }
    }
}

/// A key as the batch sees it: its pending change if any, else its committed value.
fn lookup(
    changes: &HashMap<String, Option<KeyValue>>,
    committed: &BTreeMap<String, Stored>,
    key: &str,
) -> Option<Stored> {
    match changes.get(key) {
        Some(change) => change.as_ref().map(Stored::of),
        None => committed.get(key).cloned(),
    }
}

fn compare(compare: &Compare, kv: Option<&Stored>) -> bool {
    use std::cmp::Ordering as O;
    let ordering = match &compare.target {
        CompareTarget::ModRevision(r) => kv.map_or(0, |kv| kv.mod_revision).cmp(r),
        CompareTarget::CreateRevision(r) => kv.map_or(0, |kv| kv.create_revision).cmp(r),
        CompareTarget::Version(v) => kv.map_or(0, |kv| kv.version).cmp(v),
        CompareTarget::Value(value) => match kv {
            // A missing key has no value: only "not equal" holds.
            None => return compare.op == CompareOp::NotEqual,
            Some(kv) => kv.value.as_ref().cmp(value.as_ref()),
        },
    };
    match compare.op {
        CompareOp::Equal => ordering == O::Equal,
        CompareOp::NotEqual => ordering != O::Equal,
        CompareOp::Less => ordering == O::Less,
        CompareOp::Greater => ordering == O::Greater,
    }
}

struct EngineWatch {
    shared: Arc<Shared>,
    revisions: watch::Receiver<Revision>,
    prefix: String,
    after: Revision,
}

#[async_trait::async_trait]
impl WatchSource for EngineWatch {
    async fn next(&mut self) -> Result<Vec<Event>, StoreError> {
        loop {
            // Mark the current revision as seen before reading the log, so a commit that
            // lands after the read wakes the wait below.
            self.revisions.borrow_and_update();
            {
                let state = self.shared.state.read();
                if self.after < state.oldest_watchable {
                    return Err(StoreError::Compacted {
                        requested: self.after,
                        oldest: state.oldest_watchable,
                    });
                }
                let start = state.log.partition_point(|e| e.kv.mod_revision <= self.after);
                let events: Vec<Event> = state
                    .log
                    .range(start..)
                    .filter(|e| e.kv.key.starts_with(&self.prefix))
                    .cloned()
                    .collect();
                self.after = state.revision;
                if !events.is_empty() {
                    return Ok(events);
                }
            }
            if self.revisions.changed().await.is_err() {
                return Err(StoreError::Closed);
            }
        }
    }
}

/// Displays an error with its whole chain of sources, for logs.
pub struct ErrorChain<'a>(pub &'a dyn std::error::Error);

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(error) = source {
            write!(f, ": {error}")?;
            source = error.source();
        }
        Ok(())
    }
}
