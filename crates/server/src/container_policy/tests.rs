//! The parsing of security options and log destinations, and the policy's decisions on them.

use std::net::IpAddr;

use super::*;

#[test]
fn security_options_are_parsed_not_matched() {
    use SecurityOption::*;
    let safe = [
        "no-new-privileges",
        "no-new-privileges:true",
        "no-new-privileges=true",
        "no-new-privileges=false",
        "seccomp=builtin",
        "seccomp:builtin",
        "apparmor=docker-default",
        "label=user:system_u",
        "label:role:system_r",
        "label=level:s0:c100,c200",
        "label=type:container_t",
        "label=filetype:container_file_t",
        "writable-cgroups=false",
    ];
    for option in safe {
        assert_eq!(security_option(option), Safe, "{option}");
    }
    let unconfined = [
        "seccomp=unconfined",
        "seccomp:unconfined",
        "apparmor=unconfined",
        "apparmor:unconfined",
        "label=disable",
        "label:disable",
        "disable",
        "label=type:spc_t",
        "label:type:unconfined_t",
        "systempaths=unconfined",
        "writable-cgroups=true",
    ];
    for option in unconfined {
        assert!(matches!(security_option(option), Unconfined(_)), "{option}");
    }
    let custom = [
        // The inline profile of the issue: it lets a user namespace have every capability.
        "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
        "seccomp:{\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
        "seccomp=/etc/docker/permissive.json",
        // Docker compares exactly: this is a profile named so, not the unconfined one.
        "seccomp=Unconfined",
        "apparmor=my-profile",
        "label=type:kernel_t",
        "label=nested:true",
        // Not a key Docker takes (cut at the first `=`): refused, never guessed at.
        "Seccomp=unconfined",
        "seccomp:{\"x\":\"a=b\"}",
        "privileged=true",
    ];
    for option in custom {
        assert!(matches!(security_option(option), Custom(_)), "{option}");
    }
    let invalid = [
        "no-new-privileges=maybe",
        "nonsense",
        "",
        "label=user",
        "label=user:",
        "writable-cgroups=yes",
    ];
    for option in invalid {
        assert!(matches!(security_option(option), Invalid(_)), "{option}");
    }
}

fn ip(text: &str, port: Option<u16>) -> Destination {
    Destination::Ip(text.parse::<IpAddr>().unwrap(), port)
}

fn name(text: &str, port: Option<u16>) -> Destination {
    Destination::Name(text.to_owned(), port)
}

#[test]
fn log_destinations_parse_urls_and_host_ports() {
    let cases = [
        ("tcp://127.0.0.1:514", ip("127.0.0.1", Some(514))),
        ("udp://10.0.0.5:514", ip("10.0.0.5", Some(514))),
        ("tcp+tls://203.0.113.7:6514", ip("203.0.113.7", Some(6514))),
        ("TCP://203.0.113.7", ip("203.0.113.7", None)),
        ("udp://[::1]:12201", ip("::1", Some(12201))),
        ("udp://[fe80::1%eth0]:12201", ip("fe80::1", Some(12201))),
        ("tcp://[::ffff:127.0.0.1]:514", ip("::ffff:127.0.0.1", Some(514))),
        (
            "https://splunk.example.com:8088/services/collector",
            name("splunk.example.com", Some(8088)),
        ),
        ("https://user:secret@198.51.100.1:8088/x?y#z", ip("198.51.100.1", Some(8088))),
        ("http://[2001:db8::5]/", ip("2001:db8::5", None)),
        ("tcp://:514", ip("0.0.0.0", Some(514))),
        ("unix:///dev/log", Destination::Unix("/dev/log".to_owned())),
        (
            "unixgram:///run/systemd/journal/syslog",
            Destination::Unix("/run/systemd/journal/syslog".to_owned()),
        ),
        ("127.0.0.1:24224", ip("127.0.0.1", Some(24224))),
        ("[fd00::1]:24224", ip("fd00::1", Some(24224))),
        ("[fd00::1]", ip("fd00::1", None)),
        ("fd00::1", ip("fd00::1", None)),
        ("::1", ip("::1", None)),
        ("Fluentd.Local:24224", name("fluentd.local", Some(24224))),
        ("localhost", name("localhost", None)),
        // Not an IP literal as Rust reads them: a name, which the daemon might resolve to
        // anything (here, 127.0.0.1).
        ("tcp://127.1:514", name("127.1", Some(514))),
        ("tcp://0x7f.0.0.1:514", name("0x7f.0.0.1", Some(514))),
        ("tcp://0177.0.0.1:514", name("0177.0.0.1", Some(514))),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_destination(text), Ok(expected), "{text}");
    }
    for bad in [
        "",
        "tcp://127.0.0.1:99999",
        "127.0.0.1:syslog",
        "[::1",
        "[::1]x",
        "[127.0.0.1]:514",
        "udp://[nonsense]:1",
        "fd00::zz",
        "t cp://1.2.3.4:5",
    ] {
        assert!(parse_destination(bad).is_err(), "{bad}: {:?}", parse_destination(bad));
    }
}

