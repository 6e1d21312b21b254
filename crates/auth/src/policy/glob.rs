//! IAM wildcard matching: `*` matches any run of characters (including none, and across `:` and
//! `/`), `?` matches exactly one character, everything else matches itself.

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    source: String,
    chars: Vec<char>,
    /// Compare ASCII letters without regard to case (action names are case-insensitive).
    fold_case: bool,
}

impl Glob {
    pub(crate) fn new(source: &str, fold_case: bool) -> Glob {
        Glob { source: source.to_owned(), chars: source.chars().collect(), fold_case }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` matches. Greedy with one backtrack point: linear in practice
    /// and at worst `pattern × text`, never exponential. ASCII texts (ARNs, action names) are
    /// matched byte by byte without copying; a pattern of only `*` matches without looking.
    pub(crate) fn matches(&self, text: &str) -> bool {
        if !self.chars.is_empty() && self.chars.iter().all(|&c| c == '*') {
            return true;
        }
        let fold_case = self.fold_case;
        if self.source.is_ascii() && text.is_ascii() {
            let same = |p: u8, t: u8| if fold_case { p.eq_ignore_ascii_case(&t) } else { p == t };
            return wild_match(self.source.as_bytes(), text.as_bytes(), b'*', b'?', same);
        }
        let text: Vec<char> = text.chars().collect();
        let same = |p: char, t: char| if fold_case { p.eq_ignore_ascii_case(&t) } else { p == t };
        wild_match(&self.chars, &text, '*', '?', same)
    }
}

/// Matches `text` against `pattern` where `star` matches any run and `one` any single unit.
fn wild_match<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star: T,
    one: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `*` seen, and where in the text it started matching.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(&c) if c == star => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(&c) if c == one || same(c, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star_at, start)) => {
                    p = star_at + 1;
                    t = start + 1;
                    backtrack = Some((star_at, start + 1));
                }
                None => return false,
            },
        }
    }
    pattern.iter().skip(p).all(|&c| c == star)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        Glob::new(pattern, false).matches(text)
    }

    #[test]
    fn wildcards() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything:at/all"));
        assert!(matches("", ""));
        assert!(!matches("", "a"));
        assert!(matches("cluster/dev-*", "cluster/dev-a"));
        assert!(matches("cluster/dev-*", "cluster/dev-"));
        assert!(!matches("cluster/dev-*", "cluster/prod"));
        assert!(matches("cluster/dev-?", "cluster/dev-a"));
        assert!(!matches("cluster/dev-?", "cluster/dev-ab"));
        assert!(!matches("cluster/dev-?", "cluster/dev-"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
        assert!(matches("*a*a*a*a*b", &"a".repeat(200).replace("aa", "ab")));
        assert!(!matches("*a*a*a*a*a*a*a*b", &"a".repeat(2000)));
        assert!(matches("ü?", "üß"));
    }

    #[test]
    fn case() {
        assert!(!matches("ecs:describe*", "ecs:DescribeTasks"));
        assert!(Glob::new("ecs:describe*", true).matches("ECS:DescribeTasks"));
        assert!(Glob::new("ECS:RUNTASK", true).matches("ecs:RunTask"));
    }
}
