//! Control-plane configuration: what the account looks like (region, account id) and the
//! quotas, read from an optional TOML file and validated once into typed values.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

/// Limits with ECS's defaults. Exceeding one returns the ECS error and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Quotas {
    /// Clusters per account and region (ACTIVE ones).
    pub clusters: usize,
    pub container_instances_per_cluster: usize,
    pub services_per_cluster: usize,
    /// The desired count of one service.
    pub tasks_per_service: usize,
    /// `count` of one RunTask call.
    pub tasks_per_run_task: usize,
    /// Container instances of one StartTask call.
    pub instances_per_start_task: usize,
    pub containers_per_task_definition: usize,
    /// Bytes of a task definition's JSON (its containers, volumes and settings).
    pub task_definition_size: usize,
    /// Revisions one family may ever have (deregistered ones count).
    pub revisions_per_family: u64,
    pub tags_per_resource: usize,
    pub custom_attributes_per_resource: usize,
    /// Placement constraints of a task (task definition's and call's together).
    pub placement_constraints: usize,
    pub placement_strategies: usize,
    /// Target groups one service registers its tasks in (ECS allows 5; 1 keeps the
    /// "one load balancer per service" rule).
    pub target_groups_per_service: usize,
}

impl Default for Quotas {
    fn default() -> Quotas {
        Quotas {
            clusters: 10_000,
            container_instances_per_cluster: 5_000,
            services_per_cluster: 5_000,
            tasks_per_service: 5_000,
            tasks_per_run_task: 10,
            instances_per_start_task: 10,
            containers_per_task_definition: 10,
            task_definition_size: 64 * 1024,
            revisions_per_family: 1_000_000,
            tags_per_resource: 50,
            custom_attributes_per_resource: 10,
            placement_constraints: 10,
            placement_strategies: 5,
            target_groups_per_service: 5,
        }
    }
}

pub use crate::container_policy::ContainerPolicy;

/// Limits on client connections, `[connections]` in the config file. Times are seconds
/// (fractions allowed).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawConnections {
    /// Open connections at most; unset, the file-descriptor limit less a reserve for the
    /// store, the built-in agent and the runtime. A larger value is lowered to that.
    pub max: Option<usize>,
    /// Open connections at most from one address (see `unlimited-peers`).
    pub max_per_peer: usize,
    /// Addresses or networks (`127.0.0.0/8`) that only `max` limits: by default the loopback
    /// ones, where `berth sim` runs thousands of agents with a connection each.
    pub unlimited_peers: Vec<String>,
    /// A request's head must arrive whole within this time of its first byte.
    pub header_timeout: f64,
    /// A request's body must arrive whole within this time of its head.
    pub body_timeout: f64,
    /// A connection with no request under way is closed after this time. Longer than the
    /// agent's own pool keeps idle connections (60 s), so that the agent closes them first.
    pub idle_timeout: f64,
    /// Requests served on one connection; the last one's answer closes it.
    pub max_requests_per_connection: u64,
}

impl Default for RawConnections {
    fn default() -> RawConnections {
        RawConnections {
            max: None,
            max_per_peer: 1024,
            unlimited_peers: vec!["127.0.0.0/8".to_owned(), "::1".to_owned()],
            header_timeout: 10.0,
            body_timeout: 30.0,
            idle_timeout: 75.0,
            max_requests_per_connection: 100_000,
        }
    }
}

/// The validated `[connections]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connections {
    pub max: Option<usize>,
    pub max_per_peer: usize,
    pub unlimited_peers: Vec<Network>,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_requests_per_connection: u64,
}

impl Connections {
    /// Whether connections from `peer` count against `max_per_peer`.
    pub fn per_peer_limited(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
            IpAddr::V4(_) => peer,
        };
        !self.unlimited_peers.iter().any(|network| network.contains(peer))
    }
}

impl Default for Connections {
    fn default() -> Connections {
        Connections::try_from(RawConnections::default()).expect("the defaults are valid")
    }
}

