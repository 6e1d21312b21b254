//! Listeners and their rules: CreateListener, DescribeListeners, ModifyListener,
//! DeleteListener, CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities.
//!
//! A load balancer's listeners and rules are in its record: every change here is one
//! compare-and-swap of that record, so ports and priorities stay unique under concurrency.

use serde_json::{Value, json};

use super::ElbError;
use super::shapes::{self, arn, int, items, page, strings, text};
use crate::Ctx;
use crate::balancing;
use crate::records::{ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord, keys};

/// The most listeners per load balancer, rules per listener, target groups per action,
/// conditions values per rule (ELB's quotas).
pub(super) const MAX_LISTENERS: usize = 50;
pub(super) const MAX_RULES: usize = 100;
const MAX_GROUPS_PER_ACTION: usize = 5;
const MAX_CONDITION_VALUES: usize = 5;

/// The SSL policies Berth knows (it negotiates TLS 1.2 and 1.3 with rustls's defaults under
/// each).
pub(super) const SSL_POLICIES: &[&str] = &[
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
];

fn listener_not_found(arn: &str) -> ElbError {
    ElbError::new("ListenerNotFoundException", format!("Listener '{arn}' not found"))
}

fn rule_not_found(arn: &str) -> ElbError {
    ElbError::new("RuleNotFoundException", format!("Rule '{arn}' not found"))
}

/// The load balancer of a listener ARN, or `ListenerNotFound`.
async fn balancer_of_listener(ctx: &Ctx, arn: &str) -> Result<LoadBalancerRecord, ElbError> {
    balancing::load_balancer_of(ctx, arn)
        .await?
        .map(|v| v.value)
        .filter(|lb| lb.listeners.iter().any(|l| l.arn == arn))
        .ok_or_else(|| listener_not_found(arn))
}

/// The load balancer of a rule ARN, or `RuleNotFound`.
async fn balancer_of_rule(ctx: &Ctx, arn: &str) -> Result<LoadBalancerRecord, ElbError> {
    balancing::load_balancer_of(ctx, arn)
        .await?
        .map(|v| v.value)
        .filter(|lb| {
            lb.listeners.iter().any(|l| {
                l.rules.iter().any(|r| r.arn == arn) || balancing::default_rule_arn(&l.arn) == arn
            })
        })
        .ok_or_else(|| rule_not_found(arn))
}

fn application_protocol(protocol: &str) -> bool {
    protocol == "HTTP" || protocol == "HTTPS"
}

/// What checking a request's actions reads: every target group and load balancer, and the
/// groups some listener or rule forwards to.
struct Known {
    groups: Vec<TargetGroupRecord>,
    balancers: Vec<LoadBalancerRecord>,
    in_use: std::collections::BTreeMap<String, Vec<String>>,
}

impl Known {
    async fn read(ctx: &Ctx) -> Result<Known, ElbError> {
        let groups = balancing::target_groups(ctx).await?;
        let balancers = balancing::load_balancers(ctx).await?;
        let in_use = balancing::groups_in_use(&balancers);
        Ok(Known { groups, balancers, in_use })
    }

    /// The request's actions in `member`, checked.
    fn check(
        &self,
        lb: &LoadBalancerRecord,
        input: &Value,
        member: &str,
    ) -> Result<Value, ElbError> {
        check_actions(lb, items(input, member), &self.groups, &self.in_use)
    }

    /// The request's actions in `member`, checked, if it has that member.
    fn changed(
        &self,
        lb: &LoadBalancerRecord,
        input: &Value,
        member: &str,
    ) -> Result<Option<Value>, ElbError> {
        input.get(member).map(|_| self.check(lb, input, member)).transpose()
    }
}

