//! Rule conditions, as ELB evaluates them: pure matching of one request's parts against a
//! listener's compiled conditions.
//!
//! A rule matches when all its conditions do; a condition matches when any of its values
//! does. Patterns use `*` (any characters, possibly none) and `?` (exactly one character).
//! Conditions are compiled once per configuration (`Condition::compile`), so a bad CIDR is
//! found when the configuration is applied, not per request.

use std::net::IpAddr;

use ipnet::IpNet;

/// The parts of a request that rules look at.
#[derive(Debug, Clone)]
pub(crate) struct RequestView<'a> {
    pub(crate) method: &'a str,
    /// The path without the query string.
    pub(crate) path: &'a str,
    /// The `Host` header without its port.
    pub(crate) host: &'a str,
    pub(crate) headers: &'a hyper::HeaderMap,
    /// The query string's pairs, decoded.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) client_ip: IpAddr,
}

/// One compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    PathPattern(Vec<String>),
    /// Patterns lower-cased once.
    HostHeader(Vec<String>),
    HttpHeader {
        name: hyper::header::HeaderName,
        values: Vec<String>,
    },
    HttpRequestMethod(Vec<String>),
    /// (key, value) patterns lower-cased once.
    QueryString(Vec<(Option<String>, String)>),
    SourceIp(Vec<IpNet>),
    /// A condition that can never match (an unusable header name, no valid CIDR).
    Never,
}

impl Condition {
    /// Compiles a condition; values that cannot be used (a bad CIDR) are dropped with a warning,
    /// and a condition left with none never matches.
    pub(crate) fn compile(raw: &api::lb::Condition) -> Condition {
        use api::lb::Condition as Raw;
        match raw {
            Raw::PathPattern { values } => Condition::PathPattern(values.clone()),
            Raw::HostHeader { values } => {
                Condition::HostHeader(values.iter().map(|v| v.to_ascii_lowercase()).collect())
            }
            Raw::HttpHeader { name, values } => {
                match hyper::header::HeaderName::from_bytes(name.as_bytes()) {
                    Ok(name) => Condition::HttpHeader {
                        name,
                        values: values.iter().map(|v| v.to_ascii_lowercase()).collect(),
                    },
                    Err(_) => {
                        tracing::warn!(header = %name, "Rule condition names an invalid header; it never matches");
                        Condition::Never
                    }
                }
            }
            Raw::HttpRequestMethod { values } => Condition::HttpRequestMethod(values.clone()),
            Raw::QueryString { values } => Condition::QueryString(
                values
                    .iter()
                    .map(|pair| {
                        (
                            pair.key.as_ref().map(|k| k.to_ascii_lowercase()),
                            pair.value.to_ascii_lowercase(),
                        )
                    })
                    .collect(),
            ),
            Raw::SourceIp { values } => {
                let nets: Vec<IpNet> = values.iter().filter_map(|v| parse_cidr(v)).collect();
                if nets.is_empty() { Condition::Never } else { Condition::SourceIp(nets) }
            }
        }
    }

    pub(crate) fn matches(&self, req: &RequestView<'_>) -> bool {
        match self {
            Condition::PathPattern(patterns) => {
                patterns.iter().any(|p| glob(p.as_bytes(), req.path.as_bytes()))
            }
            Condition::HostHeader(patterns) => {
                let host = req.host.to_ascii_lowercase();
                patterns.iter().any(|p| glob(p.as_bytes(), host.as_bytes()))
            }
            Condition::HttpHeader { name, values } => {
                req.headers.get_all(name).iter().any(|value| {
                    let value = String::from_utf8_lossy(value.as_bytes()).to_ascii_lowercase();
                    values.iter().any(|p| glob(p.as_bytes(), value.as_bytes()))
                })
            }
            Condition::HttpRequestMethod(methods) => methods.iter().any(|m| m == req.method),
            Condition::QueryString(pairs) => pairs.iter().any(|(key, value)| {
                req.query.iter().any(|(k, v)| {
                    let key_ok = match key {
                        Some(key) => glob(key.as_bytes(), k.to_ascii_lowercase().as_bytes()),
                        None => true,
                    };
                    key_ok && glob(value.as_bytes(), v.to_ascii_lowercase().as_bytes())
                })
            }),
            Condition::SourceIp(nets) => {
                let ip = canonical(req.client_ip);
                nets.iter().any(|net| net.contains(&ip))
            }
            Condition::Never => false,
        }
    }
}

/// All conditions match (an empty list always does).
pub(crate) fn all_match(conditions: &[Condition], req: &RequestView<'_>) -> bool {
    conditions.iter().all(|c| c.matches(req))
}

/// Parses a CIDR block, or a bare address as a single-address block.
fn parse_cidr(text: &str) -> Option<IpNet> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Some(net);
    }
    match text.parse::<IpAddr>() {
        Ok(ip) => Some(IpNet::from(ip)),
        Err(_) => {
            tracing::warn!(cidr = %text, "Rule condition has an invalid CIDR block; it is ignored");
            None
        }
    }
}

