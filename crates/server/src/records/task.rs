//! Tasks and RunTask client tokens.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The reason of tasks the scheduler replaces for failing health checks.
pub(crate) const HEALTH_REASON: &str = "Task failed container health checks";

/// What a task holds on its instance while it is not STOPPED.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Reservation {
    pub(crate) cpu: i64,
    pub(crate) memory: i64,
    #[serde(default)]
    pub(crate) ports_tcp: Vec<u16>,
    #[serde(default)]
    pub(crate) ports_udp: Vec<u16>,
}

/// A task as stored: the ECS shape and what Berth needs beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskRecord {
    pub(crate) cluster: String,
    pub(crate) id: String,
    /// The container instance the task was placed on.
    pub(crate) instance_id: Option<String>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    pub(crate) task: api::Task,
}

/// What a RunTask client token remembers: a fingerprint of the request and the tasks it
/// started.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenRecord {
    pub(crate) fingerprint: String,
    pub(crate) task_ids: Vec<String>,
    pub(crate) failures: Vec<api::Failure>,
    pub(crate) created_at: f64,
}

/// What every form of a task tells about where it is in its life.
pub(crate) trait TaskState {
    fn cluster(&self) -> &str;
    fn id(&self) -> &str;
    fn instance_id(&self) -> Option<&str>;
    fn reservation(&self) -> &Reservation;
    fn group(&self) -> Option<&str>;
    fn started_by(&self) -> Option<&str>;
    /// `lastStatus` (PENDING when unset).
    fn last_status(&self) -> &str;
    /// `desiredStatus` (RUNNING when unset).
    fn desired_status(&self) -> &str;

    fn is_stopped(&self) -> bool {
        self.last_status() == "STOPPED"
    }
}

impl TaskState for TaskRecord {
    fn cluster(&self) -> &str {
        &self.cluster
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }
    fn reservation(&self) -> &Reservation {
        &self.reservation
    }
    fn group(&self) -> Option<&str> {
        self.task.group.as_deref()
    }
    fn started_by(&self) -> Option<&str> {
        self.task.started_by.as_deref()
    }
    fn last_status(&self) -> &str {
        self.task.last_status.as_deref().unwrap_or("PENDING")
    }
    fn desired_status(&self) -> &str {
        self.task.desired_status.as_deref().unwrap_or("RUNNING")
    }
}

impl<T: TaskState + ?Sized> TaskState for &T {
    fn cluster(&self) -> &str {
        (**self).cluster()
    }
    fn id(&self) -> &str {
        (**self).id()
    }
    fn instance_id(&self) -> Option<&str> {
        (**self).instance_id()
    }
    fn reservation(&self) -> &Reservation {
        (**self).reservation()
    }
    fn group(&self) -> Option<&str> {
        (**self).group()
    }
    fn started_by(&self) -> Option<&str> {
        (**self).started_by()
    }
    fn last_status(&self) -> &str {
        (**self).last_status()
    }
    fn desired_status(&self) -> &str {
        (**self).desired_status()
    }
}

impl<T: TaskState> TaskState for Arc<T> {
    fn cluster(&self) -> &str {
        (**self).cluster()
    }
    fn id(&self) -> &str {
        (**self).id()
    }
    fn instance_id(&self) -> Option<&str> {
        (**self).instance_id()
    }
    fn reservation(&self) -> &Reservation {
        (**self).reservation()
    }
    fn group(&self) -> Option<&str> {
        (**self).group()
    }
    fn started_by(&self) -> Option<&str> {
        (**self).started_by()
    }
    fn last_status(&self) -> &str {
        (**self).last_status()
    }
    fn desired_status(&self) -> &str {
        (**self).desired_status()
    }
}
