//! Which agents are connected: the time each container instance's agent was last heard from.
//! An agent that has been silent for longer than the configured timeout is disconnected; the
//! answer is computed when asked, so no timer has to run.

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

#[derive(Debug, Default)]
pub(crate) struct Liveness {
    last_seen: Mutex<HashMap<(String, String), Instant>>,
}

impl Liveness {
    /// Records that the agent of an instance was just heard from.
    pub(crate) fn touch(&self, cluster: &str, instance_id: &str) {
        self.last_seen.lock().insert((cluster.to_owned(), instance_id.to_owned()), Instant::now());
    }

    /// Forgets an instance (deregistered).
    pub(crate) fn forget(&self, cluster: &str, instance_id: &str) {
        self.last_seen.lock().remove(&(cluster.to_owned(), instance_id.to_owned()));
    }

    /// Whether the instance's agent was heard from within `timeout`.
    pub(crate) fn connected(&self, cluster: &str, instance_id: &str, timeout: Duration) -> bool {
        self.last_seen
            .lock()
            .get(&(cluster.to_owned(), instance_id.to_owned()))
            .is_some_and(|seen| seen.elapsed() <= timeout)
    }
}
