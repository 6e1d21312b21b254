//! Security groups: DescribeSecurityGroups, CreateSecurityGroup, DeleteSecurityGroup, and the
//! rules (Authorize/RevokeSecurityGroupIngress and -Egress).

use super::Ec2Error;
use super::describe::{check_filters, check_ids};
use super::form::Form;
use super::xml::Xml;
use crate::Ctx;
use crate::records::keys;
use crate::vpc::{self, Protocol, Rule, SecurityGroupRecord, Source};

/// EC2's quotas: rules per group and direction, groups per VPC.
const RULES_PER_DIRECTION: usize = 60;
const GROUPS_PER_VPC: usize = 2500;

fn group_arn(ctx: &Ctx, id: &str) -> String {
    format!("arn:aws:ec2:{}:{}:security-group/{id}", ctx.config().region, ctx.config().account_id)
}

/// The ARNs of the groups a call names by id, which policies are checked against (none: `*`).
pub(super) fn named_arns(ctx: &Ctx, form: &Form) -> Vec<String> {
    let mut ids = form.list("GroupId");
    ids.extend(form.get("GroupId").map(str::to_owned));
    ids.iter().map(|id| group_arn(ctx, id)).collect()
}

/// The group a call names by `GroupId`, or by `GroupName` in the VPC.
fn find<'a>(
    groups: &'a [SecurityGroupRecord],
    form: &Form,
) -> Result<&'a SecurityGroupRecord, Ec2Error> {
    if let Some(id) = form.get("GroupId").filter(|id| !id.is_empty()) {
        check_ids(&[id.to_owned()], "sg-", "sg", |asked| groups.iter().any(|g| g.id == asked))?;
        return Ok(groups.iter().find(|g| g.id == id).expect("checked"));
    }
    let name = form
        .get("GroupName")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Ec2Error::missing("GroupId"))?;
    groups.iter().find(|g| g.name == name).ok_or_else(|| {
        Ec2Error::new(
            "InvalidGroup.NotFound",
            format!("The security group '{name}' does not exist in default VPC"),
        )
    })
}

pub(super) async fn describe(ctx: &Ctx, form: &Form) -> Result<String, Ec2Error> {
    let filters = form.filters()?;
    check_filters(&filters, &["group-id", "group-name", "vpc-id", "description", "owner-id"])?;
    let groups = vpc::security_groups(ctx).await?;
    let ids = form.list("GroupId");
    check_ids(&ids, "sg-", "sg", |asked| groups.iter().any(|g| g.id == asked))?;
    let names = form.list("GroupName");
    for name in &names {
        if !groups.iter().any(|g| &g.name == name) {
            return Err(Ec2Error::new(
                "InvalidGroup.NotFound",
                format!("The security group '{name}' does not exist in default VPC"),
            ));
        }
    }
    let account = ctx.config().account_id.clone();
    let mut out = Xml::fragment();
    out.open("securityGroupInfo");
    for group in &groups {
        let shown = (ids.is_empty() || ids.contains(&group.id))
            && (names.is_empty() || names.contains(&group.name))
            && filters.iter().all(|f| match f.name.as_str() {
                "group-id" => f.matches(&group.id),
                "group-name" => f.matches(&group.name),
                "vpc-id" => f.matches(&group.vpc_id),
                "description" => f.matches(&group.description),
                "owner-id" => f.matches(&account),
                tag => {
                    let key = tag.strip_prefix("tag:").unwrap_or_default();
                    group.tags.iter().any(|(k, v)| k == key && f.matches(v))
                }
            });
        if shown {
            write_group(ctx, &mut out, group);
        }
    }
    out.close("securityGroupInfo");
    Ok(out.finish())
}

/// A `tagSet` of EC2's answers.
fn write_tags(out: &mut Xml, tags: &[(String, String)]) {
    out.open("tagSet");
    for (key, value) in tags {
        out.open("item");
        out.leaf("key", key);
        out.leaf("value", value);
        out.close("item");
    }
    out.close("tagSet");
}

