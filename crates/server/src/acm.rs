//! AWS Certificate Manager's certificate store, for the certificates of HTTPS and TLS
//! listeners: ImportCertificate, DescribeCertificate, ListCertificates, GetCertificate,
//! DeleteCertificate and the certificate tag operations, in ACM's own protocol (JSON 1.1,
//! `X-Amz-Target: CertificateManager.<Operation>`). Signed with SigV4 for `acm` and authorized
//! as `acm:<Operation>` on the certificate's ARN, like the ECS API.
//!
//! Requests are checked against the botocore model (`api::query::acm`) and answered as JSON;
//! errors are ACM's `{"__type": code, "message": ..}` documents, with a code the model lists
//! for the operation or one every JSON service may answer (validation, throttling, access).
//!
//! A certificate is a `CertificateRecord` under `/lb/certificates/<id>`, which the load
//! balancer's node configuration reads. Its private key is kept for the data plane only: no
//! operation answers it.

mod certificate;
mod tags;

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Value, json};

use api::query::{Model, acm};

use crate::Ctx;
use crate::balancing;
use crate::records::{self, CertificateRecord, LoadBalancerRecord, Versioned, keys};
use store::{Compare, Op, RangeOptions, Txn};

/// The target prefix of ACM's operations.
pub(crate) const TARGET_PREFIX: &str = "CertificateManager.";

/// The most certificates an account keeps (ACM's quota).
const MAX_CERTIFICATES: usize = 2500;
/// ListCertificates' page size when `MaxItems` is not given.
const DEFAULT_PAGE: usize = 1000;
/// The key types ListCertificates shows when `Includes.keyTypes` is not given, as ACM does.
const DEFAULT_KEY_TYPES: &[&str] = &["RSA_2048"];

/// An ACM error: the model's exception shape (or a code every JSON service may answer) and the
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AcmError {
    exception: &'static str,
    message: String,
    /// The status of a refusal by access control, whose code any operation may answer.
    access: Option<StatusCode>,
}

const VALIDATION: &str = "ValidationException";
const INTERNAL: &str = "InternalFailure";
const THROTTLING: &str = "ThrottlingException";
const UNKNOWN_OPERATION: &str = "UnknownOperationException";
const SERIALIZATION: &str = "SerializationException";

impl AcmError {
    fn new(exception: &'static str, message: impl Into<String>) -> AcmError {
        AcmError { exception, message: message.into(), access: None }
    }

    fn validation(message: impl Into<String>) -> AcmError {
        AcmError::new(VALIDATION, message)
    }

    fn not_found(arn: &str) -> AcmError {
        AcmError::new(
            "ResourceNotFoundException",
            format!("Certificate with arn '{}' does not exist", shorten(arn)),
        )
    }

    fn internal() -> AcmError {
        AcmError::new(INTERNAL, "An internal error has occurred")
    }
}

impl From<crate::error::Error> for AcmError {
    fn from(error: crate::error::Error) -> AcmError {
        match error {
            crate::error::Error::Contention { .. } => {
                AcmError::new(THROTTLING, "Rate exceeded: the request kept conflicting with others")
            }
            error => {
                tracing::error!(error = %error, "An ACM request failed");
                AcmError::internal()
            }
        }
    }
}

impl From<certificate::Invalid> for AcmError {
    fn from(invalid: certificate::Invalid) -> AcmError {
        AcmError::validation(invalid.0)
    }
}

/// Serves one ACM request (`X-Amz-Target: CertificateManager.<Operation>`).
pub(crate) async fn serve(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    target: &str,
    request_id: &str,
) -> Response {
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
    match run(ctx, request, operation).await {
        Ok(output) => answer(StatusCode::OK, &output, None, request_id),
        Err(error) => {
            let (code, status) = wire(acm(), operation, &error);
            tracing::debug!(operation, code, message = %error.message, "ACM request refused");
            let message = if status.is_server_error() {
                "An internal error has occurred"
            } else {
                &error.message
            };
            answer(status, &json!({"__type": code, "message": message}), Some(code), request_id)
        }
    }
}

