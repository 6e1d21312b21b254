//! Which agents are connected: the time each container instance's agent was last heard from.
//! An agent that has been silent for longer than the configured timeout is disconnected; the
//! answer is computed when asked, so no timer has to run.
//!
//! The placement planner keeps each instance's connection state between requests, so it also
//! needs the *changes*: agents heard from again after a silence (or for the first time) are
//! queued until taken, and the silent ones are found from the oldest `last seen` up, in time
//! proportional to how many there are.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

#[derive(Debug, Default)]
struct ClusterLiveness {
    last_seen: HashMap<String, Instant>,
    /// `(last seen, instance id)`, oldest first.
    by_time: BTreeSet<(Instant, String)>,
    /// Instances heard from after being silent or unknown, not yet taken.
    revived: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Liveness {
    timeout: Duration,
    clusters: Mutex<HashMap<String, ClusterLiveness>>,
}

impl Liveness {
    pub(crate) fn new(timeout: Duration) -> Liveness {
        Liveness { timeout, clusters: Mutex::new(HashMap::new()) }
    }

    /// Records that the agent of an instance was just heard from.
    pub(crate) fn touch(&self, cluster: &str, instance_id: &str) {
        let now = Instant::now();
        let mut clusters = self.clusters.lock();
        let c = match clusters.get_mut(cluster) {
            Some(c) => c,
            None => clusters.entry(cluster.to_owned()).or_default(),
        };
        match c.last_seen.get_mut(instance_id) {
            Some(seen) => {
                let previous = std::mem::replace(seen, now);
                let mut key = (previous, instance_id.to_owned());
                c.by_time.remove(&key);
                if now.duration_since(previous) > self.timeout {
                    c.revived.push(instance_id.to_owned());
                }
                key.0 = now;
                c.by_time.insert(key);
            }
            None => {
                c.last_seen.insert(instance_id.to_owned(), now);
                c.by_time.insert((now, instance_id.to_owned()));
                c.revived.push(instance_id.to_owned());
            }
        }
    }

    /// Forgets an instance (deregistered).
    pub(crate) fn forget(&self, cluster: &str, instance_id: &str) {
        let mut clusters = self.clusters.lock();
        if let Some(c) = clusters.get_mut(cluster)
            && let Some(seen) = c.last_seen.remove(instance_id)
        {
            c.by_time.remove(&(seen, instance_id.to_owned()));
        }
    }

    /// Calls `f` with a test of whether an instance of `cluster` has its agent connected, all
    /// answered at one instant under one lock (for requests that ask about many tasks).
    pub(crate) fn with_cluster<T>(
        &self,
        cluster: &str,
        f: impl FnOnce(&dyn Fn(&str) -> bool) -> T,
    ) -> T {
        let clusters = self.clusters.lock();
        let now = Instant::now();
        let c = clusters.get(cluster);
        let connected = |instance_id: &str| {
            c.and_then(|c| c.last_seen.get(instance_id))
                .is_some_and(|seen| now.saturating_duration_since(*seen) <= self.timeout)
        };
        f(&connected)
    }

    /// Whether the instance's agent was heard from within the timeout.
    pub(crate) fn connected(&self, cluster: &str, instance_id: &str) -> bool {
        self.clusters
            .lock()
            .get(cluster)
            .and_then(|c| c.last_seen.get(instance_id))
            .is_some_and(|seen| seen.elapsed() <= self.timeout)
    }

    /// How many agents, over every cluster, were heard from within the timeout.
    pub(crate) fn connected_count(&self) -> usize {
        self.clusters
            .lock()
            .values()
            .flat_map(|c| c.last_seen.values())
            .filter(|seen| seen.elapsed() <= self.timeout)
            .count()
    }

    /// The instances of `cluster` heard from again after a silence (or for the first time)
    /// since the last call.
    pub(crate) fn take_revived(&self, cluster: &str) -> Vec<String> {
        self.clusters
            .lock()
            .get_mut(cluster)
            .map(|c| std::mem::take(&mut c.revived))
            .unwrap_or_default()
    }

    /// The instances of `cluster` whose agents are silent now (known, but not heard from within
    /// the timeout).
    pub(crate) fn silent(&self, cluster: &str) -> Vec<String> {
        let now = Instant::now();
        let clusters = self.clusters.lock();
        let Some(c) = clusters.get(cluster) else {
            return Vec::new();
        };
        c.by_time
            .iter()
            .take_while(|(seen, _)| now.duration_since(*seen) > self.timeout)
            .map(|(_, id)| id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn silences_and_revivals_are_reported_once_each() {
        let liveness = Liveness::new(Duration::from_secs(30));
        liveness.touch("c", "a");
        liveness.touch("c", "b");
        assert_eq!(liveness.take_revived("c"), ["a", "b"]);
        assert!(liveness.take_revived("c").is_empty());
        assert!(liveness.connected("c", "a"));
        tokio::time::advance(Duration::from_secs(20)).await;
        liveness.touch("c", "b");
        assert!(liveness.take_revived("c").is_empty(), "b was never silent");
        tokio::time::advance(Duration::from_secs(15)).await;
        assert_eq!(liveness.silent("c"), ["a"]);
        assert!(!liveness.connected("c", "a") && liveness.connected("c", "b"));
        liveness.touch("c", "a");
        assert_eq!(liveness.take_revived("c"), ["a"]);
        assert!(liveness.silent("c").is_empty());
        liveness.forget("c", "a");
        assert!(!liveness.connected("c", "a"));
        assert!(liveness.silent("other").is_empty() && liveness.take_revived("other").is_empty());
    }
}
