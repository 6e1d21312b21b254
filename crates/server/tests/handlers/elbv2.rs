//! The ELBv2 API's answers on the wire: XML with the result wrapper, ELB's error document and
//! codes, refusals that write nothing; and services' `loadBalancers` checked as ECS checks them.

use serde_json::json;

use crate::harness::Harness;

/// The text between `<tag>` and `</tag>` (the first one).
fn field<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start =
        xml.find(&open).map(|i| i + open.len()).unwrap_or_else(|| panic!("no <{tag}> in {xml}"));
    let end = xml[start..].find(&format!("</{tag}>")).expect("closed") + start;
    &xml[start..end]
}

#[track_caller]
fn refused(answer: &(u16, String), code: &str, fragment: &str) {
    let (status, xml) = answer;
    assert_eq!(*status, 400, "{xml}");
    assert!(
        xml.starts_with(
            "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
        ),
        "{xml}"
    );
    assert_eq!(field(xml, "Code"), code, "{xml}");
    assert_eq!(field(xml, "Type"), "Sender");
    assert!(field(xml, "Message").contains(fragment), "{xml}");
    assert!(!field(xml, "RequestId").is_empty());
}

/// A target group `name` (HTTP, port 80, `kind` targets), a load balancer and a listener on
/// `port` forwarding to it. Returns the group's ARN.
async fn balanced_group(h: &Harness, name: &str, kind: &str, port: &str) -> String {
    let vpc = h.vpc_id().await;
    let (status, xml) = h
        .elb(
            "CreateTargetGroup",
            &[
                ("Name", name),
                ("Protocol", "HTTP"),
                ("Port", "80"),
                ("VpcId", &vpc),
                ("TargetType", kind),
            ],
        )
        .await;
    assert_eq!(status, 200, "{xml}");
    let group = field(&xml, "TargetGroupArn").to_owned();
    let (_, xml) = h.elb("CreateLoadBalancer", &[("Name", name), ("Scheme", "internal")]).await;
    let lb = field(&xml, "LoadBalancerArn").to_owned();
    let (status, xml) = h
        .elb(
            "CreateListener",
            &[
                ("LoadBalancerArn", &lb),
                ("Protocol", "HTTP"),
                ("Port", port),
                ("DefaultActions.member.1.Type", "forward"),
                ("DefaultActions.member.1.TargetGroupArn", &group),
            ],
        )
        .await;
    assert_eq!(status, 200, "{xml}");
    group
}

#[tokio::test]
async fn answers_are_xml_with_the_result_wrapper_and_errors_are_elbs() {
    let h = Harness::new().await;
    let (status, xml) = h.elb("DescribeLoadBalancers", &[]).await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.starts_with("<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><DescribeLoadBalancersResult><LoadBalancers></LoadBalancers>"), "{xml}");
    assert!(xml.contains("<ResponseMetadata><RequestId>"), "{xml}");

    refused(
        &h.elb("DescribeLoadBalancers", &[("Names.member.1", "none")]).await,
        "LoadBalancerNotFound",
        "none",
    );
    refused(
        &h.elb("DescribeTargetGroups", &[("Names.member.1", "none")]).await,
        "TargetGroupNotFound",
        "none",
    );
    refused(
        &h.elb("CreateTargetGroup", &[("Protocol", "HTTP"), ("Port", "80")]).await,
        "ValidationError",
        "Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
    refused(
        &h.elb("CreateTargetGroup", &[("Name", "web"), ("Protocol", "SMTP")]).await,
        "ValidationError",
        "Member must satisfy enum value set",
    );
    refused(
        &h.elb("CreateTargetGroup", &[("Name", "web"), ("Protocol", "HTTP"), ("Port", "eighty")])
            .await,
        "ValidationError",
        "at 'port'",
    );
    refused(&h.elb("CreateTrustStore", &[("Name", "t")]).await, "InvalidAction", "not served");
    refused(
        &h.elb("NoSuchAction", &[]).await,
        "InvalidAction",
        "Could not find operation NoSuchAction",
    );
}

