//! Accepting connections within limits, so that no client, signed or not, can take the file
//! descriptors and the memory the control plane needs for everyone else.
//!
//! - At most `max` connections are open (the caller derives it from the file-descriptor limit,
//!   keeping a reserve for the store, the built-in agent and its runtime). When a connection
//!   arrives at the cap, a quiet one (no request under way; those that never began a request
//!   first, then the one quiet longest, among a sample of [`EVICTION_SAMPLE`]) is closed to
//!   make room; only when the sample has no quiet connection is the new one refused.
//! - At most `max-per-peer` connections come from one address, except from `unlimited-peers`.
//! - A connection with no request under way is closed after the idle timeout; once the first
//!   byte of a request has arrived, its head must be whole within the header timeout (a
//!   slowloris gains nothing by trickling bytes). The body timeout is `http::read_body`'s.
//! - After `max-requests-per-connection` requests, the last answer closes the connection.
//!
//! A request under way is never cut short here: a long poll (`/agent/v1/poll`) waits as long
//! as it needs to. Refusals and closings to make room are logged at most once per
//! [`LOG_EVERY`], with their counts since the previous line.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{HeaderValue, header};
use http_body_util::BodyExt as _;
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::Ctx;
use crate::config::Connections;

/// The shortest time between two log lines about refused or closed connections.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// How many open connections are looked at to choose the one that makes room at the cap.
const EVICTION_SAMPLE: usize = 256;

/// What a connection's read buffer may hold before a head still incomplete is refused (431);
/// the read that fills it may take it somewhat past.
const MAX_READ_BUFFER: usize = 64 * 1024;

/// How long accepting pauses after an error (such as running out of file descriptors).
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

