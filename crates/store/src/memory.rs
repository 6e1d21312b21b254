//! The in-memory backend: the shared engine with nothing to persist. For tests and for
//! simulations where durability is not the point.

use std::collections::{BTreeMap, HashMap};

use crate::engine::{Engine, EngineOptions, Persist};
use crate::{
    KeyValue, RangeOptions, RangeResponse, Revision, Store, StoreError, StoreStats, Txn,
    TxnResponse, Watcher,
};

/// A store that lives only in memory.
pub struct MemoryStore {
    engine: Engine,
}

struct Nothing;

impl Persist for Nothing {
    fn persist(
        &mut self,
        _changes: &HashMap<String, Option<KeyValue>>,
        _revision: Revision,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::with_history(100_000)
    }

    /// A store that keeps the last `events` changes for watchers.
    pub fn with_history(events: usize) -> MemoryStore {
        let options = EngineOptions { max_batch: 4096, log_capacity: events, log_bytes: 32 << 20 };
        MemoryStore { engine: Engine::start("memory", BTreeMap::new(), 0, Nothing, options) }
    }
}

impl Default for MemoryStore {
    fn default() -> MemoryStore {
        MemoryStore::new()
    }
}

#[async_trait::async_trait]
impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<KeyValue>, StoreError> {
        Ok(self.engine.get(key))
    }

    async fn range(
        &self,
        prefix: &str,
        options: RangeOptions,
    ) -> Result<RangeResponse, StoreError> {
        Ok(self.engine.range(prefix, &options))
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, StoreError> {
        self.engine.txn(txn).await
    }

    fn revision(&self) -> Revision {
        self.engine.revision()
    }

    fn watch(&self, prefix: &str, after: Revision) -> Result<Watcher, StoreError> {
        self.engine.watch(prefix, after)
    }

    fn stats(&self) -> StoreStats {
        self.engine.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance;

    conformance::suite!(|| async { conformance::Subject::new(MemoryStore::with_history(64)) });
}
