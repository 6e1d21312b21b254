//! The TCP data path (NLB): a client connection of a TCP or TLS listener is paired with one
//! connection to a target of the listener's target group (round robin over the healthy ones,
//! failing open) and bytes are copied both ways until either side closes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::Shared;
use crate::balance::{InFlight, choose_group, choose_target};
use crate::config::Action;
use crate::metrics::Counters;

/// How long a connection to a target may take (ELB's 10 seconds).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves one client connection of a TCP or TLS listener until either side closes or the
/// listener is closed.
pub(crate) async fn serve<I>(
    shared: Arc<Shared>,
    port: u16,
    mut client: I,
    peer: SocketAddr,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin,
{
    let Some(listener) = shared.routing.load().listeners.get(&port).cloned() else { return };
    // A network listener has one rule, its default action; take the first that forwards.
    let Some(groups) = listener.rules.iter().find_map(|rule| match &rule.action {
        Action::Forward { groups, .. } => Some(groups),
        _ => None,
    }) else {
        tracing::debug!(listener = %listener.arn, "TCP listener has no forward action; connection closed");
        return;
    };
    let chosen = {
        let mut rng = shared.rng.lock();
        choose_group(groups, None, &mut rng).map(|index| {
            (&groups[index], choose_target(&groups[index].group, None, Instant::now(), &mut rng))
        })
    };
    let Some((weighted, Some(target))) = chosen else {
        tracing::debug!(listener = %listener.arn, client = %peer, "No target for TCP connection; connection closed");
        return;
    };
    let row = weighted.row.clone();
    let _in_flight = InFlight::start(target.clone());
    let mut upstream = match tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect(target.address),
    )
    .await
    {
        Ok(Ok(upstream)) => upstream,
        Ok(Err(error)) => {
            tracing::debug!(target = %target.address, error = %error, "Target refused TCP connection");
            return;
        }
        Err(_) => {
            tracing::debug!(target = %target.address, "TCP connection to target timed out");
            return;
        }
    };
    let _ = upstream.set_nodelay(true);
    tokio::select! {
        res = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {
            if let Ok((to_target, to_client)) = res {
                Counters::add(&row.processed_bytes, to_target + to_client);
            }
        }
        () = crate::listen::until_stopped(&mut stop) => {}
    }
}
