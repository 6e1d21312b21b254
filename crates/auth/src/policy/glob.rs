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
    /// and at worst `pattern × text`, never exponential.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let pattern = &self.chars;
        let same = |p: char, t: char| {
            if self.fold_case { p.eq_ignore_ascii_case(&t) } else { p == t }
        };
        let (mut p, mut t) = (0, 0);
        // The last `*` seen, and where in the text it started matching.
        let mut backtrack: Option<(usize, usize)> = None;
        while t < text.len() {
            match pattern.get(p) {
                Some('*') => {
                    backtrack = Some((p, t));
                    p += 1;
                }
                Some(&c) if c == '?' || same(c, text[t]) => {
                    p += 1;
                    t += 1;
                }
                _ => match backtrack {
                    Some((star, start)) => {
                        p = star + 1;
                        t = start + 1;
                        backtrack = Some((star, start + 1));
                    }
                    None => return false,
                },
            }
        }
        pattern.iter().skip(p).all(|&c| c == '*')
    }
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
