//! Berth's state store: a revisioned key-value store with etcd's semantics.
//!
//! Every successful write transaction gets the next store revision; each key remembers the
//! revision that created it and the one that last modified it. Writers use compare-and-swap
//! transactions (`Txn`) to apply a decision only if what they read is still current, and
//! readers can watch a key prefix from a revision to follow every change in order. These are
//! exactly etcd's primitives, so an etcd backend can serve the same callers unchanged.
//!
//! Backends:
//! - [`MemoryStore`]: everything in memory, for tests and simulations.
//! - [`SqliteStore`]: durable; a single writer thread group-commits queued transactions into
//!   one SQLite (WAL, `synchronous=FULL`) transaction, so a write is acknowledged only once it
//!   is on disk, yet thousands of writes per second cost only hundreds of fsyncs.
//!
//! Both keep every key in memory, so reads never touch the disk. The [`conformance`] module is
//! the behaviour every backend must show; each backend's tests run it.

mod engine;
mod memory;
mod sqlite;

pub mod conformance;

use std::fmt;

use bytes::Bytes;

pub use engine::ErrorChain;
pub use memory::MemoryStore;
pub use sqlite::{SqliteOptions, SqliteStore};

/// A store revision. Revision 0 means "before anything was written".
pub type Revision = i64;

/// A stored key with its value and revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: Bytes,
    /// The revision of the transaction that created the key (since its last deletion).
    pub create_revision: Revision,
    /// The revision of the transaction that last wrote the key.
    pub mod_revision: Revision,
    /// How many times the key was written since it was created (1 after creation).
    pub version: i64,
}

/// Which attribute of a key a comparison reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareTarget {
    /// The key's `mod_revision`; 0 when the key does not exist.
    ModRevision(Revision),
    /// The key's `create_revision`; 0 when the key does not exist.
    CreateRevision(Revision),
    /// The key's `version`; 0 when the key does not exist.
    Version(i64),
    /// The key's value; a missing key never equals any value.
    Value(Bytes),
}

/// How a comparison relates the key's attribute to the given one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Equal,
    NotEqual,
    Less,
    Greater,
}

/// One condition of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub key: String,
    pub op: CompareOp,
    pub target: CompareTarget,
}

impl Compare {
    /// The key was last modified at `revision` (0: the key does not exist).
    pub fn mod_revision(key: impl Into<String>, revision: Revision) -> Compare {
        Compare {
            key: key.into(),
            op: CompareOp::Equal,
            target: CompareTarget::ModRevision(revision),
        }
    }

    /// The key does not exist.
    pub fn absent(key: impl Into<String>) -> Compare {
        Compare::mod_revision(key, 0)
    }

    /// The key exists.
    pub fn exists(key: impl Into<String>) -> Compare {
        Compare { key: key.into(), op: CompareOp::Greater, target: CompareTarget::Version(0) }
    }

    /// The key holds exactly `value`.
    pub fn value(key: impl Into<String>, value: impl Into<Bytes>) -> Compare {
        Compare {
            key: key.into(),
            op: CompareOp::Equal,
            target: CompareTarget::Value(value.into()),
        }
    }
}

/// A write inside a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Put { key: String, value: Bytes },
    Delete { key: String },
}

impl Op {
    pub fn put(key: impl Into<String>, value: impl Into<Bytes>) -> Op {
        Op::Put { key: key.into(), value: value.into() }
    }

    pub fn delete(key: impl Into<String>) -> Op {
        Op::Delete { key: key.into() }
    }

    pub fn key(&self) -> &str {
        match self {
            Op::Put { key, .. } | Op::Delete { key } => key,
        }
    }
}

/// A transaction: if every comparison holds, apply every operation atomically under one new
/// revision; otherwise change nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Txn {
    pub compares: Vec<Compare>,
    pub ops: Vec<Op>,
}

impl Txn {
    pub fn new() -> Txn {
        Txn::default()
    }

    pub fn when(mut self, compare: Compare) -> Txn {
        self.compares.push(compare);
        self
    }

    pub fn then(mut self, op: Op) -> Txn {
        self.ops.push(op);
        self
    }
}

/// The outcome of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxnResponse {
    /// Whether the comparisons held and the operations were applied.
    pub succeeded: bool,
    /// The store revision after the transaction: the new revision if it succeeded (and wrote
    /// something), otherwise the revision the comparisons were evaluated at.
    pub revision: Revision,
}

/// Options for a prefix range read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeOptions {
    /// Only keys strictly greater than this one (for pagination).
    pub start_after: Option<String>,
    /// At most this many keys.
    pub limit: Option<usize>,
}

/// The result of a range read: the keys in order, and the revision they were read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeResponse {
    pub kvs: Vec<KeyValue>,
    pub revision: Revision,
    /// Whether more keys matched than `limit` allowed.
    pub more: bool,
}

/// What happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Put,
    Delete,
}

/// One change seen by a watcher. For a deletion, `kv.value` is empty and `kv.mod_revision`
/// is the revision of the deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub kv: KeyValue,
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The watch start revision is older than the history the store still holds; the
    /// watcher must read the current state again and watch from its revision.
    #[error("revision {requested} has been compacted; the oldest watchable revision is {oldest}")]
    Compacted { requested: Revision, oldest: Revision },
    /// The durable commit of the batch carrying this transaction failed; nothing of the
    /// batch was applied. The text is the underlying error's chain.
    #[error("the commit failed: {0}")]
    CommitFailed(String),
    #[error("the store is closed")]
    Closed,
    #[error("SQLite operation `{context}` failed")]
    Sqlite {
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("I/O on `{path}` failed")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Statistics of a store's writer, for benchmarks and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Transactions received (successful or not).
    pub txns: u64,
    /// Durable commits (batches) performed.
    pub commits: u64,
}

/// The store abstraction every backend implements.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Reads one key.
    async fn get(&self, key: &str) -> Result<Option<KeyValue>, StoreError>;

    /// Reads the keys that start with `prefix`, in key order.
    async fn range(&self, prefix: &str, options: RangeOptions)
    -> Result<RangeResponse, StoreError>;

    /// Applies a transaction. Returns once the outcome is durable.
    async fn txn(&self, txn: Txn) -> Result<TxnResponse, StoreError>;

    /// The latest committed revision.
    fn revision(&self) -> Revision;

    /// Follows every change to keys under `prefix` made after revision `after`.
    fn watch(&self, prefix: &str, after: Revision) -> Result<Watcher, StoreError>;

    /// Writer statistics.
    fn stats(&self) -> StoreStats;
}

/// A stream of changes under a prefix, in revision order.
pub struct Watcher {
    inner: Box<dyn WatchSource>,
}

impl Watcher {
    pub(crate) fn new(inner: Box<dyn WatchSource>) -> Watcher {
        Watcher { inner }
    }

    /// Waits for the next changes. Each call returns at least one event, all events of one
    /// revision together, in revision order.
    pub async fn next(&mut self) -> Result<Vec<Event>, StoreError> {
        self.inner.next().await
    }
}

impl fmt::Debug for Watcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watcher").finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
pub(crate) trait WatchSource: Send {
    async fn next(&mut self) -> Result<Vec<Event>, StoreError>;
}