impl TryFrom<RawConnections> for Connections {
    type Error = ConfigError;

    fn try_from(raw: RawConnections) -> Result<Connections, ConfigError> {
        let seconds = |name: &str, value: f64| {
            if value.is_finite() && value > 0.0 && value <= 86_400.0 {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(ConfigError::Invalid(format!(
                    "connections.{name} must be a number of seconds above 0 and at most 86400, not {value}"
                )))
            }
        };
        if raw.max == Some(0) || raw.max_per_peer == 0 || raw.max_requests_per_connection == 0 {
            return Err(ConfigError::Invalid(
                "connections.max, max-per-peer and max-requests-per-connection must be at least 1"
                    .to_owned(),
            ));
        }
        Ok(Connections {
            max: raw.max,
            max_per_peer: raw.max_per_peer,
            unlimited_peers: raw
                .unlimited_peers
                .iter()
                .map(|text| Network::parse(text))
                .collect::<Result<_, _>>()?,
            header_timeout: seconds("header-timeout", raw.header_timeout)?,
            body_timeout: seconds("body-timeout", raw.body_timeout)?,
            idle_timeout: seconds("idle-timeout", raw.idle_timeout)?,
            max_requests_per_connection: raw.max_requests_per_connection,
        })
    }
}

/// An address or a network in CIDR notation (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u32,
}

impl Network {
    fn parse(text: &str) -> Result<Network, ConfigError> {
        let invalid = || {
            ConfigError::Invalid(format!(
                "`{text}` in connections.unlimited-peers is not an address or a network like 10.0.0.0/8"
            ))
        };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.trim().parse().map_err(|_| invalid())?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.trim().parse::<u32>().map_err(|_| invalid())?,
            None => bits,
        };
        if prefix > bits {
            return Err(invalid());
        }
        Ok(Network { address, prefix })
    }

    fn contains(&self, peer: IpAddr) -> bool {
        let (network, peer, bits) = match (self.address, peer) {
            (IpAddr::V4(network), IpAddr::V4(peer)) => {
                (u128::from(network.to_bits()), u128::from(peer.to_bits()), 32)
            }
            (IpAddr::V6(network), IpAddr::V6(peer)) => (network.to_bits(), peer.to_bits(), 128),
            _ => return false,
        };
        let host_bits = bits - self.prefix;
        host_bits == bits || network >> host_bits == peer >> host_bits
    }
}

/// The configuration file as written: every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawConfig {
    pub region: Option<String>,
    pub account_id: Option<String>,
    pub quotas: Option<Quotas>,
    /// The container policy of every cluster without its own.
    pub containers: Option<ContainerPolicy>,
    /// Per-cluster settings, by cluster name.
    pub clusters: Option<std::collections::BTreeMap<String, RawClusterConfig>>,
    pub connections: Option<RawConnections>,
    pub vpc: Option<RawVpc>,
    pub fargate: Option<RawFargate>,
}

/// `[fargate]`: what Fargate usage costs, in US dollars (default: the published us-east-1
/// Linux/x86 rates; Spot at 70% off).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawFargate {
    pub vcpu_hour: f64,
    pub gb_hour: f64,
    /// Per GB-hour of ephemeral storage above the 20 GB included.
    pub storage_gb_hour: f64,
    pub spot_vcpu_hour: f64,
    pub spot_gb_hour: f64,
    /// Simulated Spot reclaims: this many times an hour, the Spot host with the most tasks is
    /// reclaimed (its tasks interrupted). 0, the default: only on request.
    pub spot_reclaims_per_hour: u32,
    /// Serve Fargate usage as Prometheus counters on `GET /metrics` (unauthenticated, like
    /// `/status`; it names clusters). Off by default.
    pub usage_metrics: bool,
}

impl Default for RawFargate {
    fn default() -> RawFargate {
        RawFargate {
            vcpu_hour: 0.04048,
            gb_hour: 0.004445,
            storage_gb_hour: 0.000111,
            spot_vcpu_hour: 0.012144,
            spot_gb_hour: 0.0013335,
            spot_reclaims_per_hour: 0,
            usage_metrics: false,
        }
    }
}