/// An exception's code and status on the wire; an exception the model does not list for the
/// operation is a bug (debug builds fail) and is answered as a validation error.
fn wire(model: &'static Model, operation: &str, error: &AcmError) -> (&'static str, StatusCode) {
    if let Some(status) = error.access {
        return (error.exception, status);
    }
    match error.exception {
        INTERNAL => (INTERNAL, StatusCode::INTERNAL_SERVER_ERROR),
        code @ (VALIDATION | THROTTLING | UNKNOWN_OPERATION | SERIALIZATION) => {
            (code, StatusCode::BAD_REQUEST)
        }
        exception => {
            debug_assert!(
                model.allows(operation, exception),
                "{operation} may not answer {exception} ({})",
                error.message
            );
            match model.error(exception) {
                Some((code, status)) if model.allows(operation, exception) => {
                    (code, StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
                }
                _ => (VALIDATION, StatusCode::BAD_REQUEST),
            }
        }
    }
}

/// A JSON 1.1 answer, as the ECS API gives them: the request id, and the error code in
/// `X-Amzn-Errortype` (read by smithy SDKs) as well as in the body's `__type` (read by
/// botocore).
fn answer(status: StatusCode, body: &Value, code: Option<&str>, request_id: &str) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(api::CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(code) = code.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert("x-amzn-errortype", code);
    }
    response
}

/// A refusal by access control (authentication, authorization, throttling): its code and
/// status are the same in every JSON service.
fn from_access(error: api::ApiError) -> AcmError {
    let status = StatusCode::from_u16(error.code.status()).unwrap_or(StatusCode::FORBIDDEN);
    let code = match error.code {
        api::ErrorCode::ServerException => INTERNAL,
        code => code.as_str(),
    };
    AcmError { exception: code, message: error.message, access: Some(status) }
}

async fn run(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    operation: &str,
) -> Result<Value, AcmError> {
    let identity =
        crate::access::authenticate_for(ctx, request, "acm", operation).map_err(from_access)?;
    if !SERVED.contains(&operation) {
        let shown = shorten(operation);
        return Err(AcmError::new(
            UNKNOWN_OPERATION,
            if acm().operation(operation).is_some() {
                format!("The operation {shown} is not served by Berth's certificate manager.")
            } else {
                format!("Unknown operation CertificateManager.{shown}.")
            },
        ));
    }
    let input = parse_body(request.body)?;
    acm().validate(operation, &input).map_err(|invalid| AcmError::validation(invalid.0))?;
    if let Some(identity) = &identity {
        let resources: Vec<Cow<'_, str>> =
            text(&input, "CertificateArn").map(Cow::Borrowed).into_iter().collect();
        crate::access::authorize_action(ctx, identity, &format!("acm:{operation}"), resources)
            .map_err(from_access)?;
    }
    match operation {
        "ImportCertificate" => import(ctx, &input).await,
        "DescribeCertificate" => describe(ctx, &input).await,
        "ListCertificates" => list(ctx, &input).await,
        "GetCertificate" => get(ctx, &input).await,
        "DeleteCertificate" => delete(ctx, &input).await,
        "AddTagsToCertificate" => tags::add(ctx, &input).await,
        "RemoveTagsFromCertificate" => tags::remove(ctx, &input).await,
        "ListTagsForCertificate" => tags::list(ctx, &input).await,
        _ => Err(AcmError::internal()),
    }
}

/// The operations served; any other is answered with `UnknownOperationException`.
pub(crate) const SERVED: &[&str] = &[
    "AddTagsToCertificate",
    "DeleteCertificate",
    "DescribeCertificate",
    "GetCertificate",
    "ImportCertificate",
    "ListCertificates",
    "ListTagsForCertificate",
    "RemoveTagsFromCertificate",
];

fn parse_body(body: &[u8]) -> Result<Value, AcmError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(AcmError::new(SERIALIZATION, "The request body must be a JSON object.")),
        Err(e) => {
            Err(AcmError::new(SERIALIZATION, format!("The request body is not valid JSON: {e}.")))
        }
    }
}

fn text<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