fn write_group(ctx: &Ctx, out: &mut Xml, group: &SecurityGroupRecord) {
    out.open("item");
    out.leaf("ownerId", &ctx.config().account_id);
    out.leaf("groupId", &group.id);
    out.leaf("groupName", &group.name);
    out.leaf("groupDescription", &group.description);
    out.leaf("vpcId", &group.vpc_id);
    out.leaf("securityGroupArn", &group_arn(ctx, &group.id));
    for (tag, egress) in [("ipPermissions", false), ("ipPermissionsEgress", true)] {
        out.open(tag);
        let rules: Vec<&Rule> = group.rules.iter().filter(|r| r.egress == egress).collect();
        // One permission per protocol and port range, as EC2 groups them.
        let mut seen: Vec<(Protocol, i32, i32)> = Vec::new();
        for rule in &rules {
            let key = (rule.protocol, rule.from_port, rule.to_port);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let same: Vec<&&Rule> =
                rules.iter().filter(|r| (r.protocol, r.from_port, r.to_port) == key).collect();
            out.open("item");
            out.leaf("ipProtocol", rule.protocol.as_ec2());
            if rule.protocol.has_ports() {
                out.leaf("fromPort", &rule.from_port.to_string());
                out.leaf("toPort", &rule.to_port.to_string());
            }
            out.open("groups");
            for r in &same {
                if let Source::Group(id) = &r.source {
                    out.open("item");
                    out.leaf("userId", &ctx.config().account_id);
                    out.leaf("groupId", id);
                    if let Some(d) = &r.description {
                        out.leaf("description", d);
                    }
                    out.close("item");
                }
            }
            out.close("groups");
            out.open("ipRanges");
            for r in &same {
                if let Source::Cidr(net) = &r.source {
                    out.open("item");
                    out.leaf("cidrIp", &net.to_string());
                    if let Some(d) = &r.description {
                        out.leaf("description", d);
                    }
                    out.close("item");
                }
            }
            out.close("ipRanges");
            out.raw("<ipv6Ranges/><prefixListIds/>");
            out.close("item");
        }
        out.close(tag);
    }
    write_tags(out, &group.tags);
    out.close("item");
}

/// EC2's rule for names and descriptions of groups in a VPC: up to 255 of a-z, A-Z, 0-9,
/// spaces and `._-:/()#,@[]+=&;{}!$*`.
fn check_text(what: &str, text: &str) -> Result<(), Ec2Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    if text.len() > 255 || !text.chars().all(allowed) {
        return Err(Ec2Error::invalid(format!(
            "Invalid {what}: up to 255 characters of a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{{}}!$*"
        )));
    }
    Ok(())
}

pub(super) async fn create(ctx: &Ctx, form: &Form) -> Result<String, Ec2Error> {
    let name = form.required("GroupName")?.to_owned();
    let description = form.required("GroupDescription")?.to_owned();
    check_text("group name", &name)?;
    check_text("group description", &description)?;
    if name.to_ascii_lowercase().starts_with("sg-") {
        return Err(Ec2Error::invalid("Group names may not be in the format sg-*."));
    }
    let vpc_id = vpc::vpc_id(ctx);
    if let Some(asked) = form.get("VpcId").filter(|v| !v.is_empty()) {
        check_ids(&[asked.to_owned()], "vpc-", "vpc", |a| a == vpc_id)?;
    }
    let mut tags = Vec::new();
    for spec in form.indexes("TagSpecification") {
        let kind = form.get(&format!("{spec}.ResourceType")).unwrap_or("security-group");
        if kind != "security-group" {
            return Err(Ec2Error::invalid(format!(
                "'{kind}' is not a valid taggable resource type for this operation."
            )));
        }
        for tag in form.indexes(&format!("{spec}.Tag")) {
            let key = form.required(&format!("{tag}.Key"))?.to_owned();
            let value = form.get(&format!("{tag}.Value")).unwrap_or_default().to_owned();
            if key.len() > 127 || value.len() > 255 || key.starts_with("aws:") {
                return Err(Ec2Error::invalid(format!("Invalid tag {key:?}")));
            }
            tags.push((key, value));
        }
    }
    let _serialized = ctx.key_locks().lock(keys::SECURITY_GROUPS).await;
    let groups = vpc::security_groups(ctx).await?;
    if groups.iter().any(|g| g.name == name) {
        return Err(Ec2Error::new(
            "InvalidGroup.Duplicate",
            format!("The security group '{name}' already exists for VPC '{vpc_id}'"),
        ));
    }
    if groups.len() >= GROUPS_PER_VPC {
        return Err(Ec2Error::new(
            "SecurityGroupLimitExceeded",
            "The maximum number of security groups has been reached.",
        ));
    }
    let group = SecurityGroupRecord {
        id: vpc::random_id("sg"),
        name,
        description,
        vpc_id,
        // A new group allows nothing in and everything out, as in EC2.
        rules: vec![Rule::all_from(Source::Cidr("0.0.0.0/0".parse().expect("a network")), true)],
        tags,
    };
    let key = keys::security_group(&group.id);
    crate::records::modify(ctx, &key, |current: Option<SecurityGroupRecord>| match current {
        None => Ok(group.clone()),
        Some(_) => Err(Ec2Error::internal()),
    })
    .await?;
    let mut out = Xml::fragment();
    out.leaf("return", "true");
    out.leaf("groupId", &group.id);
    out.leaf("securityGroupArn", &group_arn(ctx, &group.id));
    write_tags(&mut out, &group.tags);
    Ok(out.finish())
}

