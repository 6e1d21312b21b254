//! `berth bench auth`: the CPU cost of access control per request, on one core, without the
//! network: Signature V4 verification, then policy evaluation, of requests signed as the AWS CLI
//! signs them, against an auth file with many users.
//!
//! Output: `bench=auth users=.. body_bytes=.. verify_us=.. authorize_us=.. total_us=..
//! per_core_rps=..` (the last is how many requests one core could check per second).

use std::time::Instant;

use anyhow::Context as _;

#[derive(Debug, clap::Args)]
pub(crate) struct AuthBenchArgs {
    /// Users in the auth file (each with one key and two policies).
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Requests checked per measurement.
    #[arg(long, default_value_t = 200_000)]
    requests: usize,
}

pub(crate) fn run(args: &AuthBenchArgs) -> anyhow::Result<()> {
    let mut file = String::new();
    for n in 0..args.users {
        file.push_str(&format!(
            "[[users]]\nname = \"user{n}\"\npolicies = [\
             '{{\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"ecs:*\", \"Resource\": \"arn:aws:ecs:*:*:cluster/team{n}-*\"}}]}}', \
             '{{\"Statement\": [{{\"Effect\": \"Deny\", \"Action\": \"ecs:Delete*\", \"Resource\": \"*\"}}, \
               {{\"Effect\": \"Allow\", \"Action\": [\"ecs:Describe*\", \"ecs:List*\"], \"Resource\": \"*\"}}]}}']\n\
             [[users.keys]]\naccess-key-id = \"AKIDBENCH{n:08}\"\nsecret-access-key = \"secret-{n}\"\n"
        ));
    }
    let config = auth::config::parse(&file, "000000000000").context("the benchmark's auth file")?;
    let now = 1_790_000_000;
    let host = "127.0.0.1:8760";
    for body in [
        r#"{"cluster":"team7-a","tasks":["0123456789abcdef0123456789abcdef"]}"#.to_owned(),
        serde_json::json!({"cluster": "team7-a", "taskDefinition": "web:3", "count": 1,
            "overrides": {"containerOverrides": [{"name": "app", "environment":
            (0..40).map(|i| serde_json::json!({"name": format!("VAR_{i}"), "value": "x".repeat(64)})).collect::<Vec<_>>()}]}})
        .to_string(),
    ] {
        // A few keys, so that lookups are not all of one entry.
        let signed: Vec<Vec<(String, String)>> = (0..16)
            .map(|k| {
                let n = (k * 61) % args.users.max(1);
                let mut headers = vec![
                    ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
                    ("host".to_owned(), host.to_owned()),
                    ("x-amz-target".to_owned(), "AmazonEC2ContainerServiceV20141113.DescribeTasks".to_owned()),
                ];
                let key = format!("AKIDBENCH{n:08}");
                let signature = auth::sigv4::sign_post(&headers, body.as_bytes(), &key, &format!("secret-{n}"), "us-east-1", now);
                headers.extend(signature);
                headers
            })
            .collect();
        let request = |i: usize| auth::SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &signed[i % signed.len()],
            body: body.as_bytes(),
        };
        let started = Instant::now();
        let mut identities = Vec::with_capacity(signed.len());
        for i in 0..args.requests {
            let identity = auth::verify(&request(i), &config, "us-east-1", now).context("verify")?;
            if i < signed.len() {
                identities.push(identity);
            }
        }
        let verify = started.elapsed().as_secs_f64() / args.requests as f64;

        let started = Instant::now();
        let mut allowed = 0usize;
        for i in 0..args.requests {
            let identity = &identities[i % identities.len()];
            let request = auth::AuthzRequest {
                principal: identity.principal_arn.clone(),
                action: "ecs:DescribeTasks".to_owned(),
                resources: vec!["arn:aws:ecs:us-east-1:000000000000:task/team7-a/0123456789abcdef0123456789abcdef".into()],
                cluster_arn: Some("arn:aws:ecs:us-east-1:000000000000:cluster/team7-a".to_owned()),
            };
            allowed += usize::from(config.authorize(&identity.user, &request).is_ok());
        }
        let authorize = started.elapsed().as_secs_f64() / args.requests as f64;
        anyhow::ensure!(allowed == args.requests, "every request should be allowed");
        println!(
            "bench=auth users={} body_bytes={} verify_us={:.2} authorize_us={:.2} total_us={:.2} per_core_rps={:.0}",
            args.users,
            body.len(),
            verify * 1e6,
            authorize * 1e6,
            (verify + authorize) * 1e6,
            1.0 / (verify + authorize),
        );
    }
    Ok(())
}