fn items<'a>(input: &'a Value, name: &str) -> &'a [Value] {
    input.get(name).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn strings<'a>(input: &'a Value, name: &str) -> Vec<&'a str> {
    items(input, name).iter().filter_map(Value::as_str).collect()
}

fn shorten(text: &str) -> String {
    text.chars().take(200).collect()
}

/// A blob member: base64 in JSON.
fn blob(input: &Value, name: &str) -> Result<Option<Vec<u8>>, AcmError> {
    let Some(encoded) = text(input, name) else { return Ok(None) };
    let decoded =
        base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| {
            AcmError::validation(format!(
                "{name} must be base64-encoded PEM (the AWS CLI encodes a file given as fileb://)."
            ))
        })?;
    if decoded.is_empty() {
        return Err(AcmError::validation(format!("{name} must not be empty.")));
    }
    Ok(Some(decoded))
}

/// A certificate ARN of this account and region: `arn:aws:acm:<region>:<account>:certificate/<id>`.
fn arn(ctx: &Ctx, id: &str) -> String {
    format!("arn:aws:acm:{}:{}:certificate/{id}", ctx.config().region, ctx.config().account_id)
}

/// The certificate an ARN names. A string that is not a certificate ARN is
/// `InvalidArnException`; a certificate ARN of another account or region, or of no certificate,
/// is `ResourceNotFoundException`.
async fn find(ctx: &Ctx, certificate_arn: &str) -> Result<Versioned<CertificateRecord>, AcmError> {
    let parts: Vec<&str> = certificate_arn.splitn(6, ':').collect();
    let well_formed = parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "acm"
        && parts[5].starts_with("certificate/");
    if !well_formed {
        return Err(AcmError::new(
            "InvalidArnException",
            format!("The ARN '{}' is not a valid certificate ARN.", shorten(certificate_arn)),
        ));
    }
    let id = &parts[5]["certificate/".len()..];
    let canonical = uuid::Uuid::parse_str(id).is_ok_and(|u| u.hyphenated().to_string() == id);
    if !canonical || certificate_arn != arn(ctx, id) {
        return Err(AcmError::not_found(certificate_arn));
    }
    balancing::certificate(ctx, certificate_arn)
        .await?
        .ok_or_else(|| AcmError::not_found(certificate_arn))
}

/// The load balancers whose listeners use the certificate.
fn users(balancers: &[LoadBalancerRecord], certificate_arn: &str) -> Vec<String> {
    balancers
        .iter()
        .filter(|lb| {
            lb.listeners.iter().any(|l| l.certificates.iter().any(|c| c == certificate_arn))
        })
        .map(|lb| lb.arn.clone())
        .collect()
}

fn status(record: &CertificateRecord, now: f64) -> &'static str {
    if now > record.not_after { "EXPIRED" } else { "ISSUED" }
}

