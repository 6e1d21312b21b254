//! ECS exception codes and the error value every operation returns.
//!
//! Each code knows its HTTP status. Clients read the code from the `X-Amzn-Errortype` header
//! (smithy SDKs) or the body's `__type` (botocore), so the server sends both.

use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $code:ident,)*) => {
        /// The exception names Berth returns: the ECS model's exceptions plus the common AWS
        /// ones (authentication, throttling, protocol errors).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[$doc])* $code,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$code,)*];

            /// The name clients read, in `__type` and `X-Amzn-Errortype`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$code => stringify!($code),)*
                }
            }
        }
    };
}

codes! {
    // The exceptions of the ECS model (its `EXCEPTIONS`; a test checks both lists agree).
    AccessDeniedException,
    AttributeLimitExceededException,
    BlockedException,
    ClientException,
    ClusterContainsCapacityProviderException,
    ClusterContainsContainerInstancesException,
    ClusterContainsServicesException,
    ClusterContainsTasksException,
    ClusterNotFoundException,
    ConflictException,
    DaemonNotActiveException,
    DaemonNotFoundException,
    InvalidParameterException,
    LimitExceededException,
    MissingVersionException,
    NamespaceNotFoundException,
    NoUpdateAvailableException,
    PlatformTaskDefinitionIncompatibilityException,
    PlatformUnknownException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServerException,
    ServiceDeploymentNotFoundException,
    ServiceNotActiveException,
    ServiceNotFoundException,
    TargetNotConnectedException,
    TargetNotFoundException,
    TaskSetNotFoundException,
    UnsupportedFeatureException,
    UpdateInProgressException,
    // Common AWS errors, outside the ECS model.
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
    SerializationException,
    ThrottlingException,
    UnknownOperationException,
    /// A body over the size the server accepts (413).
    RequestEntityTooLargeException,
    /// A body that did not arrive in time (408).
    RequestTimeoutException,
}

impl ErrorCode {
    /// The codes any ECS operation may answer besides those the model lists for it: AWS's
    /// common errors for JSON services, as Berth's access control gives them (a missing,
    /// malformed, unknown or wrong signature; a policy's denial; a throttled call). A handler
    /// may answer `ThrottlingException` too, when its writes keep losing to concurrent ones.
    /// (`AccessDeniedException` is also in every operation's model list.)
    pub const COMMON: &'static [ErrorCode] = &[
        Self::AccessDeniedException,
        Self::IncompleteSignatureException,
        Self::InvalidSignatureException,
        Self::MissingAuthenticationTokenException,
        Self::ThrottlingException,
        Self::UnrecognizedClientException,
    ];

    /// Codes of the protocol, answered before an operation's handler runs and for any
    /// operation: a body too large (413) or too slow (408), a body that is not a JSON object,
    /// a target that names no operation, and an operation of the model that Berth does not
    /// serve (`UnsupportedFeatureException`, whether or not the model lists it for that
    /// operation). A handler never answers these unless the model lists them for its operation.
    pub const PROTOCOL: &'static [ErrorCode] = &[
        Self::RequestEntityTooLargeException,
        Self::RequestTimeoutException,
        Self::SerializationException,
        Self::UnknownOperationException,
        Self::UnsupportedFeatureException,
    ];

    /// The code named `name`, if Berth has it.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        Self::ALL.iter().copied().find(|code| code.as_str() == name)
    }

    /// The HTTP status AWS uses for this error: the model's client errors are 400, its one
    /// fault (`ServerException`) is 500, missing or unknown credentials are 403, a body too
    /// large 413 and one too slow 408.
    pub fn status(self) -> u16 {
        match self {
            Self::ServerException => 500,
            Self::MissingAuthenticationTokenException
            | Self::UnrecognizedClientException
            | Self::InvalidSignatureException => 403,
            Self::RequestEntityTooLargeException => 413,
            Self::RequestTimeoutException => 408,
            _ => 400,
        }
    }
}

impl crate::Operation {
    /// Whether a handler of this operation may answer `code`: the model lists it for the
    /// operation ([`Operation::errors`](crate::Operation::errors)) or it is one of the
    /// [`ErrorCode::COMMON`] codes.
    pub fn allows(self, code: ErrorCode) -> bool {
        self.errors().contains(&code) || ErrorCode::COMMON.contains(&code)
    }

