//! `berth lb`: a load-balancer node of the data plane, following the control plane's
//! configuration as agents follow their desired task sets; `berth lb-token`: the token nodes
//! present. `berth dev` runs one node in-process.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use api::lb::{POLL_PATH, PollRequest, TOKEN_HEADER};

/// How long a poll asks the control plane to wait for a change.
const POLL_WAIT_SECONDS: u32 = 20;
/// The longest pause between failed polls.
const RETRY_CAP: Duration = Duration::from_secs(5);

#[derive(Debug, clap::Args)]
pub(crate) struct LbArgs {
    /// The control plane's URLs (repeat, or separate with commas): the node moves to the next
    /// when one does not answer.
    #[arg(long, required = true, value_delimiter = ',')]
    server: Vec<String>,
    /// The load-balancer token (`berth lb-token` on the control plane's machine).
    #[arg(long, env = "BERTH_LB_TOKEN", hide_env_values = true)]
    token: String,
    /// The node's name, unique among nodes (the host name by default).
    #[arg(long)]
    name: Option<String>,
    /// Bind every listener on this address instead of the one its load balancer's scheme
    /// names (`0.0.0.0` for internet-facing, `127.0.0.1` for internal).
    #[arg(long)]
    bind: Option<IpAddr>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct LbTokenArgs {
    /// The control plane's data directory.
    #[arg(long, default_value_os_t = crate::run::default_data_dir())]
    data_dir: PathBuf,
}

pub(crate) fn lb_token(args: &LbTokenArgs) -> anyhow::Result<()> {
    let secret = crate::run::agent_secret(&args.data_dir)?;
    println!("{}", server::caller::lb_token(&secret));
    Ok(())
}

pub(crate) async fn lb(args: LbArgs) -> anyhow::Result<()> {
    let name = args.name.clone().unwrap_or_else(host_name);
    let mut node = lb::Node::new(name);
    if let Some(bind) = args.bind {
        node = node.with_bind_address(bind);
    }
    tracing::info!(node = node.name(), servers = ?args.server, "Load-balancer node starting");
    tokio::select! {
        () = follow(node.clone(), args.server, args.token) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    node.shutdown().await;
    Ok(())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "lb".to_owned())
}

/// Follows the control plane forever: polls for the configuration, applies it, and reports
/// the health the node sees, at once whenever it changes (a pending poll is cut short and
/// sent again with the news).
pub(crate) async fn follow(node: lb::Node, servers: Vec<String>, token: String) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(u64::from(POLL_WAIT_SECONDS) + 30))
        .build()
    {
        Ok(c) => c,
        Err(error) => {
            tracing::error!(%error, "No HTTP client for the load-balancer channel");
            return;
        }
    };
    let mut health_changes = node.health_changes();
    let mut revision = 0;
    let mut listener_errors = Vec::new();
    let mut server = 0;
    let mut failures = 0u32;
    loop {
        health_changes.borrow_and_update();
        let request = PollRequest {
            node: node.name().to_owned(),
            revision,
            health: node.health(),
            listener_errors: listener_errors.clone(),
            metrics: node.metrics(),
            wait_seconds: Some(POLL_WAIT_SECONDS),
        };
        let url = format!("{}{POLL_PATH}", servers[server % servers.len()].trim_end_matches('/'));
        let poll = client.post(&url).header(TOKEN_HEADER, &token).json(&request).send();
        let answer = tokio::select! {
            answer = poll => answer,
            _ = health_changes.changed() => continue,
        };
        let config = match answer {
            Ok(response) if response.status().is_success() => {
                response.json::<api::lb::Config>().await.map_err(|e| e.to_string())
            }
            Ok(response) => Err(format!("{} answered {}", url, response.status())),
            Err(error) => Err(error.to_string()),
        };
        match config {
            Ok(config) => {
                failures = 0;
                revision = config.revision;
                listener_errors = node.apply(config).await;
                for error in &listener_errors {
                    tracing::warn!(listener = %error.listener_arn, message = %error.message, "A listener could not be served");
                }
            }
            Err(error) => {
                failures += 1;
                server += 1;
                let pause = Duration::from_millis(250 * 2u64.pow(failures.min(5))).min(RETRY_CAP);
                tracing::warn!(%error, "Polling the control plane for the load balancer's configuration failed");
                tokio::time::sleep(pause).await;
            }
        }
    }
}
