//! AddTagsToCertificate, RemoveTagsFromCertificate and ListTagsForCertificate, and the checks
//! ImportCertificate makes of the tags it is given.

use serde_json::{Value, json};

use super::{AcmError, find, items, shorten, text};
use crate::Ctx;
use crate::records::{self, CertificateRecord, keys};

/// The most tags a certificate carries.
pub(super) const MAX_TAGS: usize = 50;

/// A request's `Tags`, checked as ACM checks them.
pub(super) fn tags_in(input: &Value) -> Result<Vec<(String, String)>, AcmError> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in items(input, "Tags") {
        let key = text(tag, "Key").unwrap_or_default().to_owned();
        let value = text(tag, "Value").unwrap_or_default().to_owned();
        if key.to_ascii_lowercase().starts_with("aws:") || value.starts_with("aws:") {
            return Err(AcmError::new(
                "InvalidTagException",
                format!("Tag '{}' is not valid: the 'aws:' prefix is reserved.", shorten(&key)),
            ));
        }
        if tags.iter().any(|(k, _)| *k == key) {
            return Err(AcmError::new(
                "InvalidParameterException",
                format!("Tag key '{}' is given more than once.", shorten(&key)),
            ));
        }
        tags.push((key, value));
    }
    Ok(tags)
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

pub(super) fn too_many() -> AcmError {
    AcmError::new(
        "TooManyTagsException",
        format!("A certificate can have at most {MAX_TAGS} tags."),
    )
}

/// Changes a certificate's tags with `change`.
async fn change_tags<F>(ctx: &Ctx, certificate_arn: &str, change: F) -> Result<(), AcmError>
where
    F: Fn(&mut Vec<(String, String)>) -> Result<(), AcmError>,
{
    let found = find(ctx, certificate_arn).await?;
    let id = certificate_arn.rsplit_once('/').map_or("", |(_, id)| id);
    records::modify::<_, _, AcmError>(
        ctx,
        &keys::certificate(id),
        |current: Option<CertificateRecord>| {
            let mut record = current
                .filter(|c| c.arn == found.value.arn)
                .ok_or_else(|| AcmError::not_found(certificate_arn))?;
            change(&mut record.tags)?;
            Ok(record)
        },
    )
    .await?;
    Ok(())
}

pub(super) async fn add(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let added = tags_in(input)?;
    change_tags(ctx, text(input, "CertificateArn").unwrap_or_default(), |tags| {
        for (key, value) in &added {
            match tags.iter_mut().find(|(k, _)| k == key) {
                Some(existing) => existing.1 = value.clone(),
                None => tags.push((key.clone(), value.clone())),
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(too_many());
        }
        Ok(())
    })
    .await?;
    Ok(json!({}))
}

/// Removes each tag named by its key, and by its value too when one is given.
pub(super) async fn remove(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let removed: Vec<(&str, Option<&str>)> = items(input, "Tags")
        .iter()
        .map(|t| (text(t, "Key").unwrap_or_default(), text(t, "Value")))
        .collect();
    if let Some((key, _)) = removed.iter().find(|(k, _)| k.to_ascii_lowercase().starts_with("aws:"))
    {
        return Err(AcmError::new(
            "InvalidTagException",
            format!("Tag '{}' is not valid: the 'aws:' prefix is reserved.", shorten(key)),
        ));
    }
    change_tags(ctx, text(input, "CertificateArn").unwrap_or_default(), |tags| {
        tags.retain(|(k, v)| {
            !removed.iter().any(|(key, value)| k == key && value.is_none_or(|value| v == value))
        });
        Ok(())
    })
    .await?;
    Ok(json!({}))
}

pub(super) async fn list(ctx: &Ctx, input: &Value) -> Result<Value, AcmError> {
    let record = find(ctx, text(input, "CertificateArn").unwrap_or_default()).await?.value;
    Ok(json!({"Tags": tags_json(&record.tags)}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_as_acm_checks_them() {
        let input = json!({"Tags": [{"Key": "team", "Value": "web"}, {"Key": "bare"}]});
        assert_eq!(
            tags_in(&input).unwrap(),
            [("team".to_owned(), "web".to_owned()), ("bare".to_owned(), String::new())]
        );
        let reserved = json!({"Tags": [{"Key": "aws:owner", "Value": "x"}]});
        assert_eq!(tags_in(&reserved).unwrap_err().exception, "InvalidTagException");
        let twice = json!({"Tags": [{"Key": "a"}, {"Key": "a", "Value": "b"}]});
        assert_eq!(tags_in(&twice).unwrap_err().exception, "InvalidParameterException");
    }
}
