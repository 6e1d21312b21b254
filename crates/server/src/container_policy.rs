//! The cluster's container policy applied to a task definition: what its containers may ask of
//! the hosts they run on. Checked wherever a definition starts running (RunTask, StartTask,
//! CreateService, UpdateService, through `tasks::prepare`); a refusal is a `ClientException`
//! that names the member and the setting of `[clusters.<name>.containers]` that would allow it.
//!
//! What is refused unless allowed:
//! - privilege: `privileged`, added capabilities, and security options that turn a confinement
//!   off (`seccomp=unconfined`, `apparmor=unconfined`, `label=disable`...): `allow-privileged`;
//! - security options that name a profile of their own (an inline seccomp profile, an AppArmor
//!   profile of the host, an SELinux type) or that Berth does not know:
//!   `allow-custom-security-profiles`. Options are parsed as Docker parses them (`key=value`,
//!   or the older `key:value`), never matched by substring;
//! - the host network mode: `allow-host-network`;
//! - host paths (`host.sourcePath`, driver options that bind one): `allow-host-mounts`. Docker
//!   volumes Berth did not create for the cluster can only be told apart on the host: the agent
//!   refuses them (see `agent::task`);
//! - log destinations on the host's own or private addresses, unix sockets, and host names
//!   (which can resolve to anything): the log driver's connection is made by the Docker daemon
//!   in the host's network namespace, so a container could otherwise reach services that
//!   listen only on the host. Allowed one by one in `log-destinations`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Deserialize;

use api::{ApiError, ContainerDefinition, NetworkMode, TaskDefinition};

/// What task definitions may ask of the hosts their containers run on. Everything is refused
/// unless allowed: in the config file's `[containers]` (every cluster) or
/// `[clusters.<name>.containers]` (one cluster; replaces `[containers]` for it). The checks
/// themselves are in `container_policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct ContainerPolicy {
    /// Privileged containers (`privileged: true`), added Linux capabilities, and security
    /// options that turn a confinement off (`seccomp=unconfined`, `apparmor=unconfined`,
    /// `label=disable`, `label=type:spc_t`, `systempaths=unconfined`,
    /// `writable-cgroups=true`).
    pub allow_privileged: bool,
    /// Security options that name a profile of their own: an inline seccomp profile
    /// (`seccomp={...}`), an AppArmor profile (`apparmor=<name>`), an SELinux type
    /// (`label=type:<type>`), and options Berth does not know. Without it only
    /// `no-new-privileges`, Docker's default profiles and SELinux `user:`, `role:`, `level:`
    /// and `filetype:` labels pass.
    pub allow_custom_security_profiles: bool,
    /// The `host` network mode.
    pub allow_host_network: bool,
    /// Volumes that expose a host path: `host.sourcePath`, Docker volume driver options that
    /// bind one, and shared Docker volumes that Berth did not create for the cluster (the agent
    /// checks their labels when the task starts).
    pub allow_host_mounts: bool,
    /// Log destinations allowed besides public IP addresses: `host:port` or `host` (any port;
    /// IPv6 in brackets), or `unix:///path`. The Docker daemon connects to a log driver's
    /// address (`syslog-address`, `gelf-address`, `fluentd-address`, `splunk-url`) from the
    /// host's network namespace, so loopback, unspecified, link-local, private, shared and
    /// multicast addresses, unix sockets and host names (which can resolve to anything) are
    /// refused unless listed, e.g. `log-destinations = ["10.0.0.5:514", "logs.internal:12201"]`.
    /// The fluentd driver without `fluentd-address` sends to `127.0.0.1:24224`.
    pub log_destinations: Vec<String>,
}

/// The fluentd driver's destination when `fluentd-address` is not set (Docker's default).
const FLUENTD_DEFAULT: &str = "127.0.0.1:24224";

/// Log driver options that name where the Docker daemon sends a container's lines.
const ADDRESS_OPTIONS: &[&str] =
    &["syslog-address", "gelf-address", "fluentd-address", "splunk-url", "awslogs-endpoint"];