/// Serves the API on `listener` with at most `max_connections` open connections, until
/// `shutdown` completes; then stops accepting and finishes the requests under way.
pub async fn serve(
    listener: TcpListener,
    ctx: Ctx,
    max_connections: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = Arc::new(Limits::new(ctx.config().connections.clone(), max_connections));
    let router = hyper_util::service::TowerToHyperService::new(crate::router(ctx));
    let mut http = hyper::server::conn::http1::Builder::new();
    // Heads are timed by the watchdog below: from their first byte, not from the last answer.
    http.header_read_timeout(None);
    // What one connection may make the server hold while a head arrives (hyper's default is
    // about 400 KiB): signed ECS heads take a few KiB, and at the cap every connection counts.
    http.max_buf_size(MAX_READ_BUFFER);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    limits.note(|log| {
                        log.accept_errors += 1;
                        log.last_accept_error = Some(error.to_string());
                    });
                    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Refused: dropping the stream closes it at once.
        let Some(conn) = limits.admit(peer.ip()) else { continue };
        let io = TokioIo::new(Tracked { stream, conn: conn.clone() });
        let service = {
            let conn = conn.clone();
            let router = router.clone();
            let max_requests = limits.config.max_requests_per_connection;
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let (under_way, served) = conn.begin();
                let answer = router.call(request);
                async move {
                    let mut response = answer.await?;
                    if served >= max_requests {
                        response
                            .headers_mut()
                            .insert(header::CONNECTION, HeaderValue::from_static("close"));
                    }
                    // The request stays under way until its answer's last byte is written (a
                    // long poll's answer streams).
                    Ok::<_, Infallible>(response.map(|body| {
                        axum::body::Body::new(body.map_frame(move |frame| {
                            let _ = &under_way;
                            frame
                        }))
                    }))
                }
            })
        };
        let connection = graceful.watch(http.serve_connection(io, service));
        let limits = limits.clone();
        tokio::spawn(async move {
            tokio::select! {
                served = connection => {
                    if let Err(error) = served {
                        tracing::debug!(error = %error, "A connection ended with an error");
                    }
                }
                reason = limits.watch(&conn) => {
                    tracing::debug!(peer = %conn.peer, reason, "Closed a connection");
                }
            }
            limits.release(&conn);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The limits in force and the connections they count.
struct Limits {
    config: Connections,
    max: usize,
    epoch: Instant,
    open: parking_lot::Mutex<Open>,
    log: parking_lot::Mutex<Refusals>,
}

#[derive(Default)]
struct Open {
    next_id: u64,
    by_id: HashMap<u64, Arc<Conn>>,
    /// Open connections of each peer that `max_per_peer` limits.
    per_peer: HashMap<IpAddr, usize>,
}

/// What happened to connections since the last log line.
#[derive(Default)]
struct Refusals {
    at_cap: u64,
    per_peer: u64,
    closed_for_room: u64,
    accept_errors: u64,
    last_accept_error: Option<String>,
    logged_at: Option<Instant>,
    /// Whether a line with these counts is due once [`LOG_EVERY`] has passed.
    flush_pending: bool,
}

impl Limits {
    fn new(config: Connections, max: usize) -> Limits {
        Limits {
            config,
            max: max.max(1),
            epoch: Instant::now(),
            open: Default::default(),
            log: Default::default(),
        }
    }

    /// Counts a new connection from `peer` in, making room if needed; `None` if it is refused.
    fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<Arc<Conn>> {
        let limited = self.config.per_peer_limited(peer);
        let mut open = self.open.lock();
        if limited && open.per_peer.get(&peer).copied().unwrap_or(0) >= self.config.max_per_peer {
            drop(open);
            self.note(|log| log.per_peer += 1);
            return None;
        }
        let mut closed_for_room = false;
        if open.by_id.len() >= self.max {
            // The quiet connection that never completed a request, else the one quiet longest,
            // among the first few: at the cap, an attacker's every connection comes here, so
            // the choice costs the same however many connections are open.
            let quietest = open
                .by_id
                .values()
                .take(EVICTION_SAMPLE)
                .filter(|conn| conn.in_flight.load(Ordering::Acquire) == 0)
                .min_by_key(|conn| (conn.requests.load(Ordering::Relaxed) > 0, conn.quiet_since()))
                .cloned();
            let Some(quietest) = quietest else {
                drop(open);
                self.note(|log| log.at_cap += 1);
                return None;
            };
            open.remove(&quietest);
            quietest.close.notify_one();
            closed_for_room = true;
        }
        open.next_id += 1;
        let conn = Arc::new(Conn {
            id: open.next_id,
            peer,
            limited,
            epoch: self.epoch,
            in_flight: AtomicU32::new(0),
            requests: AtomicU64::new(0),
            idle_since: AtomicU64::new(millis_since(self.epoch)),
            head_since: AtomicU64::new(0),
            close: Notify::new(),
        });
        open.by_id.insert(conn.id, conn.clone());
        if limited {
            *open.per_peer.entry(peer).or_default() += 1;
        }
        drop(open);
        if closed_for_room {
            self.note(|log| log.closed_for_room += 1);
        }
        Some(conn)
    }

    /// Counts a connection out once its task ends.
    fn release(&self, conn: &Conn) {
        self.open.lock().remove(conn);
    }

    /// Completes when the connection is to be closed, saying why: it stayed idle, a head took
    /// too long, or it was closed to make room. Never while a request is under way.
    async fn watch(&self, conn: &Conn) -> &'static str {
        let header = millis(self.config.header_timeout);
        let idle = millis(self.config.idle_timeout);
        loop {
            let now = millis_since(self.epoch);
            let (deadline, reason) = if conn.in_flight.load(Ordering::Acquire) > 0 {
                (now + header.min(idle), None)
            } else {
                match conn.head_since.load(Ordering::Acquire) {
                    0 => (conn.idle_since.load(Ordering::Acquire) + idle, Some("idle")),
                    since => (since - 1 + header, Some("the head was too slow")),
                }
            };
            if let Some(reason) = reason
                && now >= deadline
            {
                return reason;
            }
            // A head that begins while the watchdog sleeps is due a header timeout after its
            // first byte, which is never before `now + header`: waking at the latest then, the
            // watchdog meets every deadline without being woken by each request.
            let wake = self.epoch + Duration::from_millis(deadline.min(now + header));
            tokio::select! {
                () = tokio::time::sleep_until(wake) => {}
                () = conn.close.notified() => return "closed to make room",
            }
        }
    }

    /// Records an event and logs the counts if the last line is old enough; otherwise the
    /// counts are logged once it is.
    fn note(self: &Arc<Self>, event: impl FnOnce(&mut Refusals)) {
        let mut log = self.log.lock();
        event(&mut log);
        if let Some(at) = log.logged_at
            && at.elapsed() < LOG_EVERY
        {
            if !log.flush_pending {
                log.flush_pending = true;
                let limits = Arc::downgrade(self);
                tokio::spawn(async move {
                    tokio::time::sleep_until(at + LOG_EVERY).await;
                    if let Some(limits) = limits.upgrade() {
                        limits.log_counts(&mut limits.log.lock());
                    }
                });
            }
            return;
        }
        self.log_counts(&mut log);
    }

    fn log_counts(&self, log: &mut Refusals) {
        let open = self.open.lock().by_id.len();
        tracing::warn!(
            open,
            max = self.max,
            max_per_peer = self.config.max_per_peer,
            refused_at_cap = log.at_cap,
            refused_per_peer = log.per_peer,
            closed_for_room = log.closed_for_room,
            accept_errors = log.accept_errors,
            last_accept_error = log.last_accept_error.as_deref().unwrap_or(""),
            "Connections refused or closed to stay within the limits (counts since the last such line)"
        );
        *log = Refusals { logged_at: Some(Instant::now()), ..Refusals::default() };
    }
}

impl Open {
    fn remove(&mut self, conn: &Conn) {
        if self.by_id.remove(&conn.id).is_none() || !conn.limited {
            return;
        }
        if let Some(count) = self.per_peer.get_mut(&conn.peer) {
            *count -= 1;
            if *count == 0 {
                self.per_peer.remove(&conn.peer);
            }
        }
    }
}

/// One open connection. Times are milliseconds since the server's epoch.
struct Conn {
    id: u64,
    peer: IpAddr,
    /// Whether it counts against `max_per_peer`.
    limited: bool,
    epoch: Instant,
    /// Requests under way: from their head until the last byte of their answer.
    in_flight: AtomicU32,
    /// Requests begun on this connection.
    requests: AtomicU64,
    /// When the connection was accepted or its last answer finished.
    idle_since: AtomicU64,
    /// One more than when the first byte of the next request arrived; 0 until it has.
    head_since: AtomicU64,
    /// Told to close to make room.
    close: Notify,
}

impl Conn {
    /// A request's head has arrived: it is under way until the guard is dropped. Also returns
    /// how many requests the connection has begun, this one included.
    fn begin(self: &Arc<Conn>) -> (UnderWay, u64) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(0, Ordering::Release);
        let begun = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        (UnderWay(self.clone()), begun)
    }

    /// Bytes arrived: if nothing was under way, they start the next request's head.
    fn bytes_arrived(&self) {
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let now = millis_since(self.epoch) + 1;
            let _ = self.head_since.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    /// Since when the connection has had nothing under way and no request begun.
    fn quiet_since(&self) -> u64 {
        match self.head_since.load(Ordering::Acquire) {
            0 => self.idle_since.load(Ordering::Acquire),
            since => since - 1,
        }
    }
}

/// A request under way on its connection.
struct UnderWay(Arc<Conn>);

impl Drop for UnderWay {
    fn drop(&mut self) {
        let conn = &self.0;
        conn.idle_since.store(millis_since(conn.epoch), Ordering::Release);
        conn.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX / 2)
}

fn millis_since(epoch: Instant) -> u64 {
    millis(epoch.elapsed())
}

/// A connection's socket that notes when bytes arrive.
struct Tracked {
    stream: TcpStream,
    conn: Arc<Conn>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.conn.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max: usize, max_per_peer: usize) -> Arc<Limits> {
        let config =
            Connections { max_per_peer, unlimited_peers: Vec::new(), ..Connections::default() };
        Arc::new(Limits::new(config, max))
    }

    #[tokio::test]
    async fn a_peer_over_its_limit_is_refused_others_are_not() {
        let limits = limits(100, 2);
        let peer: IpAddr = "192.0.2.1".parse().unwrap();
        let first = limits.admit(peer).unwrap();
        let _second = limits.admit(peer).unwrap();
        assert!(limits.admit(peer).is_none());
        assert!(limits.admit("192.0.2.2".parse().unwrap()).is_some());
        limits.release(&first);
        assert!(limits.admit(peer).is_some(), "a released connection frees its place");
    }

    #[tokio::test]
    async fn at_the_cap_the_quietest_idle_connection_makes_room() {
        let limits = limits(3, 10);
        let peer: IpAddr = "192.0.2.1".parse().unwrap();
        let served = limits.admit(peer).unwrap();
        let busy = limits.admit(peer).unwrap();
        let never_used = limits.admit(peer).unwrap();
        drop(served.begin().0);
        let _under_way = busy.begin().0;
        // The connection that never completed a request goes first, then the idle one; one
        // with a request under way never does.
        let fourth = limits.admit(peer).unwrap();
        assert!(!limits.open.lock().by_id.contains_key(&never_used.id));
        let _fourth_busy = fourth.begin().0;
        let fifth = limits.admit(peer).unwrap();
        assert!(!limits.open.lock().by_id.contains_key(&served.id));
        assert!(limits.open.lock().by_id.contains_key(&busy.id));
        let _fifth_busy = fifth.begin().0;
        assert!(limits.admit(peer).is_none(), "every connection has a request under way");
        assert_eq!(*limits.open.lock().per_peer.get(&peer).unwrap(), 3);
        // The closed ones were told to close.
        tokio::time::timeout(Duration::from_secs(1), never_used.close.notified()).await.unwrap();
        tokio::time::timeout(Duration::from_secs(1), served.close.notified()).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn idle_and_slow_heads_are_timed_but_requests_under_way_are_not() {
        let config = Connections {
            header_timeout: Duration::from_secs(2),
            idle_timeout: Duration::from_secs(10),
            ..Connections::default()
        };
        let limits = Arc::new(Limits::new(config, 10));
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        // Idle from the start.
        let idle = limits.admit(peer).unwrap();
        let started = Instant::now();
        assert_eq!(limits.watch(&idle).await, "idle");
        assert_eq!(started.elapsed().as_secs(), 10);
        // A head begun is timed from its first byte, which may come while the watchdog waits.
        let slow = limits.admit(peer).unwrap();
        let started = Instant::now();
        let first_byte = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            slow.bytes_arrived();
        };
        let (reason, ()) = tokio::join!(limits.watch(&slow), first_byte);
        assert_eq!(reason, "the head was too slow");
        assert_eq!(started.elapsed().as_secs(), 7);
        // A request under way (a long poll) is not timed; its end starts the idle time.
        let polling = limits.admit(peer).unwrap();
        let (under_way, _) = polling.begin();
        let started = Instant::now();
        let ended = async {
            tokio::time::sleep(Duration::from_secs(100)).await;
            drop(under_way);
        };
        let (reason, ()) = tokio::join!(limits.watch(&polling), ended);
        assert_eq!(reason, "idle");
        assert_eq!(started.elapsed().as_secs(), 110);
    }
}
