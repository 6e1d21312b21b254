//! The HTTP data path (ALB): evaluate a listener's rules against a request, then answer it
//! (fixed response, redirect) or forward it to a target, streaming both bodies.
//!
//! The routing tables are loaded once per request, so a configuration applied meanwhile does
//! not change where a request already on its way goes. Forwarded requests get ELB's
//! `X-Forwarded-*` headers and an `X-Amzn-Trace-Id`; hop-by-hop headers are dropped both ways.
//! A target that cannot be reached gets the client a 502, one that does not answer in the
//! listener's idle timeout a 504, and a group with no target a 503, all generated here.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::http::uri::{self, PathAndQuery, Scheme};
use hyper::{Request, Response, StatusCode, Uri};
use rand::Rng;
use tokio::time::Sleep;

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

/// What a connection tells its requests, and what its requests reuse.
#[derive(Debug)]
pub(crate) struct ConnInfo {
    /// The listener's port, the key of its routing table.
    pub(crate) port: u16,
    pub(crate) peer: SocketAddr,
    pub(crate) https: bool,
    /// The client's address as `X-Forwarded-For` names it (IPv4-mapped addresses as IPv4).
    forwarded_for: HeaderValue,
    /// The timer of the target's answer, kept across the connection's requests (see `answer`).
    timer: parking_lot::Mutex<Option<Pin<Box<Sleep>>>>,
}