#[test]
fn the_hosts_own_and_private_addresses_are_restricted() {
    let restricted_ones = [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("169.254.169.254", "link-local"),
        ("10.1.2.3", "private"),
        ("172.17.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "shared"),
        ("100.127.255.254", "shared"),
        ("255.255.255.255", "broadcast"),
        ("224.0.0.1", "multicast"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("febf::1", "link-local"),
        ("fd00::1", "private"),
        ("fc12::1", "private"),
        ("fec0::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::127.0.0.1", "loopback"),
        ("64:ff9b::169.254.169.254", "link-local"),
    ];
    for (address, word) in restricted_ones {
        let why = restricted(address.parse().unwrap());
        assert!(why.is_some_and(|why| why.contains(word)), "{address}: {why:?}");
    }
    for public in [
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "198.51.100.1",
        "2001:db8::5",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
    ] {
        assert_eq!(restricted(public.parse().unwrap()), None, "{public}");
    }
}

fn definition(container: serde_json::Value) -> TaskDefinition {
    let mut c = serde_json::json!({"name": "app", "image": "busybox", "memory": 64});
    c.as_object_mut().unwrap().extend(container.as_object().unwrap().clone());
    serde_json::from_value(serde_json::json!({"family": "f", "containerDefinitions": [c]})).unwrap()
}

fn policy(toml_text: &str) -> ContainerPolicy {
    toml::from_str(toml_text).unwrap()
}

fn refusal(policy: &ContainerPolicy, container: serde_json::Value) -> Option<String> {
    check(policy, "t", &definition(container)).err().map(|e| {
        assert_eq!(e.code, api::ErrorCode::ClientException, "{e:?}");
        e.message
    })
}

#[test]
fn security_options_need_the_setting_they_name() {
    let none = policy("");
    let inline = serde_json::json!({"dockerSecurityOptions":
        ["no-new-privileges", "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"]});
    let message = refusal(&none, inline.clone()).unwrap();
    assert!(
        message.starts_with("containerDefinitions[0].dockerSecurityOptions: \"seccomp={")
            && message.contains("names a custom seccomp profile, which cluster t does not allow (allow-custom-security-profiles)"),
        "{message}"
    );
    assert_eq!(refusal(&policy("allow-custom-security-profiles = true"), inline), None);
    // A profile that lifts confinement is privilege: allowing custom profiles does not cover it.
    let unconfined = serde_json::json!({"dockerSecurityOptions": ["apparmor=unconfined"]});
    let message =
        refusal(&policy("allow-custom-security-profiles = true"), unconfined.clone()).unwrap();
    assert!(message.contains("unconfined") && message.contains("(allow-privileged)"), "{message}");
    assert_eq!(refusal(&policy("allow-privileged = true"), unconfined), None);
    let message = refusal(&none, serde_json::json!({"dockerSecurityOptions": ["bogus"]})).unwrap();
    assert!(message.contains("is not a valid security option"), "{message}");
    let safe =
        serde_json::json!({"dockerSecurityOptions": ["no-new-privileges:true", "label=level:s0"]});
    assert_eq!(refusal(&none, safe), None);
}

fn logging(driver: &str, options: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"logConfiguration": {"logDriver": driver, "options": options}})
}

#[test]
fn log_destinations_on_the_host_need_to_be_listed() {
    let none = policy("");
    let loopback = logging("syslog", serde_json::json!({"syslog-address": "tcp://127.0.0.1:5140"}));
    let message = refusal(&none, loopback.clone()).unwrap();
    assert!(
        message.starts_with(
            "containerDefinitions[0].logConfiguration.options.syslog-address: \"tcp://127.0.0.1:5140\" is a loopback address"
        ) && message.contains("(log-destinations)"),
        "{message}"
    );
    assert_eq!(refusal(&policy("log-destinations = [\"127.0.0.1:5140\"]"), loopback.clone()), None);
    assert_eq!(refusal(&policy("log-destinations = [\"127.0.0.1\"]"), loopback.clone()), None);
    assert!(refusal(&policy("log-destinations = [\"127.0.0.1:5141\"]"), loopback).is_some());

    let v6 = logging("gelf", serde_json::json!({"gelf-address": "udp://[0:0::1]:12201"}));
    assert!(refusal(&none, v6.clone()).unwrap().contains("gelf-address"));
    assert_eq!(refusal(&policy("log-destinations = [\"[::1]:12201\"]"), v6), None);

    let named =
        logging("splunk", serde_json::json!({"splunk-url": "https://splunk.internal:8088"}));
    let message = refusal(&none, named.clone()).unwrap();
    assert!(
        message.contains("names the host \"splunk.internal\" rather than an IP address"),
        "{message}"
    );
    assert_eq!(refusal(&policy("log-destinations = [\"SPLUNK.internal:8088\"]"), named), None);

    let socket =
        logging("syslog", serde_json::json!({"syslog-address": "unix:///run/docker.sock"}));
    assert!(refusal(&none, socket.clone()).unwrap().contains("unix socket"));
    assert!(refusal(&policy("log-destinations = [\"unix:///dev/log\"]"), socket).is_some());

    let metadata = logging("fluentd", serde_json::json!({"fluentd-address": "169.254.169.254:80"}));
    assert!(refusal(&none, metadata).unwrap().contains("link-local"));
    // fluentd's default destination is the host's loopback.
    let default = logging("fluentd", serde_json::json!({}));
    let message = refusal(&none, default.clone()).unwrap();
    assert!(message.contains("127.0.0.1:24224") && message.contains("loopback"), "{message}");
    assert_eq!(refusal(&policy("log-destinations = [\"127.0.0.1:24224\"]"), default), None);

    let bad = logging("gelf", serde_json::json!({"gelf-address": "udp://10.0.0.1:gelf"}));
    assert!(refusal(&none, bad).unwrap().contains("is not a valid log destination"));

    // Public addresses, and drivers that send nowhere, pass.
    let public = logging("gelf", serde_json::json!({"gelf-address": "udp://198.51.100.1:12201"}));
    assert_eq!(refusal(&none, public), None);
    assert_eq!(refusal(&none, logging("syslog", serde_json::json!({}))), None);
    assert_eq!(refusal(&none, logging("json-file", serde_json::json!({"max-size": "1m"}))), None);
}