/// Checks a definition against the cluster's policy.
pub(crate) fn check(
    policy: &ContainerPolicy,
    cluster: &str,
    definition: &TaskDefinition,
) -> Result<(), ApiError> {
    let containers = definition.container_definitions.as_deref().unwrap_or_default();
    if !policy.allow_privileged
        && let Some((c, what)) = containers.iter().find_map(|c| privilege(c).map(|what| (c, what)))
    {
        return Err(ApiError::client(format!(
            "Container {} {what}, and cluster {cluster} does not allow privileged containers.",
            c.name.as_deref().unwrap_or("")
        )));
    }
    for (i, c) in containers.iter().enumerate() {
        for option in c.docker_security_options.iter().flatten() {
            let (what, setting) = match security_option(option) {
                SecurityOption::Safe => continue,
                SecurityOption::Unconfined(_) if policy.allow_privileged => continue,
                SecurityOption::Custom(_) if policy.allow_custom_security_profiles => continue,
                SecurityOption::Unconfined(what) => (what, "allow-privileged"),
                SecurityOption::Custom(what) => (what, "allow-custom-security-profiles"),
                SecurityOption::Invalid(why) => {
                    return Err(ApiError::client(format!(
                        "containerDefinitions[{i}].dockerSecurityOptions: {} is not a valid security option: {why}.",
                        shown(option)
                    )));
                }
            };
            return Err(ApiError::client(format!(
                "containerDefinitions[{i}].dockerSecurityOptions: {} {what}, which cluster {cluster} does not allow ({setting}).",
                shown(option)
            )));
        }
        log_destinations(policy, cluster, i, c)?;
    }
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    if !policy.allow_host_network && mode == NetworkMode::Host {
        return Err(ApiError::client(format!(
            "The task uses the host network mode, and cluster {cluster} does not allow the host network."
        )));
    }
    if !policy.allow_host_mounts
        && let Some(v) = definition.volumes.iter().flatten().find(|v| mounts_host_path(v))
    {
        return Err(ApiError::client(format!(
            "Volume {} mounts a host path, and cluster {cluster} does not allow host mounts.",
            v.name.as_deref().unwrap_or("")
        )));
    }
    Ok(())
}

/// What makes a container privileged in the sense of the cluster's container policy besides its
/// security options: the `privileged` flag itself, or added Linux capabilities.
fn privilege(c: &ContainerDefinition) -> Option<&'static str> {
    if c.privileged == Some(true) {
        return Some("is privileged");
    }
    let capabilities = c.linux_parameters.as_ref().and_then(|l| l.capabilities.as_ref());
    if capabilities.and_then(|c| c.add.as_ref()).is_some_and(|add| !add.is_empty()) {
        return Some("adds Linux capabilities");
    }
    None
}

/// Whether a volume exposes a host path: a bind mount (`host.sourcePath`), or a Docker volume
/// whose driver options bind a device or directory (`local` with `device`/`o=bind`).
fn mounts_host_path(v: &api::Volume) -> bool {
    if v.host.as_ref().is_some_and(|h| h.source_path.is_some()) {
        return true;
    }
    v.docker_volume_configuration.as_ref().and_then(|d| d.driver_opts.as_ref()).is_some_and(
        |opts| {
            opts.keys().any(|k| k.eq_ignore_ascii_case("device"))
                || opts.values().any(|v| v.contains("bind"))
        },
    )
}

/// A value quoted for a message, cut short: an inline seccomp profile can be kilobytes long.
fn shown(value: &str) -> String {
    const MAX: usize = 48;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{:?}", format!("{}…", &value[..end])),
        None => format!("{value:?}"),
    }
}

/// One `dockerSecurityOptions` entry as Docker reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecurityOption {
    /// Leaves the default confinement as it is, or tightens it.
    Safe,
    /// Turns a confinement off; says which.
    Unconfined(&'static str),
    /// Names a profile of its own, or is an option Berth does not know; says which.
    Custom(&'static str),
    /// Docker would refuse it; says why.
    Invalid(&'static str),
}

/// Reads a security option the way the Docker daemon does: `no-new-privileges` and `disable`
/// alone, otherwise `key=value` (cut at the first `=`), or, without any `=`, the older
/// `key:value` (cut at the first `:`). Keys and values are case-sensitive, as in Docker.
pub(crate) fn security_option(option: &str) -> SecurityOption {
    use SecurityOption::*;
    match option {
        "no-new-privileges" => return Safe,
        "disable" => return Unconfined("turns SELinux labelling off"),
        _ => {}
    }
    let Some((key, value)) = option.split_once('=').or_else(|| option.split_once(':')) else {
        return Invalid("it is not of the form key=value");
    };
    match (key, value) {
        ("no-new-privileges", value) => match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" | "0" | "f" | "F" | "false" | "FALSE"
            | "False" => Safe,
            _ => Invalid("no-new-privileges takes true or false"),
        },
        // Empty and `builtin` are Docker's default profile.
        ("seccomp", "" | "builtin") => Safe,
        ("seccomp", "unconfined") => Unconfined("turns seccomp filtering off (unconfined)"),
        ("seccomp", _) => Custom("names a custom seccomp profile"),
        ("apparmor", "" | "docker-default") => Safe,
        ("apparmor", "unconfined") => Unconfined("turns AppArmor confinement off (unconfined)"),
        ("apparmor", _) => Custom("names a custom AppArmor profile"),
        ("label", value) => selinux_label(value),
        ("systempaths", "unconfined") => {
            Unconfined("unmasks the kernel's /proc and /sys paths (unconfined)")
        }
        ("writable-cgroups", value) => match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => {
                Unconfined("makes the cgroup file system writable")
            }
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Safe,
            _ => Invalid("writable-cgroups takes true or false"),
        },
        _ => Custom("is a security option Berth does not know"),
    }
}