impl ConnInfo {
    pub(crate) fn new(port: u16, peer: SocketAddr, https: bool) -> ConnInfo {
        let client = match peer.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            ip => ip,
        };
        let forwarded_for = HeaderValue::try_from(client.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static(""));
        ConnInfo { port, peer, https, forwarded_for, timer: parking_lot::Mutex::new(None) }
    }

    fn forwarded_proto(&self) -> HeaderValue {
        HeaderValue::from_static(if self.https { "https" } else { "http" })
    }
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
    let Some(listener) = shared.routing.load().listeners.get(&conn.port).cloned() else {
        return Ok(generated(StatusCode::SERVICE_UNAVAILABLE));
    };
    let host_header = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(uri::Authority::as_str))
        .unwrap_or_default();
    let host = host_without_port(host_header);
    let view = RequestView {
        method: req.method().as_str(),
        path: req.uri().path(),
        host,
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
                host,
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
    let now = Instant::now();
    let (chosen, trace_random) = {
        let mut rng = shared.rng.lock();
        let chosen = choose_group(groups, cookies.group.as_deref(), &mut rng).map(|index| {
            let weighted = &groups[index];
            (weighted, choose_target(&weighted.group, cookies.target.as_deref(), now, &mut rng))
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
    let Some(authority) = target.authority.clone() else {
        row.elb_status(400);
        return generated(StatusCode::BAD_REQUEST);
    };
    let mut uri_parts = std::mem::take(&mut parts.uri).into_parts();
    uri_parts.scheme = Some(Scheme::HTTP);
    uri_parts.authority = Some(authority);
    if uri_parts.path_and_query.is_none() {
        uri_parts.path_and_query = Some(PathAndQuery::from_static("/"));
    }
    parts.uri = match Uri::from_parts(uri_parts) {
        Ok(uri) => uri,
        Err(_) => {
            row.elb_status(400);
            return generated(StatusCode::BAD_REQUEST);
        }
    };
    parts.version = hyper::Version::HTTP_11;
    strip_hop_by_hop(&mut parts.headers);
    add_forwarded(&mut parts.headers, conn, &listener.forwarded_port, trace_random);
    let request = Request::from_parts(parts, Tracked::new(body, row.clone(), None));

    let started = Instant::now();
    let response = match answer(conn, listener.idle_timeout, shared.client.request(request)).await {
        Some(Ok(response)) => response,
        Some(Err(error)) => {
            tracing::debug!(target = %target.address, error = %error, "Target request failed");
            row.elb_status(502);
            return generated(StatusCode::BAD_GATEWAY);
        }
        None => {
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

/// Awaits the target's answer for at most `timeout` (and at most `timer_slack(timeout)` more):
/// `None` when it does not come in time.
///
/// The timer is the connection's, kept across its requests and moved only when its deadline is
/// out of `[now + timeout, now + timeout + slack]`, so a connection's requests usually neither
/// register nor move a timer.
async fn answer<F: Future>(conn: &ConnInfo, timeout: Duration, response: F) -> Option<F::Output> {
    let wanted = tokio::time::Instant::now() + timeout;
    let latest = wanted + timer_slack(timeout);
    let kept = conn.timer.lock().take();
    let mut timer = match kept {
        Some(timer) if (wanted..=latest).contains(&timer.deadline()) => timer,
        Some(mut timer) => {
            timer.as_mut().reset(latest);
            timer
        }
        None => Box::pin(tokio::time::sleep_until(latest)),
    };
    let mut response = std::pin::pin!(response);
    let res = std::future::poll_fn(|cx| {
        if let Poll::Ready(res) = response.as_mut().poll(cx) {
            return Poll::Ready(Some(res));
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await;
    *conn.timer.lock() = Some(timer);
    res
}

/// How much later than its timeout a target's answer may be cut off: a sixteenth of the timeout,
/// at most a quarter second.
fn timer_slack(timeout: Duration) -> Duration {
    (timeout / 16).min(Duration::from_millis(250))
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
    // Most messages have none: one pass over the names, without hashing or allocating.
    if !headers.keys().any(is_hop_by_hop) {
        return;
    }
    if headers.contains_key(header::CONNECTION) {
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

/// Whether a header is one of the fixed hop-by-hop ones (the `Connection` header names others).
fn is_hop_by_hop(name: &HeaderName) -> bool {
    *name == header::CONNECTION
        || *name == header::TE
        || *name == header::TRAILER
        || *name == header::TRANSFER_ENCODING
        || *name == header::UPGRADE
        || *name == header::PROXY_AUTHORIZATION
        || *name == header::PROXY_AUTHENTICATE
        || name.as_str() == "keep-alive"
        || name.as_str() == "proxy-connection"
}

fn add_forwarded(
    headers: &mut HeaderMap,
    conn: &ConnInfo,
    forwarded_port: &HeaderValue,
    trace_random: u128,
) {
    const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
    const TRACE_ID: HeaderName = HeaderName::from_static("x-amzn-trace-id");
    let forwarded_for = match headers.entry(FORWARDED_FOR) {
        header::Entry::Vacant(entry) => {
            entry.insert(conn.forwarded_for.clone());
            None
        }
        header::Entry::Occupied(entry) => {
            let mut value = String::new();
            for previous in entry.iter().filter_map(|v| v.to_str().ok()) {
                value.push_str(previous);
                value.push_str(", ");
            }
            value.push_str(conn.forwarded_for.to_str().unwrap_or_default());
            Some(value)
        }
    };
    if let Some(value) = forwarded_for
        && let Ok(value) = HeaderValue::try_from(value)
    {
        headers.insert(FORWARDED_FOR, value);
    }
    headers.insert(HeaderName::from_static("x-forwarded-proto"), conn.forwarded_proto());
    headers.insert(HeaderName::from_static("x-forwarded-port"), forwarded_port.clone());
    if !headers.contains_key(TRACE_ID) {
        let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        headers.insert(TRACE_ID, trace_id(epoch as u32, trace_random));
    }
}

/// `Root=1-{epoch:08x}-{random:024x}` with the low 96 bits of `random`, written without `format!`.
fn trace_id(epoch: u32, random: u128) -> HeaderValue {
    const PREFIX: &[u8] = b"Root=1-";
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; PREFIX.len() + 8 + 1 + 24];
    buf[..PREFIX.len()].copy_from_slice(PREFIX);
    let (epoch_hex, rest) = buf[PREFIX.len()..].split_at_mut(8);
    for (i, digit) in epoch_hex.iter_mut().enumerate() {
        *digit = HEX[((epoch >> (28 - 4 * i)) & 0xf) as usize];
    }
    rest[0] = b'-';
    for (i, digit) in rest[1..].iter_mut().enumerate() {
        *digit = HEX[((random >> (92 - 4 * i)) & 0xf) as usize];
    }
    HeaderValue::from_bytes(&buf).expect("ASCII hex is a header value")
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
        let conn = ConnInfo::new(80, "[::ffff:10.0.0.9]:5555".parse().unwrap(), true);
        add_forwarded(&mut headers, &conn, &HeaderValue::from(443u16), 0xabc);
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