/// `[fargate]` as used: prices in billionths of a dollar per unit-hour (integers, so that the
/// configuration compares exactly), and the simulated Spot reclaims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FargateConfig {
    pub vcpu_hour: u64,
    pub gb_hour: u64,
    pub storage_gb_hour: u64,
    pub spot_vcpu_hour: u64,
    pub spot_gb_hour: u64,
    pub spot_reclaims_per_hour: u32,
    pub usage_metrics: bool,
}

impl TryFrom<RawFargate> for FargateConfig {
    type Error = ConfigError;

    fn try_from(raw: RawFargate) -> Result<FargateConfig, ConfigError> {
        let nano = |name: &str, dollars: f64| {
            if !(0.0..=1000.0).contains(&dollars) {
                return Err(ConfigError::Invalid(format!(
                    "[fargate] {name} must be between 0 and 1000 dollars; got {dollars}"
                )));
            }
            Ok((dollars * 1e9).round() as u64)
        };
        Ok(FargateConfig {
            vcpu_hour: nano("vcpu-hour", raw.vcpu_hour)?,
            gb_hour: nano("gb-hour", raw.gb_hour)?,
            storage_gb_hour: nano("storage-gb-hour", raw.storage_gb_hour)?,
            spot_vcpu_hour: nano("spot-vcpu-hour", raw.spot_vcpu_hour)?,
            spot_gb_hour: nano("spot-gb-hour", raw.spot_gb_hour)?,
            spot_reclaims_per_hour: raw.spot_reclaims_per_hour.min(3600),
            usage_metrics: raw.usage_metrics,
        })
    }
}

/// `[vpc]`: the one VPC tasks in the `awsvpc` network mode get their addresses from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawVpc {
    /// The VPC's IPv4 network.
    pub cidr: String,
    /// The size of the subnet made for each availability zone that agents report and no
    /// `[[vpc.subnets]]` entry names.
    pub subnet_prefix: u8,
    /// The size of the address blocks a host takes from a subnet for its tasks: each host
    /// routes its own blocks, so the other hosts need one route per block, not per task.
    pub block_prefix: u8,
    /// Subnets with a network of their own choosing, one per zone at most.
    pub subnets: Vec<RawSubnet>,
}