async fn import(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let certificate = blob(input, "Certificate")?.unwrap_or_default();
    let private_key = blob(input, "PrivateKey")?.unwrap_or_default();
    let chain = blob(input, "CertificateChain")?;
    let tags = tags::tags_in(input)?;
    if tags.len() > tags::MAX_TAGS {
        return Err(tags::too_many());
    }
    let now = ctx.clock().now();
    let checked = certificate::check(&certificate, &private_key, chain.as_deref(), now)?;
    let facts = checked.facts;
    let mut record = CertificateRecord {
        arn: String::new(),
        certificate_pem: checked.certificate_pem,
        chain_pem: checked.chain_pem,
        private_key_pem: checked.private_key_pem,
        domain_name: facts.domain_name,
        subject_alternative_names: facts.subject_alternative_names,
        serial: facts.serial,
        issuer: facts.issuer,
        subject: facts.subject,
        not_before: facts.not_before,
        not_after: facts.not_after,
        imported_at: now,
        key_algorithm: checked.key_algorithm.to_owned(),
        tags,
    };
    if let Some(existing_arn) = text(input, "CertificateArn") {
        if input.get("Tags").is_some() {
            return Err(AcmError::new(
                "InvalidParameterException",
                "Tags cannot be applied when a certificate is reimported.",
            ));
        }
        let existing = find(ctx, existing_arn).await?;
        let id = existing_arn.rsplit_once('/').map_or("", |(_, id)| id);
        record.arn = existing_arn.to_owned();
        records::modify::<_, _, AcmError>(
            ctx,
            &keys::certificate(id),
            |current: Option<CertificateRecord>| {
                let current = current
                    .filter(|c| c.arn == existing.value.arn)
                    .ok_or_else(|| AcmError::not_found(existing_arn))?;
                if current.key_algorithm != record.key_algorithm {
                    return Err(AcmError::validation(format!(
                        "The key type and size of a reimported certificate cannot change: it was {}, the new certificate's is {}.",
                        current.key_algorithm, record.key_algorithm
                    )));
                }
                Ok(CertificateRecord { tags: current.tags, ..record.clone() })
            },
        )
        .await?;
        tracing::info!(certificate = %existing_arn, domain = %record.domain_name, "Certificate reimported");
        return Ok(json!({"CertificateArn": existing_arn}));
    }
    let _serialized = ctx.key_locks().lock(keys::CERTIFICATES).await;
    let count = ctx
        .store()
        .range(keys::CERTIFICATES, RangeOptions::default())
        .await
        .map_err(crate::error::Error::from)?
        .kvs
        .len();
    if count >= MAX_CERTIFICATES {
        return Err(AcmError::new(
            "LimitExceededException",
            format!("You have reached the limit of {MAX_CERTIFICATES} certificates."),
        ));
    }
    let id = uuid::Uuid::new_v4().hyphenated().to_string();
    record.arn = arn(ctx, &id);
    let key = keys::certificate(&id);
    let txn = Txn::new()
        .when(Compare::mod_revision(&key, 0))
        .then(Op::put(&key, records::encode(&record)));
    if !ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
        return Err(crate::error::Error::Contention { key }.into());
    }
    tracing::info!(certificate = %record.arn, domain = %record.domain_name, "Certificate imported");
    Ok(json!({"CertificateArn": record.arn}))
}

async fn describe(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let found = find(ctx, text(input, "CertificateArn").unwrap_or_default()).await?;
    let record = found.value;
    let in_use_by = users(&balancing::load_balancers(ctx).await?, &record.arn);
    let mut detail = json!({
        "CertificateArn": record.arn,
        "DomainName": record.domain_name,
        "SubjectAlternativeNames": record.subject_alternative_names,
        "Serial": record.serial,
        "Subject": record.subject,
        "Issuer": record.issuer,
        "ImportedAt": record.imported_at,
        "Status": status(&record, ctx.clock().now()),
        "NotBefore": record.not_before,
        "NotAfter": record.not_after,
        "KeyAlgorithm": record.key_algorithm,
        "InUseBy": in_use_by,
        "Type": "IMPORTED",
        "RenewalEligibility": "INELIGIBLE",
        "Options": {"CertificateTransparencyLoggingPreference": "ENABLED"},
    });
    // The stored certificate was read at import; reading it again gives what the record does
    // not keep.
    match certificate::read(&record.certificate_pem) {
        Ok(facts) => {
            detail["SignatureAlgorithm"] = json!(facts.signature_algorithm);
            detail["KeyUsages"] =
                facts.key_usages.iter().map(|name| json!({"Name": name})).collect();
            detail["ExtendedKeyUsages"] = facts
                .extended_key_usages
                .iter()
                .map(|(name, oid)| json!({"Name": name, "OID": oid}))
                .collect();
        }
        Err(invalid) => {
            tracing::warn!(certificate = %record.arn, error = %invalid.0, "A stored certificate does not read");
        }
    }
    Ok(json!({"Certificate": detail}))
}

/// What ListCertificates' `Includes` asks for.
struct Includes<'a> {
    key_types: Vec<&'a str>,
    key_usage: Vec<&'a str>,
    extended_key_usage: Vec<&'a str>,
    managed_by: Option<&'a str>,
}

