//! Crash safety: many concurrent writers, `kill -9` of the server mid-stream, restart on the
//! same data. Every write that was answered 200 must be there afterwards, and the store must
//! keep working (revision numbers continue, nothing is reused).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::common::Server;

#[derive(Default)]
struct Acknowledged {
    clusters: Vec<String>,
    revisions: Vec<(String, i64)>,
}

async fn write_until_killed(endpoint: String, writer: usize, acked: Arc<Mutex<Acknowledged>>) {
    let raw = crate::common::Server::raw_for(&endpoint);
    for i in 0.. {
        let response = if i % 2 == 0 {
            let name = format!("crash-{writer}-{i}");
            let r = raw.try_op("CreateCluster", json!({"clusterName": name})).await;
            if r.as_ref().is_some_and(|r| r.status == 200) {
                acked.lock().unwrap().clusters.push(name);
            }
            r
        } else {
            let family = format!("crash-{writer}");
            let body = json!({"family": family, "containerDefinitions": [{"name": "a", "image": "busybox", "memory": 16, "environment": [{"name": "I", "value": i.to_string()}]}]});
            let r = raw.try_op("RegisterTaskDefinition", body).await;
            if let Some(r) = r.as_ref().filter(|r| r.status == 200) {
                let revision = r.body["taskDefinition"]["revision"].as_i64().unwrap();
                acked.lock().unwrap().revisions.push((family, revision));
            }
            r
        };
        match response {
            Some(r) if r.status == 200 => {}
            Some(r) => panic!("unexpected refusal before the crash: {r:?}"),
            None => return, // The server is gone.
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let mut server = Server::start();
    let mut total_clusters = 0;
    for round in 0..3 {
        let acked = Arc::new(Mutex::new(Acknowledged::default()));
        let writers: Vec<_> = (0..32)
            .map(|w| {
                tokio::spawn(write_until_killed(
                    server.endpoint.clone(),
                    round * 100 + w,
                    acked.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(700 + 300 * round as u64)).await;
        // Kill first and let every writer notice, so none of them writes to the new process.
        server.kill9();
        for writer in writers {
            writer.await.unwrap();
        }
        server.restart();
        let acked = std::mem::take(&mut *acked.lock().unwrap());
        assert!(
            acked.clusters.len() > 20,
            "round {round}: only {} clusters acknowledged",
            acked.clusters.len()
        );
        assert!(!acked.revisions.is_empty());

        let raw = server.raw();
        for chunk in acked.clusters.chunks(100) {
            let described = raw.op("DescribeClusters", json!({"clusters": chunk})).await;
            assert_eq!(described.status, 200);
            assert_eq!(
                described.body["failures"],
                json!([]),
                "round {round}: acknowledged clusters are missing"
            );
            for cluster in described.body["clusters"].as_array().unwrap() {
                assert_eq!(cluster["status"], "ACTIVE");
            }
        }
        let mut highest = std::collections::BTreeMap::new();
        for (family, revision) in &acked.revisions {
            let described = raw
                .op(
                    "DescribeTaskDefinition",
                    json!({"taskDefinition": format!("{family}:{revision}")}),
                )
                .await;
            assert_eq!(described.status, 200, "round {round}: {family}:{revision} is missing");
            let entry = highest.entry(family.clone()).or_insert(0);
            *entry = (*entry).max(*revision);
        }
        // Revisions continue after the last acknowledged one: none is reused.
        for (family, last) in highest {
            let next = raw
                .op("RegisterTaskDefinition", json!({"family": family, "containerDefinitions": [{"name": "a", "image": "busybox", "memory": 16}]}))
                .await;
            assert!(next.body["taskDefinition"]["revision"].as_i64().unwrap() > last);
        }
        total_clusters += acked.clusters.len();
        let mut listed = 0;
        let mut token = None;
        loop {
            let mut body = json!({"maxResults": 100});
            if let Some(t) = &token {
                body["nextToken"] = json!(t);
            }
            let page = raw.op("ListClusters", body).await;
            listed += page.body["clusterArns"].as_array().unwrap().len();
            match page.body.get("nextToken").and_then(|t| t.as_str()) {
                Some(t) => token = Some(t.to_owned()),
                None => break,
            }
        }
        assert!(
            listed >= total_clusters,
            "the store lists {listed} clusters, {total_clusters} were acknowledged"
        );
    }
}