pub(super) async fn delete(ctx: &Ctx, form: &Form) -> Result<String, Ec2Error> {
    let _serialized = ctx.key_locks().lock(keys::SECURITY_GROUPS).await;
    let groups = vpc::security_groups(ctx).await?;
    let group = find(&groups, form)?;
    if group.id == vpc::default_group_id(ctx) {
        return Err(Ec2Error::new(
            "CannotDelete",
            format!(
                "the specified group: \"{}\" name: \"default\" cannot be deleted by a user",
                group.id
            ),
        ));
    }
    let dependent = || {
        Ec2Error::new(
            "DependencyViolation",
            format!("resource {} has a dependent object", group.id),
        )
    };
    let referenced = groups
        .iter()
        .filter(|g| g.id != group.id)
        .flat_map(|g| &g.rules)
        .any(|r| r.source == Source::Group(group.id.clone()));
    if referenced || in_use(ctx, &group.id) {
        return Err(dependent());
    }
    let key = keys::security_group(&group.id);
    ctx.store()
        .txn(store::Txn::new().then(store::Op::delete(key)))
        .await
        .map_err(crate::error::Error::from)?;
    // No task uses the group and no rule names it: agents have nothing to change.
    let mut out = Xml::fragment();
    out.leaf("return", "true");
    out.leaf("groupId", &group.id);
    Ok(out.finish())
}

/// Whether a task that is not STOPPED or a service that is not INACTIVE uses the group.
fn in_use(ctx: &Ctx, group: &str) -> bool {
    let index = ctx.state().read();
    if ctx.inner.vpc.ipam.group_in_use(&index, group) {
        return true;
    }
    index.clusters.values().flat_map(|c| c.services.values()).any(|entry| {
        entry.record.status() != crate::records::ServiceStatus::Inactive
            && entry
                .record
                .service
                .network_configuration
                .as_ref()
                .and_then(|n| n.awsvpc_configuration.as_ref())
                .and_then(|a| a.security_groups.as_ref())
                .is_some_and(|groups| groups.iter().any(|g| g == group))
    })
}

