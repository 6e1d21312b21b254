//! What a call asks of its tasks' network (`networkConfiguration.awsvpcConfiguration`),
//! checked as ECS checks it, and the interface a task gets from it.

use std::net::Ipv4Addr;

use api::{ApiError, AssignPublicIp, NetworkConfiguration, NetworkMode};
use ipnet::Ipv4Net;

use super::SubnetRecord;
use crate::Ctx;
use crate::records::TaskNetwork;

/// ECS's quotas of `awsvpcConfiguration`.
pub(crate) const MAX_SUBNETS: usize = 16;
pub(crate) const MAX_SECURITY_GROUPS: usize = 5;

/// A checked `awsvpcConfiguration`: its subnets (as stored) and security groups (the VPC's
/// default one when the call names none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AskedNetwork {
    pub(crate) subnets: Vec<SubnetRecord>,
    pub(crate) security_groups: Vec<String>,
    pub(crate) assign_public_ip: bool,
}

impl AskedNetwork {
    /// The zones tasks may be placed in: those of the subnets.
    pub(crate) fn zones(&self) -> Vec<&str> {
        let mut zones: Vec<&str> = self.subnets.iter().map(|s| s.zone.as_str()).collect();
        zones.sort_unstable();
        zones.dedup();
        zones
    }

    /// The placement constraint that keeps tasks in the subnets' zones.
    pub(crate) fn zone_constraint(&self) -> Option<scheduler::Constraint> {
        let zones: Vec<String> =
            self.zones().iter().map(|z| format!("'{}'", z.replace('\'', ""))).collect();
        let expression = format!("attribute:ecs.availability-zone in [{}]", zones.join(", "));
        scheduler::Constraint::from_ecs("memberOf", Some(&expression)).ok()
    }

    /// The subnet for a task placed in `zone`.
    pub(crate) fn subnet_in(&self, zone: Option<&str>) -> Option<&SubnetRecord> {
        self.subnets.iter().find(|s| Some(s.zone.as_str()) == zone)
    }
}

/// Checks a call's network configuration against its task definition's network mode, as ECS
/// does: `awsvpc` needs one, the other modes take none; up to 16 subnets of the VPC and 5 of
/// its security groups; no public address on instances of the user's own. `None` for a task
/// that is not in the `awsvpc` mode. Reads the subnets and groups; writes nothing but what
/// the VPC is made of (see [`super::ensure`]).
pub(crate) async fn check(
    ctx: &Ctx,
    mode: NetworkMode,
    configuration: Option<&NetworkConfiguration>,
) -> Result<Option<AskedNetwork>, ApiError> {
    let awsvpc = configuration.and_then(|c| c.awsvpc_configuration.as_ref());
    if mode != NetworkMode::Awsvpc {
        if awsvpc.is_some() {
            return Err(ApiError::invalid_parameter(
                "Network Configuration is not valid for the given networkMode of this task definition.",
            ));
        }
        return Ok(None);
    }
    let Some(awsvpc) = awsvpc else {
        return Err(ApiError::invalid_parameter(
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ));
    };
    if awsvpc.subnets.is_empty() {
        return Err(ApiError::invalid_parameter("subnets can not be empty."));
    }
    if awsvpc.subnets.len() > MAX_SUBNETS {
        return Err(ApiError::invalid_parameter(format!(
            "At most {MAX_SUBNETS} subnets can be given in awsvpcConfiguration; got {}.",
            awsvpc.subnets.len()
        )));
    }
    let groups = awsvpc.security_groups.clone().unwrap_or_default();
    if groups.len() > MAX_SECURITY_GROUPS {
        return Err(ApiError::invalid_parameter(format!(
            "At most {MAX_SECURITY_GROUPS} security groups can be given in awsvpcConfiguration; got {}.",
            groups.len()
        )));
    }
    if awsvpc.assign_public_ip == Some(AssignPublicIp::Enabled) {
        return Err(ApiError::invalid_parameter(
            "Assign public IP is not supported for this launch type.",
        ));
    }
    super::ensure(ctx).await?;
    let known = super::subnets(ctx).await?;
    let mut subnets = Vec::new();
    for id in &awsvpc.subnets {
        let subnet = known.iter().find(|s| &s.id == id).ok_or_else(|| {
            ApiError::invalid_parameter(format!(
                "Error retrieving subnet information for [{id}]: The subnet ID '{id}' does not exist."
            ))
        })?;
        if !subnets.contains(subnet) {
            subnets.push(subnet.clone());
        }
    }
    let known_groups = super::security_groups(ctx).await?;
    let mut security_groups = Vec::new();
    for id in &groups {
        if !known_groups.iter().any(|g| &g.id == id) {
            return Err(ApiError::invalid_parameter(format!(
                "Error retrieving security group information for [{id}]: The security group '{id}' does not exist."
            )));
        }
        if !security_groups.contains(id) {
            security_groups.push(id.clone());
        }
    }
    if security_groups.is_empty() {
        security_groups.push(super::default_group_id(ctx));
    }
    Ok(Some(AskedNetwork { subnets, security_groups, assign_public_ip: false }))
}

/// A new task's network interface: `address` of `subnet`, in `block`.
pub(crate) fn interface(
    asked: &AskedNetwork,
    subnet: &SubnetRecord,
    address: Ipv4Addr,
    block: Ipv4Net,
) -> TaskNetwork {
    let random = uuid::Uuid::new_v4();
    let bytes = random.as_bytes();
    // A locally administered unicast address, as EC2's interfaces have.
    let mac_address = format!(
        "0a:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]
    );
    TaskNetwork {
        subnet_id: subnet.id.clone(),
        subnet: subnet.cidr,
        address,
        block,
        mac_address,
        interface_id: super::random_id("eni"),
        attachment_id: uuid::Uuid::new_v4().to_string(),
        security_groups: asked.security_groups.clone(),
        assign_public_ip: asked.assign_public_ip,
    }
}

/// The interface's private DNS name, as EC2 names it in `region`.
pub(crate) fn private_dns_name(address: Ipv4Addr, region: &str) -> String {
    let host = format!("ip-{}", address.to_string().replace('.', "-"));
    if region == "us-east-1" {
        format!("{host}.ec2.internal")
    } else {
        format!("{host}.{region}.compute.internal")
    }
}

/// The task's `ElasticNetworkInterface` attachment, as DescribeTasks shows it.
pub(crate) fn attachment(network: &TaskNetwork, status: &str, region: &str) -> api::Attachment {
    let pair = |name: &str, value: String| api::KeyValuePair {
        name: Some(name.to_owned()),
        value: Some(value),
    };
    api::Attachment {
        id: Some(network.attachment_id.clone()),
        r#type: Some("ElasticNetworkInterface".to_owned()),
        status: Some(status.to_owned()),
        details: Some(vec![
            pair("subnetId", network.subnet_id.clone()),
            pair("networkInterfaceId", network.interface_id.clone()),
            pair("macAddress", network.mac_address.clone()),
            pair("privateDnsName", private_dns_name(network.address, region)),
            pair("privateIPv4Address", network.address.to_string()),
        ]),
    }
}
