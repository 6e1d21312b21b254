//! The HTTP data path (ALB): evaluate a listener's rules against a request, then answer it
//! (fixed response, redirect) or forward it to a target, streaming both bodies.
//!
//! The routing tables are loaded once per request, so a configuration applied meanwhile does
//! not change where a request already on its way goes. Forwarded requests get ELB's
//! `X-Forwarded-*` headers and an `X-Amzn-Trace-Id`; hop-by-hop headers are dropped both ways.
//! A target that cannot be reached gets the client a 502, one that does not answer in the
//! listener's idle timeout a 504, and a group with no target a 503, all generated here.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode, Uri};
use rand::Rng;

use crate::Shared;
use crate::balance::{InFlight, choose_group, choose_target};
use crate::config::{Action, CompiledListener, WeightedGroup};
use crate::metrics::Counters;
use crate::rules::{RequestView, all_match, host_without_port, query_pairs};

/// The body of every answer a listener gives.
pub(crate) type Body = UnsyncBoxBody<Bytes, hyper::Error>;

/// The cookie of target stickiness.
pub(crate) const TARGET_COOKIE: &str = "AWSALB";
/// The cookie of target-group stickiness.
pub(crate) const GROUP_COOKIE: &str = "AWSALBTG";

/// What a connection tells its requests.
#[derive(Debug)]
pub(crate) struct ConnInfo {
    /// The listener's port, the key of its routing table.
    pub(crate) port: u16,
    pub(crate) peer: SocketAddr,
    pub(crate) https: bool,
}

/// A body passed through: counts its bytes and holds the target's in-flight count until it ends.
#[derive(Debug)]
pub(crate) struct Tracked<B> {
    inner: B,
    row: Arc<Counters>,
    in_flight: Option<InFlight>,
}

impl<B> Tracked<B> {
    pub(crate) fn new(inner: B, row: Arc<Counters>, in_flight: Option<InFlight>) -> Tracked<B> {
        Tracked { inner, row, in_flight }
    }
}

impl<B> hyper::body::Body for Tracked<B>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = &mut *self;
        let res = Pin::new(&mut this.inner).poll_frame(cx);
        match &res {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    Counters::add(&this.row.processed_bytes, data.len() as u64);
                }
            }
            Poll::Ready(None | Some(Err(_))) => {
                this.in_flight = None;
            }
            Poll::Pending => {}
        }
        res
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Handles one request of an HTTP or HTTPS listener.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    conn: Arc<ConnInfo>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let routing = shared.routing.load_full();
    let Some(listener) = routing.listeners.get(&conn.port).cloned() else {
        return Ok(generated(StatusCode::SERVICE_UNAVAILABLE));
    };
    drop(routing);
    let host_header = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_default();
    let host = host_without_port(&host_header).to_owned();
    let view = RequestView {
        method: req.method().as_str(),
        path: req.uri().path(),
        host: &host,
        headers: req.headers(),
        query: query_pairs(req.uri().query().unwrap_or("")),
        client_ip: conn.peer.ip(),
    };
    let Some(rule) = listener.rules.iter().find(|rule| all_match(&rule.conditions, &view)) else {
        Counters::add(&listener.row.request_count, 1);
        listener.row.elb_status(503);
        return Ok(generated(StatusCode::SERVICE_UNAVAILABLE));
    };
    match &rule.action {
        Action::Fixed { status, content_type, body } => {
            Counters::add(&listener.row.request_count, 1);
            Counters::add(&listener.row.processed_bytes, body.len() as u64);
            let mut res = Response::new(full(body.clone()));
            *res.status_mut() = *status;
            res.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
            Ok(res)
        }
        Action::Redirect { protocol, host: to_host, port, path, query, status } => {
            Counters::add(&listener.row.request_count, 1);
            let values = PlaceholderValues {
                protocol: if conn.https { "HTTPS" } else { "HTTP" },
                host: &host,
                port: &listener.port.to_string(),
                path: req.uri().path(),
                query: req.uri().query().unwrap_or(""),
            };
            let location = redirect_location(&values, protocol, to_host, port, path, query);
            match HeaderValue::from_str(&location) {
                Ok(location) => {
                    let mut res = Response::new(full(Bytes::new()));
                    *res.status_mut() = *status;
                    res.headers_mut().insert(header::LOCATION, location);
                    Ok(res)
                }
                Err(_) => {
                    listener.row.elb_status(500);
                    Ok(generated(StatusCode::INTERNAL_SERVER_ERROR))
                }
            }
        }
        Action::Forward { groups, stickiness_seconds } => {
            Ok(forward(&shared, &conn, &listener, groups, *stickiness_seconds, req).await)
        }
    }
}