/// An SELinux `label` value: `disable`, or `user:`, `role:`, `type:`, `level:`, `filetype:`.
fn selinux_label(value: &str) -> SecurityOption {
    use SecurityOption::*;
    if value == "disable" {
        return Unconfined("turns SELinux labelling off");
    }
    let Some((what, name)) = value.split_once(':') else {
        return Invalid(
            "an SELinux label option is disable or user:, role:, type:, level: or filetype:",
        );
    };
    if name.is_empty() {
        return Invalid("an SELinux label option names a value after its colon");
    }
    match what {
        "user" | "role" | "level" | "filetype" => Safe,
        // The types container engines run containers in.
        "type" if matches!(name, "container_t" | "svirt_lxc_net_t" | "container_init_t") => Safe,
        "type" if matches!(name, "spc_t" | "unconfined_t") => {
            Unconfined("runs in an unconfined SELinux type")
        }
        "type" => Custom("names an SELinux type of its own"),
        _ => Custom("is an SELinux label option Berth does not know"),
    }
}

/// Where a log driver's option sends lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Destination {
    /// An IP address and, when given, a port.
    Ip(IpAddr, Option<u16>),
    /// A host name (lowercase) and, when given, a port.
    Name(String, Option<u16>),
    /// A unix socket's path (`unix://` or `unixgram://`).
    Unix(String),
}

/// Parses a log destination: a URL (`tcp://10.0.0.5:514`, `udp://[fd00::1]:12201`,
/// `https://splunk:8088/services`, `unix:///dev/log`) or `host:port` / `host` (fluentd's
/// form; IPv6 in brackets, or bare without a port). A URL's user info is skipped. An empty host
/// is what the daemon dials as its own host: the unspecified address.
pub(crate) fn parse_destination(text: &str) -> Result<Destination, String> {
    if text.is_empty() {
        return Err("the address is empty".to_owned());
    }
    let authority = match text.split_once("://") {
        Some((scheme, rest)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme.is_empty()
                || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(format!("{scheme:?} is not a URL scheme"));
            }
            if scheme == "unix" || scheme == "unixgram" {
                return Ok(Destination::Unix(rest.to_owned()));
            }
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..end];
            authority.rsplit_once('@').map_or(authority, |(_, host)| host)
        }
        None => text,
    };
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) =
            bracketed.split_once(']').ok_or("a bracketed IPv6 address has no closing bracket")?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or("text follows the bracketed address")?),
        };
        // A zone (`fe80::1%eth0`) is only for link-local addresses, which the address says.
        let address = inside.split_once('%').map_or(inside, |(address, _)| address);
        let ip: Ipv6Addr =
            address.parse().map_err(|_| format!("{inside:?} is not an IPv6 address"))?;
        return Ok(Destination::Ip(IpAddr::V6(ip), parse_port(port)?));
    } else if authority.matches(':').count() > 1 {
        // A bare IPv6 address, which cannot carry a port.
        let address = authority.split_once('%').map_or(authority, |(address, _)| address);
        let ip: Ipv6Addr =
            address.parse().map_err(|_| format!("{authority:?} is not an IPv6 address"))?;
        return Ok(Destination::Ip(IpAddr::V6(ip), None));
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = parse_port(port)?;
    if host.is_empty() {
        return Ok(Destination::Ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port));
    }
    match host.parse::<Ipv4Addr>() {
        Ok(ip) => Ok(Destination::Ip(IpAddr::V4(ip), port)),
        Err(_) => Ok(Destination::Name(host.to_ascii_lowercase(), port)),
    }
}

