//! The error every refusal of this crate becomes: an AWS error code, its HTTP status and the
//! message AWS prints, so the server writes it out unchanged.
//!
//! The statuses follow the `api` crate's `ErrorCode::status` (a test checks they agree):
//! missing, unknown or mis-signed credentials are 403; malformed signatures, denied actions and
//! throttling are 400, as ECS documents them.

/// A refused request: `code` goes to `__type` and `X-Amzn-Errortype`, `message` to `message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AuthError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

impl AuthError {
    pub const MISSING_AUTHENTICATION_TOKEN: &'static str = "MissingAuthenticationTokenException";
    pub const INCOMPLETE_SIGNATURE: &'static str = "IncompleteSignatureException";
    pub const UNRECOGNIZED_CLIENT: &'static str = "UnrecognizedClientException";
    pub const INVALID_SIGNATURE: &'static str = "InvalidSignatureException";
    pub const ACCESS_DENIED: &'static str = "AccessDeniedException";
    pub const THROTTLING: &'static str = "ThrottlingException";

    /// No `Authorization` header at all.
    pub(crate) fn missing_authentication_token() -> AuthError {
        AuthError {
            code: Self::MISSING_AUTHENTICATION_TOKEN,
            status: 403,
            message: "Missing Authentication Token".to_owned(),
        }
    }

    /// An `Authorization` header that cannot be parsed or lacks a part.
    pub(crate) fn incomplete_signature(message: impl Into<String>) -> AuthError {
        AuthError { code: Self::INCOMPLETE_SIGNATURE, status: 400, message: message.into() }
    }

    /// An access key nobody has, or a session token that does not belong to the key.
    pub(crate) fn unrecognized_client() -> AuthError {
        AuthError {
            code: Self::UNRECOGNIZED_CLIENT,
            status: 403,
            message: "The security token included in the request is invalid.".to_owned(),
        }
    }

    /// A well-formed signature that is wrong, out of date or scoped elsewhere.
    pub(crate) fn invalid_signature(message: impl Into<String>) -> AuthError {
        AuthError { code: Self::INVALID_SIGNATURE, status: 403, message: message.into() }
    }

    /// The signature mismatch, in AWS's words.
    pub(crate) fn signature_mismatch() -> AuthError {
        AuthError::invalid_signature(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. \
             Consult the service documentation for details.",
        )
    }

    /// A call the caller's policies do not allow.
    pub(crate) fn access_denied(message: String) -> AuthError {
        AuthError { code: Self::ACCESS_DENIED, status: 400, message }
    }

    /// Too many calls in one rate-limit category.
    pub(crate) fn throttling() -> AuthError {
        AuthError { code: Self::THROTTLING, status: 400, message: "Rate exceeded".to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statuses agree with the `api` crate, which the server uses for every other error.
    #[test]
    fn statuses_agree_with_the_api_crate() {
        use api::ErrorCode;
        let pairs = [
            (
                AuthError::missing_authentication_token(),
                ErrorCode::MissingAuthenticationTokenException,
            ),
            (AuthError::incomplete_signature("x"), ErrorCode::IncompleteSignatureException),
            (AuthError::unrecognized_client(), ErrorCode::UnrecognizedClientException),
            (AuthError::invalid_signature("x"), ErrorCode::InvalidSignatureException),
            (AuthError::access_denied("x".to_owned()), ErrorCode::AccessDeniedException),
            (AuthError::throttling(), ErrorCode::ThrottlingException),
        ];
        for (error, code) in pairs {
            assert_eq!(error.code, code.as_str());
            assert_eq!(error.status, code.status(), "{}", error.code);
        }
    }
}
