//! The durable embedded backend: SQLite in WAL mode with `synchronous=FULL`.
//!
//! The file holds one row per key (value and revisions) and the store revision. On open every
//! row is loaded into the engine's in-memory index; afterwards SQLite is written, never read.
//! Each engine batch is one SQLite transaction, so a commit (and its fsync) covers every
//! transaction that queued while the previous commit was syncing: this is the group commit
//! that lets thousands of writes per second through a disk that syncs a few hundred times.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use bytes::Bytes;
use rusqlite::{Connection, OptionalExtension, params};

use crate::engine::{Engine, EngineOptions, Persist};
use crate::{
    KeyValue, RangeOptions, RangeResponse, Revision, Store, StoreError, StoreStats, Txn,
    TxnResponse, Watcher,
};

/// Tuning of the SQLite backend.
#[derive(Debug, Clone, Copy)]
pub struct SqliteOptions {
    /// The most transactions one durable commit may carry. 1 disables group commit.
    pub max_batch: usize,
    /// How many recent changes are kept for watchers ...
    pub history: usize,
    /// ... and how many bytes of them (keys and values) at most.
    pub history_bytes: usize,
}

impl Default for SqliteOptions {
    fn default() -> SqliteOptions {
        SqliteOptions { max_batch: 4096, history: 100_000, history_bytes: 32 << 20 }
    }
}

/// Log pages between automatic checkpoints.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 8192;

/// A durable store in one SQLite file.
pub struct SqliteStore {
    engine: Engine,
}

struct Sqlite {
    conn: Connection,
}

fn sql(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { context, source }
}

impl SqliteStore {
    /// Opens (creating if needed) the store file at `path` and loads it.
    pub fn open(path: &Path, options: SqliteOptions) -> Result<SqliteStore, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::Io { path: parent.display().to_string(), source })?;
        }
        // The store holds task definitions (environment values) and container logs: only the
        // owner may read it. SQLite creates the `-wal` and `-shm` files with the mode of the
        // database file, so the file is made owner-only before SQLite opens it, whatever the
        // umask; files left by an older start are narrowed too.
        create_private(path)?;
        let conn = Connection::open(path).map_err(sql("open"))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql("journal_mode"))?;
        for suffix in ["-wal", "-shm"] {
            let mut companion = path.as_os_str().to_owned();
            companion.push(suffix);
            narrow_if_present(Path::new(&companion))?;
        }
        // FULL in WAL mode syncs the log on every commit: a commit that returned is durable.
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql("synchronous"))?;
        // Writes update keys anywhere in the table, so the B-tree's inner pages should stay
        // cached (a few MiB at hundreds of thousands of keys), but no more: when a commit
        // splits pages, SQLite renumbers them through the lock page's number (page 262,145 with
        // 4 KiB pages), and a commit that did so scans its whole page-cache hash table, a cost
        // that grows with the cache. 8 MiB keeps that scan below what re-reading leaf pages from
        // the OS costs (measured against 2, 16 and 64 MiB with `bench e2e-launch`).
        conn.pragma_update(None, "cache_size", -8192).map_err(sql("cache_size"))?;
        // Checkpoint (copy the log back into the file, and sync it) every 8,192 pages (32 MiB)
        // of log rather than SQLite's 1,000: a task's record is rewritten a few times within
        // seconds, so a longer log carries each hot page to the file once instead of several
        // times, and the checkpoints, which run on the commit path, are fewer.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            .map_err(sql("wal_autocheckpoint"))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS kv (
                 key TEXT PRIMARY KEY NOT NULL,
                 value BLOB NOT NULL,
                 create_rev INTEGER NOT NULL,
                 mod_rev INTEGER NOT NULL,
                 version INTEGER NOT NULL
             ) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS meta (
                 name TEXT PRIMARY KEY NOT NULL,
                 value INTEGER NOT NULL
             ) WITHOUT ROWID;",
        )
        .map_err(sql("create tables"))?;
        let revision: Revision = conn
            .query_row("SELECT value FROM meta WHERE name = 'revision'", [], |row| row.get(0))
            .optional()
            .map_err(sql("read revision"))?
            .unwrap_or(0);
        let mut kvs = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare("SELECT key, value, create_rev, mod_rev, version FROM kv")
                .map_err(sql("load"))?;
            let rows = stmt
                .query_map([], |row| {
                    Ok(KeyValue {
                        key: row.get(0)?,
                        value: Bytes::from(row.get::<_, Vec<u8>>(1)?),
                        create_revision: row.get(2)?,
                        mod_revision: row.get(3)?,
                        version: row.get(4)?,
                    })
                })
                .map_err(sql("load"))?;
            for row in rows {
                let kv = row.map_err(sql("load row"))?;
                kvs.insert(kv.key.clone(), kv);
            }
        }
        tracing::info!(path = %path.display(), keys = kvs.len(), revision, "Store opened");
        let engine_options = EngineOptions {
            max_batch: options.max_batch,
            log_capacity: options.history,
            log_bytes: options.history_bytes,
        };
        let engine = Engine::start("sqlite", kvs, revision, Sqlite { conn }, engine_options);
        Ok(SqliteStore { engine })
    }
}

/// Owner-only access (`0600`) for the store's files.
const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `path` empty with mode `0600` if it does not exist; narrows it to `0600` if it does.
fn create_private(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let io = |source| StoreError::Io { path: path.display().to_string(), source };
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE_FILE_MODE)
        .open(path)
    {
        // The mode given to `open` passes through the umask, which may only narrow it; set it
        // exactly all the same.
        Ok(_) => set_private(path).map_err(io),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => narrow_if_present(path),
        Err(error) => Err(io(error)),
    }
}