    /// The allowed code closest to `code`, for a handler's answer the operation does not
    /// allow: `code` itself when allowed, else the first of `ClientException`,
    /// `InvalidParameterException` and `ServerException` that the model lists for the
    /// operation.
    pub fn closest_allowed(self, code: ErrorCode) -> ErrorCode {
        if self.allows(code) {
            return code;
        }
        [ErrorCode::ClientException, ErrorCode::InvalidParameterException]
            .into_iter()
            .find(|&fallback| self.allows(fallback))
            .unwrap_or(ErrorCode::ServerException)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as the API returns it: a code, a message for the caller and, for
/// `ConflictException`, the ids of the resources in conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub resource_ids: Option<Vec<String>>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), resource_ids: None }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidParameterException, message)
    }

    pub fn client(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::ClientException, message)
    }

    pub fn cluster_not_found() -> ApiError {
        ApiError::new(ErrorCode::ClusterNotFoundException, "Cluster not found.")
    }

    pub fn limit_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::LimitExceededException, message)
    }

    /// An internal failure. The message stays generic: details go to the server log.
    pub fn server() -> ApiError {
        ApiError::new(ErrorCode::ServerException, "The server encountered an internal error.")
    }

    /// The JSON body of the error response.
    pub fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "__type": self.code.as_str(),
            "message": self.message,
        });
        if let Some(ids) = &self.resource_ids {
            body["resourceIds"] = serde_json::json!(ids);
        }
        body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    /// Every exception of the model is a code, with its name and the model's status; the
    /// codes beyond the model are the common and protocol ones.
    #[test]
    fn the_codes_are_the_models_exceptions_and_the_common_ones() {
        for name in crate::EXCEPTIONS {
            let code = ErrorCode::from_name(name).unwrap_or_else(|| panic!("no code {name}"));
            assert_eq!(code.as_str(), *name);
            let fault = *name == "ServerException";
            assert_eq!(code.status(), if fault { 500 } else { 400 }, "{name}");
        }
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
            let in_model = crate::EXCEPTIONS.contains(&code.as_str());
            let listed = ErrorCode::COMMON.contains(code) || ErrorCode::PROTOCOL.contains(code);
            assert!(in_model || listed, "{code} is neither in the model nor a common code");
        }
        assert_eq!(ErrorCode::from_name("NoSuchException"), None);
    }

    #[test]
    fn every_operation_lists_the_errors_of_the_model() {
        assert_eq!(
            Operation::TagResource.errors(),
            [
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
            ]
        );
        for op in Operation::ALL {
            let errors = op.errors();
            assert!(errors.windows(2).all(|w| w[0] < w[1]), "{op:?}: sorted, no duplicates");
            // Every operation of the model may fail on the server and on the caller's side.
            for code in [ErrorCode::ServerException, ErrorCode::ClientException] {
                assert!(errors.contains(&code), "{op:?} lacks {code}");
            }
        }
    }

    #[test]
    fn an_operation_allows_its_model_errors_and_the_common_ones() {
        let op = Operation::ListTagsForResource;
        assert!(op.allows(ErrorCode::ClusterNotFoundException));
        assert!(op.allows(ErrorCode::ThrottlingException));
        assert!(op.allows(ErrorCode::InvalidSignatureException));
        assert!(!op.allows(ErrorCode::ResourceNotFoundException));
        assert!(!op.allows(ErrorCode::ServiceNotFoundException));
        // Protocol codes are not a handler's to answer, unless the model lists them.
        assert!(!op.allows(ErrorCode::SerializationException));
        assert!(!op.allows(ErrorCode::UnsupportedFeatureException));
        assert!(Operation::RunTask.allows(ErrorCode::UnsupportedFeatureException));
    }

    #[test]
    fn an_unlisted_code_becomes_the_closest_allowed_one() {
        let op = Operation::ListTagsForResource;
        assert_eq!(
            op.closest_allowed(ErrorCode::ClusterNotFoundException),
            ErrorCode::ClusterNotFoundException
        );
        assert_eq!(
            op.closest_allowed(ErrorCode::ResourceNotFoundException),
            ErrorCode::ClientException
        );
        assert_eq!(
            Operation::CreateCluster.closest_allowed(ErrorCode::LimitExceededException),
            ErrorCode::ClientException
        );
        for op in Operation::ALL {
            for code in ErrorCode::ALL {
                assert!(op.allows(op.closest_allowed(*code)), "{op:?} {code}");
            }
        }
    }
}