/// Checks a request's `Actions` against the load balancer and the target groups, and returns
/// them as ELB shows them (each forward with its `ForwardConfig`, each action with its
/// `Order`).
fn check_actions(
    lb: &LoadBalancerRecord,
    actions: &[Value],
    groups: &[TargetGroupRecord],
    in_use: &std::collections::BTreeMap<String, Vec<String>>,
) -> Result<Value, ElbError> {
    if actions.is_empty() {
        return Err(ElbError::validation("At least one action must be specified"));
    }
    let application = lb.kind == "application";
    let mut out = Vec::new();
    let mut terminal = 0;
    for (i, action) in actions.iter().enumerate() {
        let kind = text(action, "Type").unwrap_or_default();
        let mut shown = action.clone();
        if shown.get("Order").is_none() {
            shown["Order"] = json!(i as i64 + 1);
        }
        match kind {
            "forward" => {
                let mut weighted: Vec<(String, i64)> = action
                    .pointer("/ForwardConfig/TargetGroups")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|g| {
                        Some((text(g, "TargetGroupArn")?.to_owned(), int(g, "Weight").unwrap_or(1)))
                    })
                    .collect();
                if let Some(single) = text(action, "TargetGroupArn") {
                    if weighted.len() > 1 || weighted.iter().any(|(a, _)| a != single) {
                        return Err(ElbError::new(
                            "InvalidLoadBalancerActionException",
                            "You cannot specify both a target group ARN and a forward configuration with other target groups",
                        ));
                    }
                    weighted = vec![(single.to_owned(), 1)];
                }
                if weighted.is_empty() {
                    return Err(ElbError::validation(
                        "A forward action must specify a target group",
                    ));
                }
                if weighted.len() > MAX_GROUPS_PER_ACTION {
                    return Err(ElbError::new(
                        "TooManyUniqueTargetGroupsPerLoadBalancerException",
                        format!(
                            "A forward action can have at most {MAX_GROUPS_PER_ACTION} target groups"
                        ),
                    ));
                }
                for (group_arn, weight) in &weighted {
                    let Some(group) = groups.iter().find(|g| g.arn == *group_arn) else {
                        return Err(ElbError::new(
                            "TargetGroupNotFoundException",
                            format!("Target groups '[{group_arn}]' not found"),
                        ));
                    };
                    if application != application_protocol(&group.protocol) {
                        return Err(ElbError::new(
                            "IncompatibleProtocolsException",
                            format!(
                                "The target group '{group_arn}' uses protocol {}, which a {} load balancer cannot forward to",
                                group.protocol, lb.kind
                            ),
                        ));
                    }
                    if let Some(others) = in_use.get(group_arn)
                        && others.iter().any(|o| *o != lb.arn)
                    {
                        return Err(ElbError::new(
                            "TargetGroupAssociationLimitException",
                            format!(
                                "The following target groups cannot be associated with more than one load balancer: '{group_arn}'"
                            ),
                        ));
                    }
                    if !(0..=999).contains(weight) {
                        return Err(ElbError::validation(format!(
                            "Target group weight {weight} must be from 0 to 999"
                        )));
                    }
                }
                let stickiness = action
                    .pointer("/ForwardConfig/TargetGroupStickinessConfig")
                    .cloned()
                    .unwrap_or_else(|| json!({"Enabled": false}));
                if stickiness.get("Enabled").and_then(Value::as_bool) == Some(true)
                    && !stickiness
                        .get("DurationSeconds")
                        .and_then(Value::as_i64)
                        .is_some_and(|d| (1..=604_800).contains(&d))
                {
                    return Err(ElbError::validation(
                        "Target group stickiness needs a duration from 1 to 604800 seconds",
                    ));
                }
                if weighted.len() == 1 {
                    shown["TargetGroupArn"] = json!(weighted[0].0);
                }
                shown["ForwardConfig"] = json!({
                    "TargetGroups": weighted.iter().map(|(a, w)| json!({"TargetGroupArn": a, "Weight": w})).collect::<Vec<_>>(),
                    "TargetGroupStickinessConfig": stickiness,
                });
                terminal += 1;
            }
            "fixed-response" | "redirect" if !application => {
                return Err(ElbError::new(
                    "InvalidLoadBalancerActionException",
                    format!(
                        "A network load balancer's listener can only forward, not answer with '{kind}'"
                    ),
                ));
            }
            "fixed-response" => {
                let status = action
                    .pointer("/FixedResponseConfig/StatusCode")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !(status.len() == 3
                    && matches!(status.as_bytes()[0], b'2' | b'4' | b'5')
                    && status.parse::<u16>().is_ok())
                {
                    return Err(ElbError::validation(format!(
                        "Fixed response status code '{status}' must be 2XX, 4XX or 5XX"
                    )));
                }
                if action
                    .pointer("/FixedResponseConfig/MessageBody")
                    .and_then(Value::as_str)
                    .is_some_and(|b| b.len() > 1024)
                {
                    return Err(ElbError::validation(
                        "A fixed response's message body can have at most 1024 characters",
                    ));
                }
                terminal += 1;
            }
            "redirect" => {
                let Some(config) = action.get("RedirectConfig") else {
                    return Err(ElbError::validation(
                        "A redirect action needs a redirect configuration",
                    ));
                };
                let part =
                    |name: &str, default: &str| text(config, name).unwrap_or(default).to_owned();
                let filled = json!({
                    "Protocol": part("Protocol", "#{protocol}"),
                    "Port": part("Port", "#{port}"),
                    "Host": part("Host", "#{host}"),
                    "Path": part("Path", "/#{path}"),
                    "Query": part("Query", "#{query}"),
                    "StatusCode": part("StatusCode", ""),
                });
                if filled["Protocol"] == "#{protocol}"
                    && filled["Port"] == "#{port}"
                    && filled["Host"] == "#{host}"
                    && filled["Path"] == "/#{path}"
                    && filled["Query"] == "#{query}"
                {
                    return Err(ElbError::new(
                        "InvalidLoadBalancerActionException",
                        "The redirect configuration is not valid: it redirects to the same address",
                    ));
                }
                shown["RedirectConfig"] = filled;
                terminal += 1;
            }
            other => {
                return Err(ElbError::new(
                    "InvalidLoadBalancerActionException",
                    format!("Action type '{other}' is not supported by Berth's load balancer"),
                ));
            }
        }
        out.push(shown);
    }
    if terminal != 1 {
        return Err(ElbError::new(
            "InvalidLoadBalancerActionException",
            "A rule needs exactly one forward, fixed-response or redirect action",
        ));
    }
    Ok(Value::Array(out))
}

