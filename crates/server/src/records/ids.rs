//! The names and ids records refer to each other by, each its own type, so that a task's id
//! cannot be passed where an instance's is wanted. Each is stored as its plain JSON string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub(crate) struct $name(String);

        impl $name {
            #[allow(dead_code)]
            pub(crate) fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> $name {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> $name {
                $name(value.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

id_type! {
    /// A cluster's name.
    ClusterName
}

id_type! {
    /// A task's id: 32 hex digits.
    TaskId
}

id_type! {
    /// A container instance's id: 32 hex digits.
    InstanceId
}

id_type! {
    /// A service's name, unique in its cluster.
    ServiceName
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stored_as_plain_strings_and_compare_with_them() {
        let id = TaskId::from("0123");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"0123\"");
        assert_eq!(serde_json::from_str::<TaskId>("\"0123\"").unwrap(), id);
        assert_eq!(id, "0123");
        assert_eq!(format!("{id} {id:?}"), "0123 \"0123\"");
        let mut by_id = std::collections::BTreeMap::new();
        by_id.insert(id.clone(), 1);
        assert_eq!(by_id.get("0123"), Some(&1));
    }
}
