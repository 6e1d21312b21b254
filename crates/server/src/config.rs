//! Control-plane configuration: what the account looks like (region, account id) and the
//! quotas, read from an optional TOML file and validated once into typed values.

use std::path::Path;

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
        }
    }
}

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
    fn bad_values_are_refused() {
        let raw: RawConfig = toml::from_str("account-id = \"12\"").unwrap();
        assert!(Config::try_from(raw).unwrap_err().to_string().contains("12 digits"));
        assert!(toml::from_str::<RawConfig>("regoin = \"x\"").is_err());
    }
}