impl<'a> Includes<'a> {
    fn of(input: &'a Value) -> Includes<'a> {
        let includes = input.get("Includes").unwrap_or(&Value::Null);
        let mut key_types = strings(includes, "keyTypes");
        if key_types.is_empty() {
            key_types = DEFAULT_KEY_TYPES.to_vec();
        }
        Includes {
            key_types,
            key_usage: strings(includes, "keyUsage"),
            extended_key_usage: strings(includes, "extendedKeyUsage"),
            managed_by: text(includes, "managedBy"),
        }
    }

    /// Whether a certificate with these facts is included: its key type is one asked for, it
    /// has one of the (extended) key usages asked for, if any, and it is managed by the service
    /// asked for (imported certificates are managed by none).
    fn admit(&self, key_algorithm: &str, facts: Option<&certificate::Facts>) -> bool {
        let usage = |asked: &[&str], has: Vec<&str>| {
            asked.is_empty() || asked.contains(&"ANY") || has.iter().any(|h| asked.contains(h))
        };
        let key_usages = facts.map(|f| f.key_usages.clone()).unwrap_or_default();
        let extended: Vec<&str> = facts
            .map(|f| f.extended_key_usages.iter().map(|(name, _)| *name).collect())
            .unwrap_or_default();
        self.managed_by.is_none()
            && self.key_types.contains(&key_algorithm)
            && usage(&self.key_usage, key_usages)
            && usage(&self.extended_key_usage, extended)
    }
}

async fn list(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let statuses = strings(input, "CertificateStatuses");
    let includes = Includes::of(input);
    let sort_by_creation = text(input, "SortBy").is_some();
    if sort_by_creation != text(input, "SortOrder").is_some() {
        return Err(AcmError::validation("SortBy and SortOrder must be given together."));
    }
    let ascending = text(input, "SortOrder") != Some("DESCENDING");
    let size = input.get("MaxItems").and_then(Value::as_u64).map_or(DEFAULT_PAGE, |n| n as usize);
    let scope = format!("acm-certificates-{sort_by_creation}-{ascending}");
    let after = crate::paging::resume_after(&scope, text(input, "NextToken"))
        .map_err(|_| AcmError::new("InvalidArgsException", "The NextToken is not valid."))?;
    let balancers = balancing::load_balancers(ctx).await?;
    let now = ctx.clock().now();
    let mut chosen: Vec<(String, Value)> = Vec::new();
    for certificate in records::list::<CertificateRecord>(ctx.store(), keys::CERTIFICATES).await? {
        let record = certificate.value;
        let state = status(&record, now);
        if !statuses.is_empty() && !statuses.contains(&state) {
            continue;
        }
        let facts = certificate::read(&record.certificate_pem).ok();
        if !includes.admit(&record.key_algorithm, facts.as_ref()) {
            continue;
        }
        let sort_key = if sort_by_creation {
            format!("{:016}/{}", (record.imported_at * 1000.0) as i64, record.arn)
        } else {
            record.arn.clone()
        };
        let mut summary = json!({
            "CertificateArn": record.arn,
            "DomainName": record.domain_name,
            "SubjectAlternativeNameSummaries": record.subject_alternative_names,
            "HasAdditionalSubjectAlternativeNames": false,
            "Status": state,
            "Type": "IMPORTED",
            "KeyAlgorithm": record.key_algorithm,
            "InUse": !users(&balancers, &record.arn).is_empty(),
            "RenewalEligibility": "INELIGIBLE",
            "NotBefore": record.not_before,
            "NotAfter": record.not_after,
            "ImportedAt": record.imported_at,
        });
        if let Some(facts) = &facts {
            summary["KeyUsages"] = json!(facts.key_usages);
            summary["ExtendedKeyUsages"] =
                facts.extended_key_usages.iter().map(|(name, _)| json!(name)).collect();
        }
        chosen.push((sort_key, summary));
    }
    chosen.sort_by(|a, b| if ascending { a.0.cmp(&b.0) } else { b.0.cmp(&a.0) });
    let (page, next) = crate::paging::page(
        chosen,
        |(key, _)| key.clone(),
        &scope,
        after.as_deref(),
        size,
        ascending,
    );
    let mut out =
        json!({"CertificateSummaryList": page.into_iter().map(|(_, s)| s).collect::<Vec<_>>()});
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

async fn get(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let record = find(ctx, text(input, "CertificateArn").unwrap_or_default()).await?.value;
    let mut out = json!({"Certificate": record.certificate_pem});
    if !record.chain_pem.trim().is_empty() {
        out["CertificateChain"] = json!(record.chain_pem);
    }
    Ok(out)
}

/// Deletes a certificate no listener uses. The deletion is conditional on the certificate and
/// every load balancer being as read, so a listener given the certificate meanwhile (by this
/// or another process) makes it look again.
async fn delete(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let certificate_arn = text(input, "CertificateArn").unwrap_or_default();
    let key = keys::certificate(certificate_arn.rsplit_once('/').map_or("", |(_, id)| id));
    // CreateListener and ModifyListener write listeners under this lock.
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    for _ in 0..records::CAS_ATTEMPTS {
        let found = find(ctx, certificate_arn).await?;
        let balancers =
            records::list::<LoadBalancerRecord>(ctx.store(), keys::LOAD_BALANCERS).await?;
        let values: Vec<LoadBalancerRecord> = balancers.iter().map(|b| b.value.clone()).collect();
        if let Some(user) = users(&values, certificate_arn).first() {
            return Err(AcmError::new(
                "ResourceInUseException",
                format!(
                    "Certificate {certificate_arn} in account {} is in use by {user}.",
                    ctx.config().account_id
                ),
            ));
        }
        let mut txn = Txn::new().when(Compare::mod_revision(&key, found.mod_revision));
        for balancer in &balancers {
            let lb_key = keys::load_balancer(&balancer.value.name);
            txn = txn.when(Compare::mod_revision(lb_key, balancer.mod_revision));
        }
        let txn = txn.then(Op::delete(&key));
        if ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
            tracing::info!(certificate = %certificate_arn, "Certificate deleted");
            return Ok(json!({}));
        }
    }
    Err(crate::error::Error::Contention { key }.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_operation_is_in_the_model() {
        for operation in SERVED {
            assert!(acm().operation(operation).is_some(), "{operation}");
        }
    }

    #[test]
    fn errors_have_acm_codes_and_statuses() {
        let in_use = AcmError::new("ResourceInUseException", "in use");
        assert_eq!(
            wire(acm(), "DeleteCertificate", &in_use),
            ("ResourceInUseException", StatusCode::BAD_REQUEST)
        );
        let invalid = AcmError::validation("bad key");
        assert_eq!(
            wire(acm(), "ImportCertificate", &invalid),
            ("ValidationException", StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            wire(acm(), "GetCertificate", &AcmError::internal()),
            ("InternalFailure", StatusCode::INTERNAL_SERVER_ERROR)
        );
        let quota = AcmError::new("LimitExceededException", "full");
        assert_eq!(wire(acm(), "ImportCertificate", &quota).0, "LimitExceededException");
    }

    #[test]
    fn list_filters_default_to_rsa_2048_as_acm_does() {
        let none = json!({});
        let includes = Includes::of(&none);
        assert!(includes.admit("RSA_2048", None));
        assert!(!includes.admit("EC_prime256v1", None));
        let ec = json!({"Includes": {"keyTypes": ["EC_prime256v1"], "extendedKeyUsage": ["TLS_WEB_SERVER_AUTHENTICATION"]}});
        let includes = Includes::of(&ec);
        assert!(!includes.admit("EC_prime256v1", None), "a certificate without the usage");
        let managed = json!({"Includes": {"keyTypes": ["RSA_2048"], "managedBy": "CLOUDFRONT"}});
        assert!(!Includes::of(&managed).admit("RSA_2048", None));
    }

    #[test]
    fn blobs_are_base64() {
        let input = json!({"Certificate": "aGVsbG8=", "PrivateKey": "not base64!", "Empty": ""});
        assert_eq!(blob(&input, "Certificate").unwrap(), Some(b"hello".to_vec()));
        assert_eq!(blob(&input, "PrivateKey").unwrap_err().exception, VALIDATION);
        assert_eq!(blob(&input, "Empty").unwrap_err().exception, VALIDATION);
        assert_eq!(blob(&input, "Missing").unwrap(), None);
    }
}