/// The rules a call names: `IpPermissions.n...`, or the older flat parameters.
fn asked_rules(
    form: &Form,
    egress: bool,
    groups: &[SecurityGroupRecord],
) -> Result<Vec<Rule>, Ec2Error> {
    let mut rules = Vec::new();
    let permissions = form.indexes("IpPermissions");
    let mut add = |protocol: Option<&str>,
                   from: Option<i32>,
                   to: Option<i32>,
                   source: Source,
                   description: Option<String>|
     -> Result<(), Ec2Error> {
        let protocol_text = protocol.ok_or_else(|| Ec2Error::missing("IpProtocol"))?;
        let protocol = Protocol::parse(protocol_text).ok_or_else(|| {
            Ec2Error::invalid(format!(
                "Invalid value '{protocol_text}' for IP protocol. Unknown protocol."
            ))
        })?;
        let (from_port, to_port) = match protocol {
            Protocol::All => (-1, -1),
            Protocol::Tcp | Protocol::Udp => {
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(Ec2Error::invalid(
                        "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange. TCP/UDP rules need FromPort and ToPort.",
                    ));
                };
                if !(0..=65535).contains(&from) || !(0..=65535).contains(&to) || from > to {
                    return Err(Ec2Error::invalid(format!(
                        "Invalid port range {from}-{to}: ports are 0 to 65535 and FromPort is not above ToPort."
                    )));
                }
                (from, to)
            }
            Protocol::Icmp => {
                let (from, to) = (from.unwrap_or(-1), to.unwrap_or(-1));
                if !(-1..=255).contains(&from) || !(-1..=255).contains(&to) {
                    return Err(Ec2Error::invalid(format!(
                        "Invalid ICMP type {from} or code {to}: -1 to 255."
                    )));
                }
                (from, to)
            }
        };
        if let Some(d) = &description {
            check_text("description", d)?;
        }
        rules.push(Rule {
            id: vpc::random_id("sgr"),
            egress,
            protocol,
            from_port,
            to_port,
            source,
            description,
        });
        Ok(())
    };
    let group_source = |id: Option<&str>, name: Option<&str>| -> Result<Source, Ec2Error> {
        let found = match (id, name) {
            (Some(id), _) => groups.iter().find(|g| g.id == id).ok_or_else(|| {
                Ec2Error::new(
                    "InvalidGroup.NotFound",
                    format!("The security group '{id}' does not exist"),
                )
            })?,
            (None, Some(name)) => groups.iter().find(|g| g.name == name).ok_or_else(|| {
                Ec2Error::new(
                    "InvalidGroup.NotFound",
                    format!("The security group '{name}' does not exist in default VPC"),
                )
            })?,
            (None, None) => return Err(Ec2Error::missing("GroupId")),
        };
        Ok(Source::Group(found.id.clone()))
    };
    let cidr = |text: &str| -> Result<Source, Ec2Error> {
        let net: ipnet::Ipv4Net = text
            .trim()
            .parse()
            .map_err(|_| Ec2Error::invalid(format!("CIDR block {text} is malformed")))?;
        Ok(Source::Cidr(net.trunc()))
    };
    for p in &permissions {
        let protocol = form.get(&format!("{p}.IpProtocol"));
        let from = form.int(&format!("{p}.FromPort"))?;
        let to = form.int(&format!("{p}.ToPort"))?;
        let mut sources = 0;
        for r in form.indexes(&format!("{p}.IpRanges")) {
            let text = form.required(&format!("{r}.CidrIp"))?;
            let description = form.get(&format!("{r}.Description")).map(str::to_owned);
            add(protocol, from, to, cidr(text)?, description)?;
            sources += 1;
        }
        for g in form.indexes(&format!("{p}.Groups")) {
            let source = group_source(
                form.get(&format!("{g}.GroupId")),
                form.get(&format!("{g}.GroupName")),
            )?;
            let description = form.get(&format!("{g}.Description")).map(str::to_owned);
            add(protocol, from, to, source, description)?;
            sources += 1;
        }
        if !form.indexes(&format!("{p}.Ipv6Ranges")).is_empty()
            || !form.indexes(&format!("{p}.PrefixListIds")).is_empty()
        {
            return Err(Ec2Error::invalid(
                "The VPC has no IPv6 network and no prefix lists: use IpRanges or Groups.",
            ));
        }
        if sources == 0 {
            return Err(Ec2Error::missing(&format!("{p}.IpRanges or {p}.Groups")));
        }
    }
    if permissions.is_empty() {
        let protocol = form.get("IpProtocol");
        let (from, to) = (form.int("FromPort")?, form.int("ToPort")?);
        if let Some(text) = form.get("CidrIp") {
            add(protocol, from, to, cidr(text)?, None)?;
        } else if let Some(name) = form.get("SourceSecurityGroupName") {
            add(protocol.or(Some("-1")), from, to, group_source(None, Some(name))?, None)?;
        }
    }
    Ok(rules)
}

fn rule_set(out: &mut Xml, tag: &str, rules: &[Rule], group: &str, account: &str) {
    out.open(tag);
    for rule in rules {
        out.open("item");
        out.leaf("securityGroupRuleId", &rule.id);
        out.leaf("groupId", group);
        out.leaf("groupOwnerId", account);
        out.leaf("isEgress", if rule.egress { "true" } else { "false" });
        out.leaf("ipProtocol", rule.protocol.as_ec2());
        out.leaf("fromPort", &rule.from_port.to_string());
        out.leaf("toPort", &rule.to_port.to_string());
        match &rule.source {
            Source::Cidr(net) => out.leaf("cidrIpv4", &net.to_string()),
            Source::Group(id) => {
                out.open("referencedGroupInfo");
                out.leaf("groupId", id);
                out.leaf("userId", account);
                out.close("referencedGroupInfo");
            }
        }
        if let Some(d) = &rule.description {
            out.leaf("description", d);
        }
        out.close("item");
    }
    out.close(tag);
}