/// An IPv4 client reaching a dual-stack socket shows as `::ffff:a.b.c.d`; rules name it as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Matches `text` against `pattern` with `*` and `?`, byte-wise (so `?` matches one byte; ELB's
/// values are ASCII in practice). Iterative with one backtrack point: linear in practice and
/// never recursive.
pub(crate) fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

/// Splits a `Host` header value into the host without its port (IPv6 literals keep brackets).
pub(crate) fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Decodes a query string into its pairs.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(headers: &'a hyper::HeaderMap, path: &'a str, query: &str) -> RequestView<'a> {
        RequestView {
            method: "GET",
            path,
            host: "Example.COM",
            headers,
            query: query_pairs(query),
            client_ip: "10.1.2.3".parse().unwrap(),
        }
    }

    #[test]
    fn glob_basics() {
        assert!(glob(b"*", b""));
        assert!(glob(b"/api/*", b"/api/"));
        assert!(glob(b"/api/*", b"/api/v1/x"));
        assert!(!glob(b"/api/*", b"/ap"));
        assert!(glob(b"/a?c", b"/abc"));
        assert!(!glob(b"/a?c", b"/ac"));
        assert!(glob(b"*.example.com", b"www.example.com"));
        assert!(!glob(b"*.example.com", b"example.com"));
        assert!(glob(b"a*b*c", b"aXXbYYbc"));
        assert!(!glob(b"a*b*c", b"aXXbYY"));
        assert!(glob(b"exact", b"exact"));
        assert!(!glob(b"exact", b"exactly"));
        assert!(glob(b"**a", b"bbba"));
    }

    #[test]
    fn host_port_is_stripped() {
        assert_eq!(host_without_port("example.com:8080"), "example.com");
        assert_eq!(host_without_port("example.com"), "example.com");
        assert_eq!(host_without_port("[::1]:80"), "[::1]");
        assert_eq!(host_without_port("[::1]"), "[::1]");
    }

    #[test]
    fn path_is_case_sensitive_and_host_is_not() {
        let headers = hyper::HeaderMap::new();
        let req = view(&headers, "/Images/a.png", "");
        let path = Condition::compile(&api::lb::Condition::PathPattern {
            values: vec!["/images/*".into()],
        });
        assert!(!path.matches(&req));
        let path = Condition::compile(&api::lb::Condition::PathPattern {
            values: vec!["/x".into(), "/Images/*.png".into()],
        });
        assert!(path.matches(&req));
        let host =
            Condition::compile(&api::lb::Condition::HostHeader { values: vec!["*.com".into()] });
        assert!(host.matches(&req));
        let host = Condition::compile(&api::lb::Condition::HostHeader {
            values: vec!["EXAMPLE.com".into()],
        });
        assert!(host.matches(&req));
    }

    #[test]
    fn header_method_query_source() {
        let mut headers = hyper::HeaderMap::new();
        headers.append("x-env", "Blue".parse().unwrap());
        headers.append("x-env", "green".parse().unwrap());
        let req = view(&headers, "/", "a=1&Version=V2%20beta&flag");
        let header = Condition::compile(&api::lb::Condition::HttpHeader {
            name: "X-Env".into(),
            values: vec!["GREEN".into()],
        });
        assert!(header.matches(&req));
        let header = Condition::compile(&api::lb::Condition::HttpHeader {
            name: "x-other".into(),
            values: vec!["*".into()],
        });
        assert!(!header.matches(&req));
        let method = Condition::compile(&api::lb::Condition::HttpRequestMethod {
            values: vec!["GET".into()],
        });
        assert!(method.matches(&req));
        let method = Condition::compile(&api::lb::Condition::HttpRequestMethod {
            values: vec!["get".into()],
        });
        assert!(!method.matches(&req));
        let q = |key: Option<&str>, value: &str| {
            Condition::compile(&api::lb::Condition::QueryString {
                values: vec![api::lb::QueryPair {
                    key: key.map(str::to_owned),
                    value: value.into(),
                }],
            })
        };
        assert!(q(Some("version"), "v2 *").matches(&req));
        assert!(q(None, "1").matches(&req));
        assert!(!q(Some("a"), "2").matches(&req));
        assert!(q(Some("flag"), "").matches(&req));
        let src = |values: &[&str]| {
            Condition::compile(&api::lb::Condition::SourceIp {
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            })
        };
        assert!(src(&["10.0.0.0/8"]).matches(&req));
        assert!(src(&["192.168.0.0/16", "10.1.2.3"]).matches(&req));
        assert!(!src(&["192.168.0.0/16"]).matches(&req));
        assert!(!src(&["not-a-cidr"]).matches(&req));
        let mapped = RequestView { client_ip: "::ffff:10.1.2.3".parse().unwrap(), ..req.clone() };
        assert!(src(&["10.1.0.0/16"]).matches(&mapped));
    }

    #[test]
    fn empty_conditions_match() {
        let headers = hyper::HeaderMap::new();
        assert!(all_match(&[], &view(&headers, "/", "")));
    }
}