async fn forward(
    shared: &Shared,
    conn: &ConnInfo,
    listener: &CompiledListener,
    groups: &[WeightedGroup],
    group_stickiness: Option<u32>,
    req: Request<Incoming>,
) -> Response<Body> {
    let cookies = StickyCookies::read(req.headers());
    let (chosen, trace_random) = {
        let mut rng = shared.rng.lock();
        let chosen = choose_group(groups, cookies.group.as_deref(), &mut rng).map(|index| {
            let weighted = &groups[index];
            (
                weighted,
                choose_target(&weighted.group, cookies.target.as_deref(), Instant::now(), &mut rng),
            )
        });
        (chosen, rng.random::<u128>())
    };
    let Some((weighted, Some(target))) = chosen else {
        Counters::add(&listener.row.request_count, 1);
        listener.row.elb_status(503);
        return generated(StatusCode::SERVICE_UNAVAILABLE);
    };
    let row = &weighted.row;
    Counters::add(&row.request_count, 1);
    let in_flight = InFlight::start(target.clone());

    let (mut parts, body) = req.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    parts.uri = match Uri::builder()
        .scheme("http")
        .authority(target.address.to_string())
        .path_and_query(path_and_query)
        .build()
    {
        Ok(uri) => uri,
        Err(_) => {
            row.elb_status(400);
            return generated(StatusCode::BAD_REQUEST);
        }
    };
    parts.version = hyper::Version::HTTP_11;
    strip_hop_by_hop(&mut parts.headers);
    add_forwarded(&mut parts.headers, conn, listener.port, trace_random);
    let request = Request::from_parts(parts, Tracked::new(body, row.clone(), None));

    let started = Instant::now();
    let answer = tokio::time::timeout(listener.idle_timeout, shared.client.request(request)).await;
    let response = match answer {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            tracing::debug!(target = %target.address, error = %error, "Target request failed");
            row.elb_status(502);
            return generated(StatusCode::BAD_GATEWAY);
        }
        Err(_) => {
            tracing::debug!(target = %target.address, "Target did not answer in time");
            row.elb_status(504);
            return generated(StatusCode::GATEWAY_TIMEOUT);
        }
    };
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    Counters::add(&row.target_response_micros, micros);
    row.target_status(response.status().as_u16());

    let (mut parts, body) = response.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    if let Some(seconds) = group_stickiness {
        set_cookie(&mut parts.headers, GROUP_COOKIE, &weighted.group.key, seconds);
    }
    if let Some(seconds) = weighted.group.stickiness_seconds {
        set_cookie(&mut parts.headers, TARGET_COOKIE, &target.key, seconds);
    }
    Response::from_parts(parts, Tracked::new(body, row.clone(), Some(in_flight)).boxed_unsync())
}

/// A response the load balancer makes up.
pub(crate) fn generated(status: StatusCode) -> Response<Body> {
    let text = format!(
        "<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n<center><h1>{status}</h1></center>\r\n</body>\r\n</html>\r\n"
    );
    let mut res = Response::new(full(Bytes::from(text)));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    res
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed_unsync()
}

/// The values of the stickiness cookies a request carries.
#[derive(Debug, Default, PartialEq, Eq)]
struct StickyCookies {
    target: Option<String>,
    group: Option<String>,
}

impl StickyCookies {
    fn read(headers: &HeaderMap) -> StickyCookies {
        let mut res = StickyCookies::default();
        for value in headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            for pair in value.split(';') {
                let Some((name, value)) = pair.trim().split_once('=') else { continue };
                match name.trim() {
                    TARGET_COOKIE => res.target = Some(value.trim().to_owned()),
                    GROUP_COOKIE => res.group = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
        }
        res
    }
}

fn set_cookie(headers: &mut HeaderMap, name: &str, value: &str, seconds: u32) {
    if let Ok(cookie) = HeaderValue::from_str(&format!("{name}={value}; Max-Age={seconds}; Path=/"))
    {
        headers.append(header::SET_COOKIE, cookie);
    }
}

/// Headers that concern one connection, not the message (RFC 9110 section 7.6.1), plus those the
/// `Connection` header names.
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in [
        header::CONNECTION,
        header::TE,
        header::TRAILER,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
        header::PROXY_AUTHORIZATION,
        header::PROXY_AUTHENTICATE,
    ] {
        headers.remove(name);
    }
    headers.remove("keep-alive");
    headers.remove("proxy-connection");
}

