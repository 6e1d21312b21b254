//! Security group rules: what EC2's `IpPermission` says, one source per rule (EC2's
//! "security group rule").

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

/// The protocols a rule names. EC2 takes names or numbers; `-1` is every protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Protocol {
    All,
    Tcp,
    Udp,
    Icmp,
}

impl Protocol {
    /// What EC2 accepts: a name or its protocol number (`-1` or `all` for every protocol).
    pub(crate) fn parse(text: &str) -> Option<Protocol> {
        match text.to_ascii_lowercase().as_str() {
            "-1" | "all" => Some(Protocol::All),
            "tcp" | "6" => Some(Protocol::Tcp),
            "udp" | "17" => Some(Protocol::Udp),
            "icmp" | "1" => Some(Protocol::Icmp),
            _ => None,
        }
    }

    /// As EC2 shows it.
    pub(crate) fn as_ec2(self) -> &'static str {
        match self {
            Protocol::All => "-1",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
        }
    }

    /// Whether rules of this protocol have a port range (ICMP's is a type and code).
    pub(crate) fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp | Protocol::Icmp)
    }
}

/// Where traffic a rule allows comes from (ingress) or goes to (egress).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Source {
    Cidr(Ipv4Net),
    /// The tasks whose interfaces are in this security group.
    Group(String),
}

/// One rule of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Rule {
    /// `sgr-…`.
    pub(crate) id: String,
    pub(crate) egress: bool,
    pub(crate) protocol: Protocol,
    /// The port range (ICMP: type and code); `-1` for "all", as EC2 shows it.
    pub(crate) from_port: i32,
    pub(crate) to_port: i32,
    pub(crate) source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

impl Rule {
    /// A rule allowing every protocol and port from (or to) `source`.
    pub(crate) fn all_from(source: Source, egress: bool) -> Rule {
        Rule {
            id: super::random_id("sgr"),
            egress,
            protocol: Protocol::All,
            from_port: -1,
            to_port: -1,
            source,
            description: None,
        }
    }

    /// Whether two rules allow the same traffic (EC2 refuses a duplicate and revokes by this).
    pub(crate) fn same_as(&self, other: &Rule) -> bool {
        self.egress == other.egress
            && self.protocol == other.protocol
            && self.from_port == other.from_port
            && self.to_port == other.to_port
            && self.source == other.source
    }
}