pub(super) async fn authorize(ctx: &Ctx, form: &Form, egress: bool) -> Result<String, Ec2Error> {
    let _serialized = ctx.key_locks().lock(keys::SECURITY_GROUPS).await;
    let groups = vpc::security_groups(ctx).await?;
    if egress && form.get("GroupId").is_none() {
        return Err(Ec2Error::missing("GroupId"));
    }
    let group = find(&groups, form)?.clone();
    let added = asked_rules(form, egress, &groups)?;
    if added.is_empty() {
        return Err(Ec2Error::missing("IpPermissions"));
    }
    for (i, rule) in added.iter().enumerate() {
        if group.rules.iter().chain(&added[..i]).any(|r| r.same_as(rule)) {
            return Err(Ec2Error::new(
                "InvalidPermission.Duplicate",
                format!(
                    "the specified rule \"peer: {}, {}, ALLOW\" already exists",
                    describe_source(&rule.source),
                    rule.protocol.as_ec2().to_ascii_uppercase()
                ),
            ));
        }
    }
    let count = group.rules.iter().chain(&added).filter(|r| r.egress == egress).count();
    if count > RULES_PER_DIRECTION {
        return Err(Ec2Error::new(
            "RulesPerSecurityGroupLimitExceeded",
            "The maximum number of rules per security group has been reached.",
        ));
    }
    change_rules(ctx, &group.id, |rules| rules.extend(added.iter().cloned())).await?;
    // Agents apply the change to running tasks.
    ctx.inner.vpc.ipam.bump();
    let mut out = Xml::fragment();
    out.leaf("return", "true");
    rule_set(&mut out, "securityGroupRuleSet", &added, &group.id, &ctx.config().account_id);
    Ok(out.finish())
}

/// Changes the rules of group `id` with a compare-and-swap.
async fn change_rules(
    ctx: &Ctx,
    id: &str,
    mut change: impl FnMut(&mut Vec<Rule>),
) -> Result<(), Ec2Error> {
    let key = keys::security_group(id);
    crate::records::modify(ctx, &key, |current: Option<SecurityGroupRecord>| {
        let mut current = current.ok_or_else(|| {
            Ec2Error::new(
                "InvalidGroup.NotFound",
                format!("The security group '{id}' does not exist"),
            )
        })?;
        change(&mut current.rules);
        Ok::<_, Ec2Error>(current)
    })
    .await?;
    Ok(())
}

fn describe_source(source: &Source) -> String {
    match source {
        Source::Cidr(net) => net.to_string(),
        Source::Group(id) => id.clone(),
    }
}

pub(super) async fn revoke(ctx: &Ctx, form: &Form, egress: bool) -> Result<String, Ec2Error> {
    let _serialized = ctx.key_locks().lock(keys::SECURITY_GROUPS).await;
    let groups = vpc::security_groups(ctx).await?;
    let group = find(&groups, form)?.clone();
    let by_id = form.list("SecurityGroupRuleId");
    let asked = asked_rules(form, egress, &groups)?;
    if asked.is_empty() && by_id.is_empty() {
        return Err(Ec2Error::missing("IpPermissions"));
    }
    let mut revoked = Vec::new();
    for id in &by_id {
        match group.rules.iter().find(|r| &r.id == id && r.egress == egress) {
            Some(rule) => revoked.push(rule.clone()),
            None => {
                return Err(Ec2Error::new(
                    "InvalidSecurityGroupRuleId.NotFound",
                    format!("The security group rule ID '{id}' does not exist"),
                ));
            }
        }
    }
    for rule in &asked {
        match group.rules.iter().find(|r| r.same_as(rule)) {
            Some(found) => revoked.push(found.clone()),
            None => {
                return Err(Ec2Error::new(
                    "InvalidPermission.NotFound",
                    "The specified rule does not exist in this security group.",
                ));
            }
        }
    }
    change_rules(ctx, &group.id, |rules| {
        rules.retain(|r| !revoked.iter().any(|gone| gone.id == r.id));
    })
    .await?;
    // Agents apply the change to running tasks.
    ctx.inner.vpc.ipam.bump();
    let mut out = Xml::fragment();
    out.leaf("return", "true");
    rule_set(
        &mut out,
        "revokedSecurityGroupRuleSet",
        &revoked,
        &group.id,
        &ctx.config().account_id,
    );
    Ok(out.finish())
}