fn add_forwarded(headers: &mut HeaderMap, conn: &ConnInfo, port: u16, trace_random: u128) {
    let client = match conn.peer.ip() {
        std::net::IpAddr::V6(v6) => {
            v6.to_ipv4_mapped().map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4)
        }
        ip => ip,
    };
    let previous: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let forwarded_for = if previous.is_empty() {
        client.to_string()
    } else {
        format!("{}, {client}", previous.join(", "))
    };
    if let Ok(value) = HeaderValue::from_str(&forwarded_for) {
        headers.insert("x-forwarded-for", value);
    }
    headers.insert(
        "x-forwarded-proto",
        HeaderValue::from_static(if conn.https { "https" } else { "http" }),
    );
    headers.insert("x-forwarded-port", HeaderValue::from(port));
    if !headers.contains_key("x-amzn-trace-id") {
        let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let random = trace_random & ((1u128 << 96) - 1);
        if let Ok(value) =
            HeaderValue::from_str(&format!("Root=1-{:08x}-{random:024x}", epoch as u32))
        {
            headers.insert("x-amzn-trace-id", value);
        }
    }
}

/// The request's own values that a redirect's placeholders stand for.
struct PlaceholderValues<'a> {
    protocol: &'a str,
    host: &'a str,
    port: &'a str,
    path: &'a str,
    query: &'a str,
}

/// ELB's redirect target: each part with `#{protocol}`, `#{host}`, `#{port}`, `#{path}` (without
/// its leading `/`) and `#{query}` replaced; the port is left out when it is the protocol's own.
fn redirect_location(
    values: &PlaceholderValues<'_>,
    protocol: &str,
    host: &str,
    port: &str,
    path: &str,
    query: &str,
) -> String {
    let fill = |part: &str| {
        part.replace("#{protocol}", values.protocol)
            .replace("#{host}", values.host)
            .replace("#{port}", values.port)
            .replace("#{path}", values.path.strip_prefix('/').unwrap_or(values.path))
            .replace("#{query}", values.query)
    };
    let protocol = fill(protocol).to_ascii_lowercase();
    let host = fill(host);
    let port = fill(port);
    let mut path = fill(path);
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let query = fill(query);
    let default_port =
        (protocol == "http" && port == "80") || (protocol == "https" && port == "443");
    let port = if default_port || port.is_empty() { String::new() } else { format!(":{port}") };
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    format!("{protocol}://{host}{port}{path}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PlaceholderValues<'static> {
        PlaceholderValues {
            protocol: "HTTP",
            host: "example.com",
            port: "8080",
            path: "/a/b",
            query: "x=1",
        }
    }

    #[test]
    fn redirect_keeps_placeholders() {
        let location =
            redirect_location(&values(), "HTTPS", "#{host}", "443", "/#{path}", "#{query}");
        assert_eq!(location, "https://example.com/a/b?x=1");
        let location = redirect_location(
            &values(),
            "#{protocol}",
            "new.example.com",
            "#{port}",
            "/x/#{path}",
            "",
        );
        assert_eq!(location, "http://new.example.com:8080/x/a/b");
    }

    #[test]
    fn cookies_are_read() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; AWSALB=abc"));
        headers.append(header::COOKIE, HeaderValue::from_static("AWSALBTG=def"));
        assert_eq!(
            StickyCookies::read(&headers),
            StickyCookies { target: Some("abc".into()), group: Some("def".into()) }
        );
    }

    #[test]
    fn hop_by_hop_headers_go() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, HeaderValue::from_static("keep-alive, x-private"));
        headers.insert("x-private", HeaderValue::from_static("1"));
        headers.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        headers.insert("x-kept", HeaderValue::from_static("1"));
        strip_hop_by_hop(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("x-kept"));
    }

    #[test]
    fn forwarded_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        let conn =
            ConnInfo { port: 80, peer: "[::ffff:10.0.0.9]:5555".parse().unwrap(), https: true };
        add_forwarded(&mut headers, &conn, 443, 0xabc);
        assert_eq!(headers["x-forwarded-for"], "1.2.3.4, 10.0.0.9");
        assert_eq!(headers["x-forwarded-proto"], "https");
        assert_eq!(headers["x-forwarded-port"], "443");
        let trace = headers["x-amzn-trace-id"].to_str().unwrap();
        assert!(
            trace.starts_with("Root=1-") && trace.ends_with("-000000000000000000000abc"),
            "{trace}"
        );
        assert_eq!(trace.len(), "Root=1-".len() + 8 + 1 + 24);
    }
}
