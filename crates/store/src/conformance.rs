//! The behaviour every store backend must show, written once and run against each backend.
//!
//! A backend's tests invoke [`suite!`] with a factory that returns a fresh [`Subject`]; the
//! macro expands into one `#[tokio::test]` per check below. The checks are public so that a
//! backend living elsewhere (an etcd backend behind a feature, say) can run them too.

use std::any::Any;
use std::sync::Arc;

use bytes::Bytes;

use crate::{
    Compare, CompareOp, CompareTarget, EventKind, Op, RangeOptions, Store, StoreError, Txn,
};

/// A store under test, and whatever must live as long as it (a temporary directory).
pub struct Subject {
    pub store: Arc<dyn Store>,
    pub guard: Box<dyn Any + Send>,
}

impl Subject {
    pub fn new(store: impl Store) -> Subject {
        Subject { store: Arc::new(store), guard: Box::new(()) }
    }

    pub fn with_guard(store: impl Store, guard: impl Any + Send) -> Subject {
        Subject { store: Arc::new(store), guard: Box::new(guard) }
    }
}

/// Expands into one test per conformance check, each on a fresh store from `$factory`
/// (an expression returning a future of a [`Subject`]).
#[macro_export]
macro_rules! conformance_suite {
    ($factory:expr) => {
        $crate::conformance_suite!(@tests $factory;
            put_and_get_track_revisions,
            failed_comparisons_change_nothing,
            comparisons_cover_every_target,
            deletes_and_recreation,
            range_reads_in_key_order_with_pages,
            transactions_are_atomic,
            watch_replays_and_follows_changes,
            watch_from_a_compacted_revision_fails,
            concurrent_cas_loses_no_update,
            racing_creates_have_one_winner,
        );
    };
    (@tests $factory:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let subject: $crate::conformance::Subject = ($factory)().await;
                $crate::conformance::$name(subject.store.clone()).await;
                drop(subject);
            }
        )*
    };
}
pub use conformance_suite as suite;

fn b(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}

pub async fn put_and_get_track_revisions(store: Arc<dyn Store>) {
    let start = store.revision();
    assert!(store.get("/a").await.unwrap().is_none());
    let r1 = store.txn(Txn::new().then(Op::put("/a", "1"))).await.unwrap();
    assert!(r1.succeeded);
    assert_eq!(r1.revision, start + 1);
    let kv = store.get("/a").await.unwrap().unwrap();
    assert_eq!(
        (kv.value.as_ref(), kv.create_revision, kv.mod_revision, kv.version),
        (&b"1"[..], start + 1, start + 1, 1)
    );
    let r2 = store.txn(Txn::new().then(Op::put("/a", "2"))).await.unwrap();
    assert_eq!(r2.revision, start + 2);
    let kv = store.get("/a").await.unwrap().unwrap();
    assert_eq!(
        (kv.value.as_ref(), kv.create_revision, kv.mod_revision, kv.version),
        (&b"2"[..], start + 1, start + 2, 2)
    );
    assert_eq!(store.revision(), start + 2);
}

pub async fn failed_comparisons_change_nothing(store: Arc<dyn Store>) {
    store.txn(Txn::new().then(Op::put("/k", "v"))).await.unwrap();
    let before = store.revision();
    let res = store
        .txn(
            Txn::new()
                .when(Compare::absent("/k"))
                .then(Op::put("/k", "other"))
                .then(Op::put("/j", "x")),
        )
        .await
        .unwrap();
    assert!(!res.succeeded);
    assert_eq!(res.revision, before);
    assert_eq!(store.revision(), before);
    assert_eq!(store.get("/k").await.unwrap().unwrap().value, b("v"));
    assert!(store.get("/j").await.unwrap().is_none());
}