#[tokio::test]
async fn a_refused_request_writes_nothing() {
    let h = Harness::new().await;
    let group = balanced_group(&h, "web", "instance", "8080").await;
    let (_, xml) = h.elb("DescribeLoadBalancers", &[("Names.member.1", "web")]).await;
    let lb = field(&xml, "LoadBalancerArn").to_owned();
    let before = h.revision();
    type Attempt<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let attempts: [Attempt<'_>; 6] = [
        (
            "CreateListener",
            vec![
                ("LoadBalancerArn", &lb),
                ("Protocol", "HTTP"),
                ("Port", "8080"),
                ("DefaultActions.member.1.Type", "fixed-response"),
                ("DefaultActions.member.1.FixedResponseConfig.StatusCode", "404"),
            ],
            "DuplicateListener",
        ),
        (
            "CreateListener",
            vec![
                ("LoadBalancerArn", &lb),
                ("Protocol", "HTTP"),
                ("Port", "8081"),
                ("DefaultActions.member.1.Type", "forward"),
                (
                    "DefaultActions.member.1.TargetGroupArn",
                    "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/none/0000000000000000",
                ),
            ],
            "TargetGroupNotFound",
        ),
        (
            "CreateTargetGroup",
            vec![("Name", "web"), ("Protocol", "HTTP"), ("Port", "81"), ("VpcId", "vpc-0")],
            "ValidationError",
        ),
        ("DeleteTargetGroup", vec![("TargetGroupArn", &group)], "ResourceInUse"),
        (
            "ModifyTargetGroupAttributes",
            vec![
                ("TargetGroupArn", &group),
                ("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"),
                ("Attributes.member.1.Value", "4000"),
            ],
            "InvalidConfigurationRequest",
        ),
        (
            "RegisterTargets",
            vec![("TargetGroupArn", &group), ("Targets.member.1.Id", "i-0000000000000000")],
            "InvalidTarget",
        ),
    ];
    for (action, params, code) in attempts {
        let answer = h.elb(action, &params).await;
        refused(&answer, code, "");
    }
    assert_eq!(h.revision(), before, "a refused request wrote something");
}

#[tokio::test]
async fn a_services_load_balancers_are_checked_as_ecs_checks_them() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition_with(json!({"family": "web", "containerDefinitions": [
        {"name": "app", "image": "busybox", "memory": 64, "portMappings": [{"containerPort": 8080}]}]}))
        .await;
    let group = balanced_group(&h, "web", "instance", "8080").await;
    let ip_group = balanced_group(&h, "web-ip", "ip", "8081").await;
    let vpc = h.vpc_id().await;
    let (_, xml) = h
        .elb(
            "CreateTargetGroup",
            &[("Name", "loose"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", &vpc)],
        )
        .await;
    let loose = field(&xml, "TargetGroupArn").to_owned();
    let service = |balancers: serde_json::Value| {
        json!({"cluster": "c", "serviceName": "web", "taskDefinition": "web", "desiredCount": 1,
            "loadBalancers": balancers})
    };
    let before = h.revision();
    let cases = [
        (
            json!([{"targetGroupArn": format!("{group}0"), "containerName": "app", "containerPort": 8080}]),
            "does not exist",
        ),
        (
            json!([{"targetGroupArn": loose, "containerName": "app", "containerPort": 8080}]),
            "does not have an associated load balancer",
        ),
        (
            json!([{"targetGroupArn": group, "containerName": "nope", "containerPort": 8080}]),
            "The container nope does not exist in the task definition.",
        ),
        (
            json!([{"targetGroupArn": group, "containerName": "app", "containerPort": 9090}]),
            "The container app did not have a container port 9090 defined.",
        ),
        (
            json!([{"targetGroupArn": ip_group, "containerName": "app", "containerPort": 8080}]),
            "has target type ip, which is incompatible with the bridge network mode",
        ),
        (
            json!([{"loadBalancerName": "classic", "containerName": "app", "containerPort": 8080}]),
            "Classic Load Balancers",
        ),
        (
            json!([{"targetGroupArn": group, "containerName": "app"}]),
            "containerName and containerPort are required",
        ),
        (
            json!([{"targetGroupArn": group, "containerName": "app", "containerPort": 8080},
                {"targetGroupArn": group, "containerName": "app", "containerPort": 8080}]),
            "given twice",
        ),
    ];
    for (balancers, fragment) in cases {
        h.refuses("CreateService", service(balancers), "InvalidParameterException", fragment).await;
    }
    assert_eq!(h.revision(), before, "a refused CreateService wrote something");
    let created = h
        .call(
            "CreateService",
            service(
                json!([{"targetGroupArn": group, "containerName": "app", "containerPort": 8080}]),
            ),
        )
        .await
        .ok();
    assert_eq!(created["service"]["loadBalancers"][0]["targetGroupArn"], group);
    // The group is in use by the listener: it stays.
    refused(
        &h.elb("DeleteTargetGroup", &[("TargetGroupArn", &group)]).await,
        "ResourceInUse",
        "in use",
    );
}
