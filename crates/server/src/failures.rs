//! The `failures[]` entries of ECS's batch operations: a reference that names nothing is
//! MISSING, under its ARN (the reference itself when it is one).

use api::Failure;

/// A failure of `arn` for `reason`, with an optional detail.
pub(crate) fn failure(arn: String, reason: &str, detail: Option<String>) -> Failure {
    Failure { arn: Some(arn), reason: Some(reason.to_owned()), detail }
}

/// A failure of a reference for `reason`, under the reference when it is an ARN, else under
/// the ARN `arn_of` makes of it.
pub(crate) fn about(
    reference: &str,
    arn_of: impl FnOnce(&str) -> String,
    reason: &str,
    detail: Option<String>,
) -> Failure {
    let arn = if reference.starts_with("arn:") { reference.to_owned() } else { arn_of(reference) };
    failure(arn, reason, detail)
}

/// The MISSING failure of a reference that names nothing (see [`about`]).
pub(crate) fn missing(reference: &str, arn_of: impl FnOnce(&str) -> String) -> Failure {
    about(reference, arn_of, "MISSING", None)
}

/// What a Describe call answers for its references: what `find` finds for each, in order, and a
/// MISSING failure (see [`missing`]) for each that names nothing.
pub(crate) fn describe_each<'r, T>(
    references: impl IntoIterator<Item = &'r String>,
    mut find: impl FnMut(&str) -> Result<Option<T>, api::ApiError>,
    arn_of: impl Fn(&str) -> String,
) -> Result<(Vec<T>, Vec<Failure>), api::ApiError> {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for reference in references {
        match find(reference)? {
            Some(value) => found.push(value),
            None => failures.push(missing(reference, &arn_of)),
        }
    }
    Ok((found, failures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_reference_keeps_its_arn_or_gets_one() {
        let arn_of = |name: &str| format!("arn:aws:ecs:r:1:service/c/{name}");
        let given = missing("arn:aws:ecs:r:1:service/c/web", |_| unreachable!());
        assert_eq!(given.arn.as_deref(), Some("arn:aws:ecs:r:1:service/c/web"));
        let made = missing("web", arn_of);
        assert_eq!(made.arn.as_deref(), Some("arn:aws:ecs:r:1:service/c/web"));
        assert_eq!((made.reason.as_deref(), made.detail), (Some("MISSING"), None));
    }
}