/// Checks a rule's `Conditions`: known fields, values given once, at most five values.
fn check_conditions(conditions: &[Value]) -> Result<Value, ElbError> {
    if conditions.is_empty() {
        return Err(ElbError::validation("A rule must have at least one condition"));
    }
    let mut values = 0;
    let mut seen = Vec::new();
    for condition in conditions {
        let field = text(condition, "Field").unwrap_or_default();
        let config = match field {
            "path-pattern" => "PathPatternConfig",
            "host-header" => "HostHeaderConfig",
            "http-header" => "HttpHeaderConfig",
            "query-string" => "QueryStringConfig",
            "http-request-method" => "HttpRequestMethodConfig",
            "source-ip" => "SourceIpConfig",
            other => {
                return Err(ElbError::validation(format!(
                    "Condition field '{other}' must be one of path-pattern, host-header, http-header, query-string, http-request-method or source-ip"
                )));
            }
        };
        if field != "http-header" {
            if seen.contains(&field) {
                return Err(ElbError::validation(format!(
                    "A rule can have the condition '{field}' only once"
                )));
            }
            seen.push(field);
        }
        let legacy = items(condition, "Values").len();
        let configured = condition
            .pointer(&format!("/{config}/Values"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if legacy > 0 && configured > 0 {
            return Err(ElbError::validation(format!(
                "You cannot specify both Values and {config} for condition '{field}'"
            )));
        }
        if legacy > 0 && !matches!(field, "path-pattern" | "host-header") {
            return Err(ElbError::validation(format!(
                "Condition '{field}' takes its values in {config}"
            )));
        }
        if legacy + configured == 0 {
            return Err(ElbError::validation(format!(
                "Condition '{field}' needs at least one value"
            )));
        }
        if field == "http-header"
            && condition
                .pointer("/HttpHeaderConfig/HttpHeaderName")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            return Err(ElbError::validation("An http-header condition needs a header name"));
        }
        if field == "source-ip" {
            for cidr in strings(condition.get(config).unwrap_or(&Value::Null), "Values") {
                if cidr.parse::<ipnet::IpNet>().is_err() {
                    return Err(ElbError::validation(format!(
                        "Source IP '{cidr}' is not a CIDR block"
                    )));
                }
            }
        }
        values += legacy + configured;
    }
    if values > MAX_CONDITION_VALUES {
        return Err(ElbError::validation(format!(
            "A rule can have at most {MAX_CONDITION_VALUES} condition values"
        )));
    }
    Ok(Value::Array(conditions.to_vec()))
}

/// Checks a listener's protocol, port and certificates against its load balancer.
async fn check_listener(
    ctx: &Ctx,
    lb: &LoadBalancerRecord,
    protocol: &str,
    certificates: &[String],
) -> Result<(), ElbError> {
    let allowed: &[&str] =
        if lb.kind == "application" { &["HTTP", "HTTPS"] } else { &["TCP", "TLS"] };
    if !allowed.contains(&protocol) {
        return Err(ElbError::new(
            "UnsupportedProtocolException",
            format!(
                "Protocol '{protocol}' is not supported by {} load balancers in Berth",
                lb.kind
            ),
        ));
    }
    let secure = protocol == "HTTPS" || protocol == "TLS";
    if secure && certificates.is_empty() {
        return Err(ElbError::validation(format!(
            "A certificate must be specified for {protocol} listeners"
        )));
    }
    if !secure && !certificates.is_empty() {
        return Err(ElbError::config(format!(
            "Certificates apply only to HTTPS and TLS listeners, not {protocol}"
        )));
    }
    if certificates.len() > 1 {
        return Err(ElbError::new(
            "TooManyCertificatesException",
            "A listener takes one default certificate",
        ));
    }
    for certificate in certificates {
        if balancing::certificate(ctx, certificate).await?.is_none() {
            return Err(ElbError::new(
                "CertificateNotFoundException",
                format!("Certificate '{certificate}' not found"),
            ));
        }
    }
    Ok(())
}

/// Berth's nodes bind every listener on their own address: a port serves one load balancer.
fn port_taken(balancers: &[LoadBalancerRecord], lb_arn: &str, port: u16) -> Option<String> {
    balancers
        .iter()
        .filter(|b| b.arn != lb_arn)
        .find(|b| b.listeners.iter().any(|l| l.port == port))
        .map(|b| b.name.clone())
}

/// The listener's SSL policy: the one asked for, else its `current` one, else the default;
/// none for plain HTTP and TCP.
fn ssl_policy(
    input: &Value,
    protocol: &str,
    current: Option<&str>,
) -> Result<Option<String>, ElbError> {
    match text(input, "SslPolicy") {
        Some(p) if !SSL_POLICIES.contains(&p) => {
            Err(ElbError::new("SSLPolicyNotFoundException", format!("SSL policy '{p}' not found")))
        }
        Some(p) => Ok(Some(p.to_owned())),
        None if protocol == "HTTPS" || protocol == "TLS" => {
            Ok(Some(current.unwrap_or(SSL_POLICIES[0]).to_owned()))
        }
        None => Ok(None),
    }
}

fn certificates_in(input: &Value) -> Vec<String> {
    items(input, "Certificates")
        .iter()
        .filter_map(|c| text(c, "CertificateArn").map(str::to_owned))
        .collect()
}

pub(super) async fn create(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let lb_arn = text(input, "LoadBalancerArn").unwrap_or_default().to_owned();
    let lb = super::load_balancers::find(ctx, &lb_arn).await?.value;
    let protocol = text(input, "Protocol")
        .unwrap_or(if lb.kind == "application" { "HTTP" } else { "TCP" })
        .to_owned();
    let Some(port) = int(input, "Port") else {
        return Err(ElbError::validation("A port must be specified"));
    };
    let port = port as u16;
    let certificates = certificates_in(input);
    let ssl_policy = ssl_policy(input, &protocol, None)?;
    let tags = shapes::tags_in(input)?;
    // Under the lock DeleteCertificate takes too: a certificate found here stays.
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    check_listener(ctx, &lb, &protocol, &certificates).await?;
    let known = Known::read(ctx).await?;
    let actions = known.check(&lb, input, "DefaultActions")?;
    if let Some(other) = port_taken(&known.balancers, &lb.arn, port) {
        return Err(ElbError::config(format!(
            "Port {port} is already used by a listener of load balancer '{other}': Berth's load-balancer nodes bind every listener on their own address, so a port serves one load balancer"
        )));
    }
    let resource = lb.arn.split_once(":loadbalancer/").map_or("", |(_, t)| t).to_owned();
    let listener_arn = arn(ctx, &format!("listener/{resource}/{}", balancing::new_id()));
    let mut shown = None;
    super::load_balancers::change(ctx, &lb, |current| {
        if let Some(same) = current.listeners.iter().find(|l| l.port == port) {
            if same.protocol == protocol
                && same.default_actions == actions
                && same.certificates == certificates
            {
                shown = Some(same.clone());
                return Ok(());
            }
            return Err(ElbError::new(
                "DuplicateListenerException",
                format!("A listener already exists on port {port}"),
            ));
        }
        if current.listeners.len() >= MAX_LISTENERS {
            return Err(ElbError::new(
                "TooManyListenersException",
                format!("A load balancer can have at most {MAX_LISTENERS} listeners"),
            ));
        }
        let listener = ListenerRecord {
            arn: listener_arn.clone(),
            port,
            protocol: protocol.clone(),
            ssl_policy: ssl_policy.clone(),
            certificates: certificates.clone(),
            default_actions: actions.clone(),
            rules: Vec::new(),
            tags: tags.clone(),
            alpn_policy: strings(input, "AlpnPolicy"),
        };
        shown = Some(listener.clone());
        current.listeners.push(listener);
        Ok(())
    })
    .await?;
    let shown = shown.map(|l| shapes::listener_json(&lb.arn, &l));
    Ok(json!({"Listeners": shown.into_iter().collect::<Vec<_>>()}))
}

pub(super) async fn describe(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let arns = strings(input, "ListenerArns");
    let lb_arn = text(input, "LoadBalancerArn");
    if !arns.is_empty() && lb_arn.is_some() {
        return Err(ElbError::validation(
            "Listener ARNs and a load balancer ARN cannot be specified at the same time",
        ));
    }
    if arns.is_empty() && lb_arn.is_none() {
        return Err(ElbError::validation(
            "You must specify either listener ARNs or a load balancer ARN",
        ));
    }
    let mut shown = Vec::new();
    if let Some(lb_arn) = lb_arn {
        let lb = super::load_balancers::find(ctx, lb_arn).await?.value;
        shown.extend(lb.listeners.iter().map(|l| shapes::listener_json(&lb.arn, l)));
    }
    for arn in &arns {
        let lb = balancer_of_listener(ctx, arn).await?;
        shown.extend(
            lb.listeners
                .iter()
                .filter(|l| l.arn == *arn)
                .map(|l| shapes::listener_json(&lb.arn, l)),
        );
    }
    let (page, next) = page(shown, input)?;
    Ok(json!({"Listeners": page, "NextMarker": next}))
}

pub(super) async fn modify(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let listener_arn = text(input, "ListenerArn").unwrap_or_default().to_owned();
    let lb = balancer_of_listener(ctx, &listener_arn).await?;
    let Some(existing) = lb.listeners.iter().find(|l| l.arn == listener_arn).cloned() else {
        return Err(listener_not_found(&listener_arn));
    };
    let protocol = text(input, "Protocol").unwrap_or(&existing.protocol).to_owned();
    let port = int(input, "Port").map_or(existing.port, |p| p as u16);
    let certificates = if input.get("Certificates").is_some() {
        certificates_in(input)
    } else if protocol == "HTTPS" || protocol == "TLS" {
        existing.certificates.clone()
    } else {
        Vec::new()
    };
    let ssl_policy = ssl_policy(input, &protocol, existing.ssl_policy.as_deref())?;
    // Under the lock DeleteCertificate takes too: a certificate found here stays.
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    check_listener(ctx, &lb, &protocol, &certificates).await?;
    let known = Known::read(ctx).await?;
    let actions = known
        .changed(&lb, input, "DefaultActions")?
        .unwrap_or_else(|| existing.default_actions.clone());
    if let Some(other) = port_taken(&known.balancers, &lb.arn, port) {
        return Err(ElbError::config(format!(
            "Port {port} is already used by a listener of load balancer '{other}'"
        )));
    }
    let mut shown = None;
    let written = super::load_balancers::change(ctx, &lb, |current| {
        if current.listeners.iter().any(|l| l.port == port && l.arn != listener_arn) {
            return Err(ElbError::new(
                "DuplicateListenerException",
                format!("A listener already exists on port {port}"),
            ));
        }
        let Some(listener) = current.listeners.iter_mut().find(|l| l.arn == listener_arn) else {
            return Err(listener_not_found(&listener_arn));
        };
        listener.port = port;
        listener.protocol = protocol.clone();
        listener.certificates = certificates.clone();
        listener.ssl_policy = ssl_policy.clone();
        listener.default_actions = actions.clone();
        if input.get("AlpnPolicy").is_some() {
            listener.alpn_policy = strings(input, "AlpnPolicy");
        }
        shown = Some(listener.clone());
        Ok(())
    })
    .await?;
    let shown = shown.map(|l| shapes::listener_json(&written.arn, &l));
    Ok(json!({"Listeners": shown.into_iter().collect::<Vec<_>>()}))
}

pub(super) async fn delete(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let listener_arn = text(input, "ListenerArn").unwrap_or_default().to_owned();
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let lb = balancer_of_listener(ctx, &listener_arn).await?;
    super::load_balancers::change(ctx, &lb, |current| {
        let before = current.listeners.len();
        current.listeners.retain(|l| l.arn != listener_arn);
        if current.listeners.len() == before {
            return Err(listener_not_found(&listener_arn));
        }
        Ok(())
    })
    .await?;
    Ok(json!({}))
}

fn check_priority(priority: i64) -> Result<u32, ElbError> {
    if !(1..=50_000).contains(&priority) {
        return Err(ElbError::validation(format!("Priority {priority} must be from 1 to 50000")));
    }
    Ok(priority as u32)
}

pub(super) async fn create_rule(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let listener_arn = text(input, "ListenerArn").unwrap_or_default().to_owned();
    let lb = balancer_of_listener(ctx, &listener_arn).await?;
    if lb.kind != "application" {
        return Err(ElbError::new(
            "UnsupportedProtocolException",
            "Only listeners of application load balancers have rules",
        ));
    }
    let priority = check_priority(int(input, "Priority").unwrap_or_default())?;
    let conditions = check_conditions(items(input, "Conditions"))?;
    let tags = shapes::tags_in(input)?;
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let actions = Known::read(ctx).await?.check(&lb, input, "Actions")?;
    let listener_tail = listener_arn.split_once(":listener/").map_or("", |(_, t)| t).to_owned();
    let rule = RuleRecord {
        arn: arn(ctx, &format!("listener-rule/{listener_tail}/{}", balancing::new_id())),
        priority,
        conditions,
        actions,
        tags,
    };
    super::load_balancers::change(ctx, &lb, |current| {
        let Some(listener) = current.listeners.iter_mut().find(|l| l.arn == listener_arn) else {
            return Err(listener_not_found(&listener_arn));
        };
        if listener.rules.iter().any(|r| r.priority == priority) {
            return Err(ElbError::new(
                "PriorityInUseException",
                format!("Priority '{priority}' is currently in use"),
            ));
        }
        if listener.rules.len() >= MAX_RULES {
            return Err(ElbError::new(
                "TooManyRulesException",
                format!("A listener can have at most {MAX_RULES} rules"),
            ));
        }
        listener.rules.push(rule.clone());
        Ok(())
    })
    .await?;
    Ok(json!({"Rules": [shapes::rule_json(&rule)]}))
}

pub(super) async fn describe_rules(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let arns = strings(input, "RuleArns");
    let listener_arn = text(input, "ListenerArn");
    if arns.is_empty() == listener_arn.is_none() {
        return Err(ElbError::validation(
            "You must specify either a listener ARN or rule ARNs, not both",
        ));
    }
    let mut shown = Vec::new();
    if let Some(listener_arn) = listener_arn {
        let lb = balancer_of_listener(ctx, listener_arn).await?;
        for listener in lb.listeners.iter().filter(|l| l.arn == listener_arn) {
            let mut rules: Vec<&RuleRecord> = listener.rules.iter().collect();
            rules.sort_by_key(|r| r.priority);
            shown.extend(rules.into_iter().map(shapes::rule_json));
            shown.push(shapes::default_rule_json(listener));
        }
    }
    for arn in &arns {
        let lb = balancer_of_rule(ctx, arn).await?;
        for listener in &lb.listeners {
            if balancing::default_rule_arn(&listener.arn) == *arn {
                shown.push(shapes::default_rule_json(listener));
            }
            shown.extend(listener.rules.iter().filter(|r| r.arn == *arn).map(shapes::rule_json));
        }
    }
    let (page, next) = page(shown, input)?;
    Ok(json!({"Rules": page, "NextMarker": next}))
}

fn is_default_rule(lb: &LoadBalancerRecord, arn: &str) -> bool {
    lb.listeners.iter().any(|l| balancing::default_rule_arn(&l.arn) == arn)
}

pub(super) async fn modify_rule(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let rule_arn = text(input, "RuleArn").unwrap_or_default().to_owned();
    let lb = balancer_of_rule(ctx, &rule_arn).await?;
    if is_default_rule(&lb, &rule_arn) {
        return Err(ElbError::new(
            "OperationNotPermittedException",
            "The default rule cannot be modified: change the listener's default actions with ModifyListener",
        ));
    }
    let conditions = match input.get("Conditions") {
        Some(_) => Some(check_conditions(items(input, "Conditions"))?),
        None => None,
    };
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let actions = Known::read(ctx).await?.changed(&lb, input, "Actions")?;
    let mut shown = None;
    super::load_balancers::change(ctx, &lb, |current| {
        let Some(rule) = current
            .listeners
            .iter_mut()
            .flat_map(|l| l.rules.iter_mut())
            .find(|r| r.arn == rule_arn)
        else {
            return Err(rule_not_found(&rule_arn));
        };
        if let Some(c) = &conditions {
            rule.conditions = c.clone();
        }
        if let Some(a) = &actions {
            rule.actions = a.clone();
        }
        shown = Some(shapes::rule_json(rule));
        Ok(())
    })
    .await?;
    Ok(json!({"Rules": shown.into_iter().collect::<Vec<_>>()}))
}

pub(super) async fn delete_rule(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let rule_arn = text(input, "RuleArn").unwrap_or_default().to_owned();
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let lb = balancer_of_rule(ctx, &rule_arn).await?;
    if is_default_rule(&lb, &rule_arn) {
        return Err(ElbError::new(
            "OperationNotPermittedException",
            "The default rule cannot be deleted",
        ));
    }
    super::load_balancers::change(ctx, &lb, |current| {
        let mut found = false;
        for listener in &mut current.listeners {
            let before = listener.rules.len();
            listener.rules.retain(|r| r.arn != rule_arn);
            found |= listener.rules.len() != before;
        }
        if found { Ok(()) } else { Err(rule_not_found(&rule_arn)) }
    })
    .await?;
    Ok(json!({}))
}

pub(super) async fn set_priorities(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let mut asked: Vec<(String, u32)> = Vec::new();
    for entry in items(input, "RulePriorities") {
        let arn = text(entry, "RuleArn").unwrap_or_default().to_owned();
        let priority = check_priority(int(entry, "Priority").unwrap_or_default())?;
        if asked.iter().any(|(a, _)| *a == arn) {
            return Err(ElbError::validation(format!("Rule '{arn}' is given more than once")));
        }
        asked.push((arn, priority));
    }
    let Some((first, _)) = asked.first() else {
        return Err(ElbError::validation("At least one rule priority must be specified"));
    };
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let lb = balancer_of_rule(ctx, first).await?;
    for (arn, _) in &asked {
        if is_default_rule(&lb, arn) {
            return Err(ElbError::new(
                "OperationNotPermittedException",
                "The default rule's priority cannot be changed",
            ));
        }
    }
    let mut shown = Vec::new();
    super::load_balancers::change(ctx, &lb, |current| {
        shown.clear();
        for (arn, _) in &asked {
            if !current.listeners.iter().flat_map(|l| &l.rules).any(|r| r.arn == *arn) {
                return Err(rule_not_found(arn));
            }
        }
        for listener in &mut current.listeners {
            for rule in &mut listener.rules {
                if let Some((_, p)) = asked.iter().find(|(a, _)| *a == rule.arn) {
                    rule.priority = *p;
                }
            }
            let mut priorities: Vec<u32> = listener.rules.iter().map(|r| r.priority).collect();
            priorities.sort_unstable();
            if let Some(w) = priorities.windows(2).find(|w| w[0] == w[1]) {
                return Err(ElbError::new(
                    "PriorityInUseException",
                    format!("Priority '{}' is currently in use", w[0]),
                ));
            }
            shown.extend(
                listener
                    .rules
                    .iter()
                    .filter(|r| asked.iter().any(|(a, _)| *a == r.arn))
                    .map(shapes::rule_json),
            );
        }
        Ok(())
    })
    .await?;
    Ok(json!({"Rules": shown}))
}