pub async fn comparisons_cover_every_target(store: Arc<dyn Store>) {
    let created = store.txn(Txn::new().then(Op::put("/c", "v1"))).await.unwrap().revision;
    let modified = store.txn(Txn::new().then(Op::put("/c", "v2"))).await.unwrap().revision;
    let holds = |c: Compare| {
        let store = store.clone();
        async move { store.txn(Txn::new().when(c)).await.unwrap().succeeded }
    };
    assert!(holds(Compare::mod_revision("/c", modified)).await);
    assert!(!holds(Compare::mod_revision("/c", created)).await);
    assert!(
        holds(Compare {
            key: "/c".into(),
            op: CompareOp::Equal,
            target: CompareTarget::CreateRevision(created)
        })
        .await
    );
    assert!(
        holds(Compare {
            key: "/c".into(),
            op: CompareOp::Equal,
            target: CompareTarget::Version(2)
        })
        .await
    );
    assert!(
        holds(Compare {
            key: "/c".into(),
            op: CompareOp::Less,
            target: CompareTarget::ModRevision(modified + 1)
        })
        .await
    );
    assert!(
        holds(Compare {
            key: "/c".into(),
            op: CompareOp::Greater,
            target: CompareTarget::ModRevision(created)
        })
        .await
    );
    assert!(
        holds(Compare {
            key: "/c".into(),
            op: CompareOp::NotEqual,
            target: CompareTarget::Version(1)
        })
        .await
    );
    assert!(holds(Compare::value("/c", "v2")).await);
    assert!(!holds(Compare::value("/c", "v1")).await);
    assert!(holds(Compare::exists("/c")).await);
    assert!(!holds(Compare::absent("/c")).await);
    assert!(holds(Compare::absent("/missing")).await);
    assert!(!holds(Compare::exists("/missing")).await);
    assert!(!holds(Compare::value("/missing", "")).await);
    assert!(
        holds(Compare {
            key: "/missing".into(),
            op: CompareOp::NotEqual,
            target: CompareTarget::Value(b("x"))
        })
        .await
    );
}

pub async fn deletes_and_recreation(store: Arc<dyn Store>) {
    store.txn(Txn::new().then(Op::put("/d", "1"))).await.unwrap();
    store.txn(Txn::new().then(Op::put("/d", "2"))).await.unwrap();
    let before = store.revision();
    let res = store.txn(Txn::new().then(Op::delete("/d"))).await.unwrap();
    assert_eq!(res.revision, before + 1);
    assert!(store.get("/d").await.unwrap().is_none());
    // Deleting a missing key changes nothing, so the revision stays.
    let res = store.txn(Txn::new().then(Op::delete("/d"))).await.unwrap();
    assert!(res.succeeded);
    assert_eq!(res.revision, before + 1);
    let recreated = store.txn(Txn::new().then(Op::put("/d", "3"))).await.unwrap().revision;
    let kv = store.get("/d").await.unwrap().unwrap();
    assert_eq!((kv.create_revision, kv.version), (recreated, 1));
}

pub async fn range_reads_in_key_order_with_pages(store: Arc<dyn Store>) {
    for key in ["/r/b", "/r/a", "/r/c", "/q/x", "/s/y", "/r/d"] {
        store.txn(Txn::new().then(Op::put(key, key))).await.unwrap();
    }
    let all = store.range("/r/", RangeOptions::default()).await.unwrap();
    let keys: Vec<_> = all.kvs.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(keys, ["/r/a", "/r/b", "/r/c", "/r/d"]);
    assert!(!all.more);
    assert_eq!(all.revision, store.revision());
    let page =
        store.range("/r/", RangeOptions { start_after: None, limit: Some(3) }).await.unwrap();
    assert_eq!(page.kvs.len(), 3);
    assert!(page.more);
    let rest = store
        .range("/r/", RangeOptions { start_after: Some(page.kvs[2].key.clone()), limit: Some(3) })
        .await
        .unwrap();
    let keys: Vec<_> = rest.kvs.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(keys, ["/r/d"]);
    assert!(!rest.more);
    let exact =
        store.range("/r/", RangeOptions { start_after: None, limit: Some(4) }).await.unwrap();
    assert!(!exact.more, "no key is left after the fourth");
    assert!(store.range("/none/", RangeOptions::default()).await.unwrap().kvs.is_empty());
}

