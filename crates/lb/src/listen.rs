//! Bound listeners: one accept loop per port, one task per client connection, which serves HTTP
//! (`proxy`) or TCP (`l4`), behind TLS for HTTPS and TLS listeners.
//!
//! A connection finds its listener's routing by port in the current tables, so a configuration
//! that keeps a port keeps its socket and connections. Closing a listener stops its accept loop
//! and asks its connections to finish: HTTP ones after their request in progress, TCP ones at once.
//! An HTTP connection that waits longer than the listener's idle timeout for the next request's
//! head is closed (hyper's header-read timeout, which runs from the moment the connection idles).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::metrics::ConnectionGuard;
use crate::proxy::{self, ConnInfo};
use crate::{Shared, l4};

/// How long a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a listener speaks.
#[derive(Clone)]
pub(crate) enum Kind {
    Http,
    Https(TlsAcceptor),
    Tcp,
    Tls(TlsAcceptor),
}

/// A bound listener.
pub(crate) struct Bound {
    pub(crate) local: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Bound {
    /// Binds `address` and starts accepting; `port` is the listener's configured port.
    pub(crate) async fn bind(
        shared: Arc<Shared>,
        address: SocketAddr,
        port: u16,
        kind: Kind,
    ) -> io::Result<Bound> {
        let listener = TcpListener::bind(address).await?;
        let local = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(shared, listener, port, kind, stopped));
        Ok(Bound { local, stop, task })
    }

    /// Stops accepting (the socket is closed when this returns) and tells connections to finish.
    pub(crate) async fn close(self) {
        let _ = self.stop.send(true);
        self.task.abort();
        let _ = self.task.await;
    }

    /// Closes without waiting, for `Drop`.
    pub(crate) fn abort(&self) {
        let _ = self.stop.send(true);
        self.task.abort();
    }
}

async fn accept_loop(
    shared: Arc<Shared>,
    listener: TcpListener,
    port: u16,
    kind: Kind,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = until_stopped(&mut stopped) => return,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(
                    shared.clone(),
                    port,
                    kind.clone(),
                    stream,
                    peer,
                    stopped.clone(),
                ));
            }
            Err(error) => {
                // Out of file descriptors and the like: back off rather than spin.
                tracing::warn!(port, error = %error, "Accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn serve(
    shared: Arc<Shared>,
    port: u16,
    kind: Kind,
    stream: TcpStream,
    peer: SocketAddr,
    stopped: watch::Receiver<bool>,
) {
    let Some(listener) = shared.routing.load().listeners.get(&port).cloned() else { return };
    let _connection = ConnectionGuard::open(listener.row.clone());
    let idle = listener.idle_timeout;
    drop(listener);
    match kind {
        Kind::Http => {
            let conn = ConnInfo::new(port, peer, false);
            serve_http(shared, stream, conn, idle, stopped).await;
        }
        Kind::Https(acceptor) => {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    serve_http(shared, tls, ConnInfo::new(port, peer, true), idle, stopped).await
                }
                Ok(Err(error)) => {
                    tracing::debug!(client = %peer, error = %error, "TLS handshake failed")
                }
                Err(_) => tracing::debug!(client = %peer, "TLS handshake timed out"),
            }
        }
        Kind::Tcp => l4::serve(shared, port, stream, peer, stopped).await,
        Kind::Tls(acceptor) => {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => l4::serve(shared, port, tls, peer, stopped).await,
                Ok(Err(error)) => {
                    tracing::debug!(client = %peer, error = %error, "TLS handshake failed")
                }
                Err(_) => tracing::debug!(client = %peer, "TLS handshake timed out"),
            }
        }
    }
}

async fn serve_http<I>(
    shared: Arc<Shared>,
    io: I,
    conn: ConnInfo,
    idle: Duration,
    mut stopped: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = Arc::new(conn);
    let service = service_fn(move |req| proxy::handle(shared.clone(), conn.clone(), req));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.keep_alive(true).timer(TokioTimer::new()).header_read_timeout(idle);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    tokio::select! {
        res = connection.as_mut() => {
            if let Err(error) = res {
                tracing::debug!(error = %error, "Client connection ended with an error");
            }
        }
        () = until_stopped(&mut stopped) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Completes when the listener is closed (or its handle is gone). The guard `wait_for` returns is
/// dropped here, so callers' futures stay `Send`.
pub(crate) async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stopped| *stopped).await;
}
