//! A string that must never be printed: secret access keys and session tokens.
//!
//! `Secret` has a redacted `Debug` and no `Display`, so `{:?}` of a whole config (or a `tracing`
//! field holding one) never shows the value. Reading it takes an explicit [`Secret::expose`].

use std::fmt;

use serde::Deserialize;

/// A secret string. Its `Debug` output is `Secret(<redacted>)`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret value. Call sites of this function are the only places a secret is read.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let shown = format!("{secret:?} {secret:#?}");
        assert!(!shown.contains("wJalr"), "{shown}");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(secret.expose(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }
}