pub async fn transactions_are_atomic(store: Arc<dyn Store>) {
    let res = store
        .txn(
            Txn::new()
                .when(Compare::absent("/t/1"))
                .then(Op::put("/t/1", "a"))
                .then(Op::put("/t/2", "b")),
        )
        .await
        .unwrap();
    assert!(res.succeeded);
    let one = store.get("/t/1").await.unwrap().unwrap();
    let two = store.get("/t/2").await.unwrap().unwrap();
    assert_eq!(one.mod_revision, res.revision);
    assert_eq!(two.mod_revision, res.revision);
    let res = store
        .txn(
            Txn::new()
                .when(Compare::mod_revision("/t/1", one.mod_revision))
                .then(Op::delete("/t/1"))
                .then(Op::put("/t/3", "c")),
        )
        .await
        .unwrap();
    assert!(res.succeeded);
    assert!(store.get("/t/1").await.unwrap().is_none());
    assert_eq!(store.get("/t/3").await.unwrap().unwrap().mod_revision, res.revision);
}

pub async fn watch_replays_and_follows_changes(store: Arc<dyn Store>) {
    let start = store.revision();
    store.txn(Txn::new().then(Op::put("/w/a", "1"))).await.unwrap();
    store.txn(Txn::new().then(Op::put("/other", "x"))).await.unwrap();
    let mut watcher = store.watch("/w/", start).unwrap();
    let events = watcher.next().await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].kind, events[0].kv.key.as_str()), (EventKind::Put, "/w/a"));

    let writer = store.clone();
    let handle = tokio::spawn(async move {
        writer.txn(Txn::new().then(Op::put("/w/b", "2")).then(Op::delete("/w/a"))).await.unwrap()
    });
    let events = tokio::time::timeout(std::time::Duration::from_secs(10), watcher.next())
        .await
        .unwrap()
        .unwrap();
    let rev = handle.await.unwrap().revision;
    let seen: Vec<_> =
        events.iter().map(|e| (e.kind, e.kv.key.as_str(), e.kv.mod_revision)).collect();
    assert_eq!(seen, [(EventKind::Put, "/w/b", rev), (EventKind::Delete, "/w/a", rev)]);
}

pub async fn watch_from_a_compacted_revision_fails(store: Arc<dyn Store>) {
    let start = store.revision();
    // The backends under test keep a bounded history (64 events in the suite's factories).
    for i in 0..200 {
        store.txn(Txn::new().then(Op::put(format!("/h/{i}"), "v"))).await.unwrap();
    }
    match store.watch("/h/", start) {
        Err(StoreError::Compacted { requested, oldest }) => {
            assert_eq!(requested, start);
            assert!(oldest > start);
            let mut watcher = store.watch("/h/", oldest).unwrap();
            let events = watcher.next().await.unwrap();
            assert!(events.iter().all(|e| e.kv.mod_revision > oldest));
        }
        other => panic!("expected Compacted, got {other:?}"),
    }
}

pub async fn concurrent_cas_loses_no_update(store: Arc<dyn Store>) {
    store.txn(Txn::new().then(Op::put("/counter", "0"))).await.unwrap();
    let mut handles = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..25 {
                loop {
                    let kv = store.get("/counter").await.unwrap().unwrap();
                    let n: u64 = std::str::from_utf8(&kv.value).unwrap().parse().unwrap();
                    let txn = Txn::new()
                        .when(Compare::mod_revision("/counter", kv.mod_revision))
                        .then(Op::put("/counter", (n + 1).to_string()));
                    if store.txn(txn).await.unwrap().succeeded {
                        break;
                    }
                }
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    assert_eq!(store.get("/counter").await.unwrap().unwrap().value, b("200"));
}

pub async fn racing_creates_have_one_winner(store: Arc<dyn Store>) {
    let mut handles = Vec::new();
    for i in 0..32 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .txn(
                    Txn::new().when(Compare::absent("/race")).then(Op::put("/race", i.to_string())),
                )
                .await
                .unwrap()
                .succeeded
        }));
    }
    let mut winners = 0;
    for handle in handles {
        winners += usize::from(handle.await.unwrap());
    }
    assert_eq!(winners, 1);
    assert_eq!(store.get("/race").await.unwrap().unwrap().version, 1);
}