impl Default for RawVpc {
    fn default() -> RawVpc {
        // The network and subnet size of the default VPC of an AWS account.
        RawVpc {
            cidr: "172.31.0.0/16".to_owned(),
            subnet_prefix: 20,
            block_prefix: 28,
            subnets: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawSubnet {
    pub zone: String,
    pub cidr: String,
}

/// The validated `[vpc]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpc {
    pub cidr: ipnet::Ipv4Net,
    pub subnet_prefix: u8,
    pub block_prefix: u8,
    /// Configured subnets: zone and network.
    pub subnets: Vec<(String, ipnet::Ipv4Net)>,
}

impl Default for Vpc {
    fn default() -> Vpc {
        Vpc::try_from(RawVpc::default()).expect("the defaults are valid")
    }
}

impl TryFrom<RawVpc> for Vpc {
    type Error = ConfigError;

    fn try_from(raw: RawVpc) -> Result<Vpc, ConfigError> {
        let net = |what: &str, text: &str| -> Result<ipnet::Ipv4Net, ConfigError> {
            let net: ipnet::Ipv4Net = text.trim().parse().map_err(|_| {
                ConfigError::Invalid(format!(
                    "{what} `{text}` is not an IPv4 network like 10.0.0.0/16"
                ))
            })?;
            if net.trunc() != net {
                return Err(ConfigError::Invalid(format!(
                    "{what} `{text}` has host bits set; the network is {}",
                    net.trunc()
                )));
            }
            Ok(net)
        };
        let cidr = net("vpc.cidr", &raw.cidr)?;
        // As in AWS: a VPC and its subnets are /16 to /28.
        if !(16..=28).contains(&cidr.prefix_len()) {
            return Err(ConfigError::Invalid("vpc.cidr must be a /16 to a /28".to_owned()));
        }
        if !(cidr.prefix_len()..=28).contains(&raw.subnet_prefix) {
            return Err(ConfigError::Invalid(format!(
                "vpc.subnet-prefix must be between the VPC's /{} and /28",
                cidr.prefix_len()
            )));
        }
        if !(raw.subnet_prefix..=30).contains(&raw.block_prefix) {
            return Err(ConfigError::Invalid(format!(
                "vpc.block-prefix must be between the subnets' /{} and /30",
                raw.subnet_prefix
            )));
        }
        let mut subnets: Vec<(String, ipnet::Ipv4Net)> = Vec::new();
        for subnet in raw.subnets {
            let network = net("vpc.subnets cidr", &subnet.cidr)?;
            if !cidr.contains(&network) || network.prefix_len() > 28 {
                return Err(ConfigError::Invalid(format!(
                    "subnet `{network}` must be a /28 or larger inside the VPC's {cidr}"
                )));
            }
            if network.prefix_len() > raw.block_prefix {
                return Err(ConfigError::Invalid(format!(
                    "subnet `{network}` is smaller than a host's address block (/{})",
                    raw.block_prefix
                )));
            }
            if subnet.zone.is_empty() || subnets.iter().any(|(zone, _)| *zone == subnet.zone) {
                return Err(ConfigError::Invalid(format!(
                    "vpc.subnets: zone `{}` is empty or named twice",
                    subnet.zone
                )));
            }
            if let Some((_, other)) = subnets
                .iter()
                .find(|(_, other)| other.contains(&network) || network.contains(other))
            {
                return Err(ConfigError::Invalid(format!(
                    "subnets `{network}` and `{other}` overlap"
                )));
            }
            subnets.push((subnet.zone, network));
        }
        Ok(Vpc { cidr, subnet_prefix: raw.subnet_prefix, block_prefix: raw.block_prefix, subnets })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawClusterConfig {
    pub containers: Option<ContainerPolicy>,
}

/// The validated configuration of a control plane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The region in ARNs and in the SigV4 credential scope, e.g. `us-east-1`.
    pub region: String,
    /// The 12-digit account id in ARNs.
    pub account_id: String,
    pub quotas: Quotas,
    pub containers: ContainerPolicy,
    pub cluster_containers: std::collections::BTreeMap<String, ContainerPolicy>,
    pub connections: Connections,
    pub vpc: Vpc,
    pub fargate: FargateConfig,
}

impl Config {
    /// The container policy of a cluster.
    pub fn container_policy(&self, cluster: &str) -> &ContainerPolicy {
        self.cluster_containers.get(cluster).unwrap_or(&self.containers)
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading `{path}` failed")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a valid configuration")]
    Parse {
        path: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// The configuration used when nothing is configured.
    pub const DEFAULT_REGION: &'static str = "us-east-1";
    pub const DEFAULT_ACCOUNT_ID: &'static str = "000000000000";

    /// Reads and validates a TOML configuration file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|source| ConfigError::Parse { path: path.display().to_string(), source })?;
        Config::try_from(raw)
    }
}

impl TryFrom<RawConfig> for Config {
    type Error = ConfigError;

    fn try_from(raw: RawConfig) -> Result<Config, ConfigError> {
        let region = raw.region.unwrap_or_else(|| Config::DEFAULT_REGION.to_owned());
        if region.is_empty()
            || !region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(ConfigError::Invalid(format!(
                "region `{region}` must be lowercase letters, digits and hyphens, like us-east-1"
            )));
        }
        let account_id = raw.account_id.unwrap_or_else(|| Config::DEFAULT_ACCOUNT_ID.to_owned());
        if account_id.len() != 12 || !account_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(ConfigError::Invalid(format!(
                "account-id `{account_id}` must be 12 digits"
            )));
        }
        let containers = raw.containers.unwrap_or_default();
        let cluster_containers: std::collections::BTreeMap<String, ContainerPolicy> = raw
            .clusters
            .unwrap_or_default()
            .into_iter()
            .map(|(name, cluster)| (name, cluster.containers.unwrap_or_else(|| containers.clone())))
            .collect();
        for policy in std::iter::once(&containers).chain(cluster_containers.values()) {
            for entry in &policy.log_destinations {
                if let Err(why) = crate::container_policy::parse_destination(entry) {
                    return Err(ConfigError::Invalid(format!(
                        "log-destinations entry `{entry}` is not an address: {why}"
                    )));
                }
            }
        }
        Ok(Config {
            region,
            account_id,
            quotas: raw.quotas.unwrap_or_default(),
            containers,
            cluster_containers,
            connections: Connections::try_from(raw.connections.unwrap_or_default())?,
            vpc: Vpc::try_from(raw.vpc.unwrap_or_default())?,
            fargate: FargateConfig::try_from(raw.fargate.unwrap_or_default())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults() {
        let raw: RawConfig = toml::from_str(
            "region = \"eu-west-1\"\naccount-id = \"123456789012\"\n[quotas]\nclusters = 3\n",
        )
        .unwrap();
        let config = Config::try_from(raw).unwrap();
        assert_eq!(config.region, "eu-west-1");
        assert_eq!(config.quotas.clusters, 3);
        assert_eq!(config.quotas.tags_per_resource, 50);
    }

    #[test]
    fn container_policies_per_cluster() {
        let raw: RawConfig = toml::from_str(
            "[containers]\nallow-host-mounts = true\n[clusters.ci.containers]\nallow-privileged = true\n",
        )
        .unwrap();
        let config = Config::try_from(raw).unwrap();
        assert!(config.container_policy("prod").allow_host_mounts);
        assert!(!config.container_policy("prod").allow_privileged);
        assert!(!config.container_policy("prod").allow_host_network, "refused unless allowed");
        assert!(config.container_policy("ci").allow_privileged);
        assert!(
            !config.container_policy("ci").allow_host_mounts,
            "a cluster's own policy replaces the default one; its unset members are refused"
        );
        let safe = ContainerPolicy::default();
        assert!(!safe.allow_privileged && !safe.allow_host_network && !safe.allow_host_mounts);
        assert!(!safe.allow_custom_security_profiles && safe.log_destinations.is_empty());
    }

    #[test]
    fn security_profiles_and_log_destinations_are_read_and_checked() {
        let raw: RawConfig = toml::from_str(
            "[clusters.ci.containers]\nallow-custom-security-profiles = true\nlog-destinations = [\"10.0.0.5:514\", \"[fd00::1]\", \"unix:///dev/log\"]\n",
        )
        .unwrap();
        let config = Config::try_from(raw).unwrap();
        let ci = config.container_policy("ci");
        assert!(ci.allow_custom_security_profiles);
        assert_eq!(ci.log_destinations.len(), 3);
        assert!(!config.container_policy("prod").allow_custom_security_profiles);

        let raw: RawConfig =
            toml::from_str("[containers]\nlog-destinations = [\"10.0.0.5:syslog\"]\n").unwrap();
        let error = Config::try_from(raw).unwrap_err().to_string();
        assert!(error.contains("log-destinations entry `10.0.0.5:syslog`"), "{error}");
    }

    #[test]
    fn connection_limits() {
        let defaults = Config::try_from(RawConfig::default()).unwrap().connections;
        assert_eq!(defaults.max, None);
        assert_eq!(defaults.idle_timeout, Duration::from_secs(75));
        assert!(!defaults.per_peer_limited("127.0.0.1".parse().unwrap()));
        assert!(!defaults.per_peer_limited("127.9.8.7".parse().unwrap()));
        assert!(!defaults.per_peer_limited("::1".parse().unwrap()));
        assert!(!defaults.per_peer_limited("::ffff:127.0.0.1".parse().unwrap()));
        assert!(defaults.per_peer_limited("10.1.2.3".parse().unwrap()));
        assert!(defaults.per_peer_limited("128.0.0.1".parse().unwrap()));
        assert!(defaults.per_peer_limited("::2".parse().unwrap()));
        let raw: RawConfig = toml::from_str(
            "[connections]\nmax = 500\nheader-timeout = 0.5\nunlimited-peers = [\"10.0.0.0/8\", \"fd00::/8\", \"0.0.0.0/0\"]\n",
        )
        .unwrap();
        let connections = Config::try_from(raw).unwrap().connections;
        assert_eq!(connections.max, Some(500));
        assert_eq!(connections.header_timeout, Duration::from_millis(500));
        assert_eq!(connections.body_timeout, Duration::from_secs(30));
        assert!(!connections.per_peer_limited("10.200.0.1".parse().unwrap()));
        assert!(!connections.per_peer_limited("fd12::1".parse().unwrap()));
        assert!(connections.per_peer_limited("fe80::1".parse().unwrap()));
        assert!(!connections.per_peer_limited("192.0.2.1".parse().unwrap()), "0.0.0.0/0");
        for bad in [
            "[connections]\nidle-timeout = 0",
            "[connections]\nbody-timeout = -1",
            "[connections]\nmax = 0",
            "[connections]\nunlimited-peers = [\"10.0.0.0/33\"]",
            "[connections]\nunlimited-peers = [\"localhost\"]",
        ] {
            let raw: RawConfig = toml::from_str(bad).unwrap();
            assert!(Config::try_from(raw).is_err(), "{bad}");
        }
        assert!(toml::from_str::<RawConfig>("[connections]\nmax-conections = 1").is_err());
    }

    #[test]
    fn the_vpc_defaults_to_an_aws_default_vpc_and_bad_networks_are_refused() {
        let vpc = Config::try_from(RawConfig::default()).unwrap().vpc;
        assert_eq!(vpc.cidr.to_string(), "172.31.0.0/16");
        assert_eq!((vpc.subnet_prefix, vpc.block_prefix), (20, 28));
        let raw: RawConfig = toml::from_str(
            "[vpc]\ncidr = \"10.20.0.0/16\"\n[[vpc.subnets]]\nzone = \"a\"\ncidr = \"10.20.0.0/24\"\n",
        )
        .unwrap();
        let vpc = Config::try_from(raw).unwrap().vpc;
        assert_eq!(vpc.subnets, [("a".to_owned(), "10.20.0.0/24".parse().unwrap())]);
        for bad in [
            "[vpc]\ncidr = \"10.20.0.1/16\"",
            "[vpc]\ncidr = \"10.0.0.0/8\"",
            "[vpc]\ncidr = \"fd00::/64\"",
            "[vpc]\nsubnet-prefix = 8",
            "[vpc]\nblock-prefix = 31",
            "[[vpc.subnets]]\nzone = \"a\"\ncidr = \"10.0.0.0/24\"",
            "[[vpc.subnets]]\nzone = \"a\"\ncidr = \"172.31.0.0/24\"\n[[vpc.subnets]]\nzone = \"b\"\ncidr = \"172.31.0.0/25\"",
            "[[vpc.subnets]]\nzone = \"a\"\ncidr = \"172.31.0.0/24\"\n[[vpc.subnets]]\nzone = \"a\"\ncidr = \"172.31.1.0/24\"",
        ] {
            let raw: RawConfig = toml::from_str(bad).unwrap();
            assert!(Config::try_from(raw).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_values_are_refused() {
        let raw: RawConfig = toml::from_str("account-id = \"12\"").unwrap();
        assert!(Config::try_from(raw).unwrap_err().to_string().contains("12 digits"));
        assert!(toml::from_str::<RawConfig>("regoin = \"x\"").is_err());
    }
}