/// Sets mode `0600` on `path` if it exists and has any other bits.
fn narrow_if_present(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt as _;
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.permissions().mode() & 0o777 != PRIVATE_FILE_MODE => {
            set_private(path)
                .map_err(|source| StoreError::Io { path: path.display().to_string(), source })
        }
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io { path: path.display().to_string(), source }),
    }
}

fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_FILE_MODE))
}

impl Persist for Sqlite {
    fn persist(
        &mut self,
        changes: &HashMap<String, Option<KeyValue>>,
        revision: Revision,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO kv (key, value, create_rev, mod_rev, version) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value, create_rev = excluded.create_rev,
                         mod_rev = excluded.mod_rev, version = excluded.version",
                )
                .map_err(sql("prepare upsert"))?;
            let mut delete = tx
                .prepare_cached("DELETE FROM kv WHERE key = ?1")
                .map_err(sql("prepare delete"))?;
            for (key, change) in changes {
                match change {
                    Some(kv) => {
                        upsert
                            .execute(params![
                                key,
                                kv.value.as_ref(),
                                kv.create_revision,
                                kv.mod_revision,
                                kv.version
                            ])
                            .map_err(sql("upsert"))?;
                    }
                    None => {
                        delete.execute(params![key]).map_err(sql("delete"))?;
                    }
                }
            }
            tx.execute(
                "INSERT INTO meta (name, value) VALUES ('revision', ?1)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                params![revision],
            )
            .map_err(sql("write revision"))?;
        }
        tx.commit().map_err(sql("commit"))
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
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
    use crate::{Compare, Op, conformance};

    conformance::suite!(|| async {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteOptions { history: 64, ..SqliteOptions::default() };
        let store = SqliteStore::open(&dir.path().join("store.db"), options).unwrap();
        conformance::Subject::with_guard(store, dir)
    });

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn state_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let (revision, kept) = {
            let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
            store.txn(Txn::new().then(Op::put("/a", "1")).then(Op::put("/b", "2"))).await.unwrap();
            store.txn(Txn::new().then(Op::delete("/a"))).await.unwrap();
            let r = store.txn(Txn::new().then(Op::put("/b", "3"))).await.unwrap();
            (r.revision, store.get("/b").await.unwrap().unwrap())
        };
        let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
        assert_eq!(store.revision(), revision);
        assert!(store.get("/a").await.unwrap().is_none());
        assert_eq!(store.get("/b").await.unwrap().unwrap(), kept);
        let next = store
            .txn(
                Txn::new()
                    .when(Compare::mod_revision("/b", kept.mod_revision))
                    .then(Op::put("/c", "4")),
            )
            .await
            .unwrap();
        assert!(next.succeeded);
        assert_eq!(next.revision, revision + 1);
    }

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn store_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let wal = dir.path().join("store.db-wal");
        let shm = dir.path().join("store.db-shm");
        {
            let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
            store.txn(Txn::new().then(Op::put("/a", "secret"))).await.unwrap();
            for file in [&path, &wal, &shm] {
                assert_eq!(mode(file), 0o600, "{}", file.display());
            }
        }
        // Files an older start left readable to others are narrowed on open, and so are the
        // logs SQLite creates afterwards from the database file's mode.
        use std::os::unix::fs::PermissionsExt as _;
        for file in [&path, &wal, &shm] {
            if file.exists() {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
        let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
        store.txn(Txn::new().then(Op::put("/b", "secret"))).await.unwrap();
        for file in [&path, &wal, &shm] {
            assert_eq!(mode(file), 0o600, "{} after reopening", file.display());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_commits() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(
            SqliteStore::open(&dir.path().join("s.db"), SqliteOptions::default()).unwrap(),
        );
        let mut handles = Vec::new();
        for i in 0..400 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                store.txn(Txn::new().then(Op::put(format!("/k/{i}"), "v"))).await.unwrap()
            }));
        }
        for handle in handles {
            assert!(handle.await.unwrap().succeeded);
        }
        let stats = store.stats();
        assert_eq!(stats.txns, 400);
        assert!(stats.commits < 400, "400 concurrent writes took {} commits", stats.commits);
        assert_eq!(store.range("/k/", RangeOptions::default()).await.unwrap().kvs.len(), 400);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn history_is_bounded_by_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteOptions { history_bytes: 64 * 1024, ..SqliteOptions::default() };
        let store = SqliteStore::open(&dir.path().join("s.db"), options).unwrap();
        let value = vec![b'x'; 4096];
        let first = store.txn(Txn::new().then(Op::put("/k/0", value.clone()))).await.unwrap();
        // Far fewer events than the event limit, but more bytes than the byte limit.
        for i in 1..64 {
            store.txn(Txn::new().then(Op::put(format!("/k/{i}"), value.clone()))).await.unwrap();
        }
        match store.watch("/k/", first.revision - 1) {
            Err(StoreError::Compacted { oldest, .. }) => assert!(oldest > first.revision),
            other => panic!("the oldest changes should be gone: {other:?}"),
        }
        // The recent ones are still there to follow.
        let mut watcher = store.watch("/k/", store.revision() - 2).unwrap();
        let events = watcher.next().await.unwrap();
        assert_eq!(events[0].kv.key, "/k/62");
        // A single batch over the byte limit is kept whole, so a watcher can follow it.
        let big = vec![b'y'; 128 * 1024];
        let before = store.revision();
        let mut watcher = store.watch("/k/", before).unwrap();
        store.txn(Txn::new().then(Op::put("/k/big", big.clone()))).await.unwrap();
        let events = watcher.next().await.unwrap();
        assert_eq!(events[0].kv.value.len(), big.len());
    }
}
