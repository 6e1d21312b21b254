//! `nextToken`/`maxResults` pagination as ECS does it: opaque tokens, a page size from 1 to
//! 100 with a per-operation default.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use api::ApiError;

/// The page size: `maxResults` if given (1 to 100), otherwise `default`.
pub(crate) fn page_size(max_results: Option<i32>, default: usize) -> Result<usize, ApiError> {
    match max_results {
        None => Ok(default),
        Some(n) if (1..=100).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::invalid_parameter(format!(
            "maxResults must be between 1 and 100; got {n}."
        ))),
    }
}

/// A token that resumes a listing of `scope` after `key`.
pub(crate) fn token(scope: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{scope}\n{key}"))
}

/// The key a token resumes after. A token from another listing, or one that was never
/// issued, is refused.
pub(crate) fn resume_after(scope: &str, token: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let invalid = || ApiError::invalid_parameter("The nextToken is invalid.");
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (token_scope, key) = text.split_once('\n').ok_or_else(invalid)?;
    if token_scope != scope {
        return Err(invalid());
    }
    Ok(Some(key.to_owned()))
}

/// One page of `items`, which are sorted by `key` in the given direction, starting after the
/// token's key. Returns the page and the token for the next one.
pub(crate) fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    scope: &str,
    after: Option<&str>,
    size: usize,
    ascending: bool,
) -> (Vec<T>, Option<String>) {
    let mut rest: Vec<T> = match after {
        None => items,
        Some(after) => items
            .into_iter()
            .filter(|item| {
                let k = key(item);
                if ascending { k.as_str() > after } else { k.as_str() < after }
            })
            .collect(),
    };
    let next = if rest.len() > size {
        rest.truncate(size);
        rest.last().map(|last| token(scope, &key(last)))
    } else {
        None
    };
    (rest, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(None, 10).unwrap(), 10);
        assert_eq!(page_size(Some(100), 10).unwrap(), 100);
        assert!(page_size(Some(0), 10).is_err());
        assert!(page_size(Some(101), 10).is_err());
    }

    #[test]
    fn pages_walk_every_item_once() {
        let items: Vec<String> = (0..25).map(|i| format!("k{i:02}")).collect();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let (page, next) = page(items.clone(), |s| s.clone(), "x", after.as_deref(), 10, true);
            seen.extend(page);
            match next {
                Some(token) => after = resume_after("x", Some(&token)).unwrap(),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn descending_pages() {
        let items: Vec<String> = (0..5).rev().map(|i| format!("k{i}")).collect();
        let (first, next) = page(items.clone(), |s| s.clone(), "x", None, 2, false);
        assert_eq!(first, ["k4", "k3"]);
        let after = resume_after("x", next.as_deref()).unwrap();
        let (second, _) = page(items, |s| s.clone(), "x", after.as_deref(), 2, false);
        assert_eq!(second, ["k2", "k1"]);
    }

    #[test]
    fn foreign_or_garbage_tokens_are_refused() {
        let t = token("clusters", "a");
        assert!(resume_after("families", Some(&t)).is_err());
        assert!(resume_after("clusters", Some("!!!")).is_err());
        assert_eq!(resume_after("clusters", Some("")).unwrap(), None);
    }
}
