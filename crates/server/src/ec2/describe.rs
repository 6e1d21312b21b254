//! DescribeVpcs and DescribeSubnets.

use super::Ec2Error;
use super::form::{Filter, Form};
use super::xml::Xml;
use crate::Ctx;
use crate::vpc::{self, SubnetRecord};

/// Refuses a filter that is not one of `known` (EC2's own wording).
pub(super) fn check_filters(filters: &[Filter], known: &[&str]) -> Result<(), Ec2Error> {
    for filter in filters {
        if !known.contains(&filter.name.as_str()) && !filter.name.starts_with("tag:") {
            return Err(Ec2Error::invalid(format!("The filter '{}' is invalid", filter.name)));
        }
    }
    Ok(())
}

/// Checks the ids a call names: each of EC2's form for `kind` (`subnet`, `vpc`, `sg`), and
/// each of `known`.
pub(super) fn check_ids(
    ids: &[String],
    prefix: &str,
    kind: &'static str,
    known: impl Fn(&str) -> bool,
) -> Result<(), Ec2Error> {
    let (malformed, not_found) = match kind {
        "subnet" => ("InvalidSubnetID.Malformed", "InvalidSubnetID.NotFound"),
        "vpc" => ("InvalidVpcID.Malformed", "InvalidVpcID.NotFound"),
        _ => ("InvalidGroupId.Malformed", "InvalidGroup.NotFound"),
    };
    for id in ids {
        let well_formed = id.strip_prefix(prefix).is_some_and(|hex| {
            (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !well_formed {
            return Err(Ec2Error::new(malformed, format!("Invalid id: \"{id}\"")));
        }
        if !known(id) {
            let what = match kind {
                "subnet" => format!("The subnet ID '{id}' does not exist"),
                "vpc" => format!("The vpc ID '{id}' does not exist"),
                _ => format!("The security group '{id}' does not exist"),
            };
            return Err(Ec2Error::new(not_found, what));
        }
    }
    Ok(())
}

pub(super) async fn vpcs(ctx: &Ctx, form: &Form) -> Result<String, Ec2Error> {
    let filters = form.filters()?;
    check_filters(
        &filters,
        &["vpc-id", "cidr", "cidr-block-association.cidr-block", "is-default", "state", "owner-id"],
    )?;
    let id = vpc::vpc_id(ctx);
    let ids = form.list("VpcId");
    check_ids(&ids, "vpc-", "vpc", |asked| asked == id)?;
    let cidr = ctx.config().vpc.cidr.to_string();
    let account = &ctx.config().account_id;
    let shown = filters.iter().all(|f| {
        let value = match f.name.as_str() {
            "vpc-id" => id.as_str(),
            "cidr" | "cidr-block-association.cidr-block" => cidr.as_str(),
            "is-default" => "true",
            "state" => "available",
            "owner-id" => account.as_str(),
            _ => return false,
        };
        f.matches(value)
    });
    let mut out = Xml::fragment();
    out.open("vpcSet");
    if shown {
        out.open("item");
        out.leaf("vpcId", &id);
        out.leaf("ownerId", account);
        out.leaf("state", "available");
        out.leaf("cidrBlock", &cidr);
        out.open("cidrBlockAssociationSet");
        out.open("item");
        out.leaf("cidrBlock", &cidr);
        out.leaf("associationId", &id.replacen("vpc-", "vpc-cidr-assoc-", 1));
        out.open("cidrBlockState");
        out.leaf("state", "associated");
        out.close("cidrBlockState");
        out.close("item");
        out.close("cidrBlockAssociationSet");
        out.leaf("instanceTenancy", "default");
        out.leaf("isDefault", "true");
        out.close("item");
    }
    out.close("vpcSet");
    Ok(out.finish())
}

pub(super) async fn subnets(ctx: &Ctx, form: &Form) -> Result<String, Ec2Error> {
    let filters = form.filters()?;
    check_filters(
        &filters,
        &[
            "subnet-id",
            "vpc-id",
            "availability-zone",
            "cidr-block",
            "cidr",
            "cidrBlock",
            "default-for-az",
            "defaultForAz",
            "state",
            "owner-id",
        ],
    )?;
    let subnets = vpc::subnets(ctx).await?;
    let ids = form.list("SubnetId");
    check_ids(&ids, "subnet-", "subnet", |asked| subnets.iter().any(|s| s.id == asked))?;
    let vpc_id = vpc::vpc_id(ctx);
    let account = &ctx.config().account_id;
    let matches = |subnet: &SubnetRecord| {
        let cidr = subnet.cidr.to_string();
        (ids.is_empty() || ids.contains(&subnet.id))
            && filters.iter().all(|f| {
                let value = match f.name.as_str() {
                    "subnet-id" => subnet.id.as_str(),
                    "vpc-id" => vpc_id.as_str(),
                    "availability-zone" => subnet.zone.as_str(),
                    "cidr-block" | "cidr" | "cidrBlock" => cidr.as_str(),
                    "default-for-az" | "defaultForAz" => "true",
                    "state" => "available",
                    "owner-id" => account.as_str(),
                    _ => return false,
                };
                f.matches(value)
            })
    };
    let mut out = Xml::fragment();
    out.open("subnetSet");
    for subnet in subnets.iter().filter(|s| matches(s)) {
        let held = {
            let index = ctx.state().read();
            ctx.inner.vpc.ipam.held(&index, &subnet.id)
        };
        let usable = subnet.usable();
        let available = (usable.end - usable.start) as usize - held;
        out.open("item");
        out.leaf("subnetId", &subnet.id);
        out.leaf(
            "subnetArn",
            &format!("arn:aws:ec2:{}:{account}:subnet/{}", ctx.config().region, subnet.id),
        );
        out.leaf("ownerId", account);
        out.leaf("state", "available");
        out.leaf("vpcId", &vpc_id);
        out.leaf("cidrBlock", &subnet.cidr.to_string());
        out.leaf("availableIpAddressCount", &available.to_string());
        out.leaf("availabilityZone", &subnet.zone);
        out.leaf("defaultForAz", "true");
        out.leaf("mapPublicIpOnLaunch", "false");
        out.leaf("assignIpv6AddressOnCreation", "false");
        out.close("item");
    }
    out.close("subnetSet");
    Ok(out.finish())
}
