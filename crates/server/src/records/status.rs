//! The states of tasks, container instances, services and deployments, as Berth decides on
//! them. Each serializes as the ECS name (`"RUNNING"`, `"IN_PROGRESS"`, ...), so records keep
//! the JSON they always had and the wire shows what ECS shows.
//!
//! Reading is lenient where records of an older Berth may hold a name ECS does not define
//! (agents could once report any task status): such a name reads as the state ECS would treat
//! it as (see each type's `from_name`), never as a failure to load the store.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a status enum: its variants and ECS names, `as_str`, `parse`, `Display`, and serde
/// as the name, reading an unknown name as `$fallback`.
macro_rules! status {
    (
        $(#[$doc:meta])*
        $name:ident, fallback $fallback:ident $(, default $default:ident)? {
            $($(#[$vdoc:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every state, in declaration order.
            #[allow(dead_code)]
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The ECS name.
            pub(crate) const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The state an ECS name names, if it names one.
            pub(crate) fn parse(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// The state a stored name stands for: the one it names, else the fallback.
            pub(crate) fn from_name(name: &str) -> $name {
                $name::parse(name).unwrap_or($name::$fallback)
            }
        }

        $(
            impl Default for $name {
                fn default() -> $name {
                    $name::$default
                }
            }
        )?

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::from_name(&name))
            }
        }
    };
}

status! {
    /// A task's `lastStatus`, in the order ECS moves a task through them: a task never moves
    /// backwards, so the order is the lifecycle (`Ord`). An unknown name reads as PENDING, where
    /// ECS's ordering puts it.
    TaskStatus, fallback Pending, default Pending {
        Provisioning = "PROVISIONING",
        Pending = "PENDING",
        Activating = "ACTIVATING",
        Running = "RUNNING",
        Deactivating = "DEACTIVATING",
        Stopping = "STOPPING",
        Deprovisioning = "DEPROVISIONING",
        Stopped = "STOPPED",
    }
}

impl TaskStatus {
    /// Whether the task counts as pending in a cluster's or service's counts.
    pub(crate) fn is_pending(self) -> bool {
        matches!(self, TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating)
    }
}

status! {
    /// A task's `desiredStatus`. An unknown or missing name reads as RUNNING.
    DesiredStatus, fallback Running, default Running {
        Pending = "PENDING",
        Running = "RUNNING",
        Stopped = "STOPPED",
    }
}

status! {
    /// A container's `lastStatus`, in lifecycle order. An unknown name reads as PENDING.
    ContainerStatus, fallback Pending {
        Pending = "PENDING",
        Running = "RUNNING",
        Stopped = "STOPPED",
    }
}

status! {
    /// A container instance's `status`. An unknown name reads as INACTIVE: nothing is placed on
    /// an instance in a state Berth does not know. A record without one is one registration
    /// wrote: ACTIVE.
    InstanceStatus, fallback Inactive, default Active {
        Registering = "REGISTERING",
        RegistrationFailed = "REGISTRATION_FAILED",
        Active = "ACTIVE",
        Draining = "DRAINING",
        Deregistering = "DEREGISTERING",
        Inactive = "INACTIVE",
    }
}

status! {
    /// A service's `status`. An unknown name reads as ACTIVE, as a missing one does.
    ServiceStatus, fallback Active, default Active {
        Active = "ACTIVE",
        Draining = "DRAINING",
        Inactive = "INACTIVE",
    }
}

status! {
    /// A deployment's `status`. An unknown name reads as INACTIVE.
    DeploymentStatus, fallback Inactive {
        Primary = "PRIMARY",
        Active = "ACTIVE",
        Inactive = "INACTIVE",
    }
}

status! {
    /// A task set's `status` (EXTERNAL deployment controller). An unknown name reads as
    /// ACTIVE.
    TaskSetStatus, fallback Active {
        Primary = "PRIMARY",
        Active = "ACTIVE",
        Draining = "DRAINING",
    }
}

status! {
    /// A deployment's `rolloutState`. An unknown name reads as IN_PROGRESS.
    RolloutState, fallback InProgress {
        InProgress = "IN_PROGRESS",
        Completed = "COMPLETED",
        Failed = "FAILED",
    }
}

/// Why a task was asked to stop, as Berth decided it (the ECS `stopCode` and `stoppedReason`
/// are what a person reads; this is what the control plane reads back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum StopCause {
    /// StopTask.
    User,
    /// The service scheduler: fewer tasks wanted, or an old deployment replaced.
    ServiceScaling,
    /// The service scheduler replaced it for failing its health checks.
    ServiceUnhealthy,
    /// The service scheduler moved it off a draining instance.
    ServiceDraining,
    /// Its service was deleted.
    ServiceDeleted,
    /// Its Fargate Spot capacity was reclaimed.
    SpotInterruption,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_and_write_their_ecs_names() {
        for status in TaskStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(serde_json::from_str::<TaskStatus>(&json).unwrap(), *status);
        }
        for status in InstanceStatus::ALL {
            assert_eq!(InstanceStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(RolloutState::InProgress.as_str(), "IN_PROGRESS");
        assert_eq!(InstanceStatus::RegistrationFailed.to_string(), "REGISTRATION_FAILED");
    }

    #[test]
    fn task_states_order_as_the_lifecycle() {
        assert!(TaskStatus::Provisioning < TaskStatus::Pending);
        assert!(TaskStatus::Running < TaskStatus::Stopping);
        assert!(TaskStatus::Deprovisioning < TaskStatus::Stopped);
        assert!(ContainerStatus::Running < ContainerStatus::Stopped);
    }

    #[test]
    fn unknown_names_read_as_their_fallback() {
        assert_eq!(serde_json::from_str::<TaskStatus>("\"PAUSED\"").unwrap(), TaskStatus::Pending);
        assert_eq!(TaskStatus::parse("PAUSED"), None);
        assert_eq!(DesiredStatus::from_name("?"), DesiredStatus::Running);
        assert_eq!(InstanceStatus::from_name("?"), InstanceStatus::Inactive);
        assert_eq!(RolloutState::from_name("?"), RolloutState::InProgress);
    }
}