fn parse_port(port: Option<&str>) -> Result<Option<u16>, String> {
    match port {
        None | Some("") => Ok(None),
        Some(port) => {
            port.parse().map(Some).map_err(|_| format!("port {port:?} is not a number up to 65535"))
        }
    }
}

/// Why an address is not a log destination unless listed: the host's own addresses
/// (loopback, unspecified, link-local), private and shared ranges, broadcast and multicast.
/// IPv6 addresses that embed an IPv4 one (mapped, compatible, NAT64) are judged by it.
pub(crate) fn restricted(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => restricted_v4(ip),
        IpAddr::V6(ip) => restricted_v6(ip),
    }
}

fn restricted_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback address")
    } else if a == 0 {
        Some("the unspecified address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if ip.is_private() {
        Some("a private address")
    } else if a == 100 && (b & 0xc0) == 64 {
        Some("a shared (carrier-grade NAT) address")
    } else if ip.is_broadcast() || ip.is_multicast() {
        Some("a broadcast or multicast address")
    } else {
        None
    }
}

fn restricted_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_loopback() {
        return Some("a loopback address");
    }
    if ip.is_unspecified() {
        return Some("the unspecified address");
    }
    let embedded = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated), 64:ff9b::a.b.c.d (NAT64).
    if (s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0)) || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return restricted_v4(embedded);
    }
    if (s[0] & 0xffc0) == 0xfe80 {
        Some("a link-local address")
    } else if (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfec0 {
        Some("a private address")
    } else if (s[0] & 0xff00) == 0xff00 {
        Some("a multicast address")
    } else {
        None
    }
}

/// Whether a `log-destinations` entry covers a destination: the same address (IP addresses
/// compared as addresses, names without regard to case) and the same port, or any port when
/// the entry names none; a unix socket by its exact path.
fn listed(entry: &Destination, destination: &Destination) -> bool {
    let port_matches = |entry: &Option<u16>, port: &Option<u16>| entry.is_none() || entry == port;
    match (entry, destination) {
        (Destination::Ip(a, p), Destination::Ip(b, q)) => a == b && port_matches(p, q),
        (Destination::Name(a, p), Destination::Name(b, q)) => a == b && port_matches(p, q),
        (Destination::Unix(a), Destination::Unix(b)) => a == b,
        _ => false,
    }
}

/// Checks the addresses a container's log driver sends to.
fn log_destinations(
    policy: &ContainerPolicy,
    cluster: &str,
    i: usize,
    c: &ContainerDefinition,
) -> Result<(), ApiError> {
    let Some(log) = &c.log_configuration else {
        return Ok(());
    };
    let options = log.options.clone().unwrap_or_default();
    let mut addresses: Vec<(String, &str)> = ADDRESS_OPTIONS
        .iter()
        .filter_map(|key| {
            options.get(*key).map(|value| (format!("logConfiguration.options.{key}"), &**value))
        })
        .collect();
    if log.log_driver == api::LogDriver::Fluentd && !options.contains_key("fluentd-address") {
        addresses.push((
            "logConfiguration (fluentd without fluentd-address)".to_owned(),
            FLUENTD_DEFAULT,
        ));
    }
    for (member, address) in addresses {
        let refuse = |why: String| {
            Err(ApiError::client(format!(
                "containerDefinitions[{i}].{member}: {} {why}",
                shown(address)
            )))
        };
        let destination = match parse_destination(address) {
            Ok(destination) => destination,
            Err(why) => return refuse(format!("is not a valid log destination: {why}.")),
        };
        let entries = policy.log_destinations.iter().filter_map(|e| parse_destination(e).ok());
        if entries.clone().any(|entry| listed(&entry, &destination)) {
            continue;
        }
        let not_listed = format!(
            "which cluster {cluster} does not allow as a log destination unless log-destinations lists it (log-destinations)."
        );
        match &destination {
            Destination::Ip(ip, _) => {
                if let Some(what) = restricted(*ip) {
                    return refuse(format!("is {what}, {not_listed}"));
                }
            }
            Destination::Name(name, _) => {
                return refuse(format!(
                    "names the host {name:?} rather than an IP address; a name can resolve to any address, {not_listed}"
                ));
            }
            Destination::Unix(_) => {
                return refuse(format!("is a unix socket on the host, {not_listed}"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
