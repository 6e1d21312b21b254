//! The Fargate commands, calls of Berth's own operations signed with the usual AWS credentials
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`): `berth usage`
//! (Fargate usage and its cost, `BerthV1.GetFargateUsage`) and `berth reclaim-spot`
//! (`BerthV1.ReclaimSpotCapacity`).

use anyhow::{Context as _, bail};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  berth usage                                  # every cluster, since the beginning
  berth usage --group-by SERVICE --since 86400 # by service, over the last day
  berth usage --group-by TAG:team --output json")]
pub(crate) struct UsageArgs {
    /// The control plane's URL.
    #[arg(long, env = "AWS_ENDPOINT_URL_ECS", default_value = "http://127.0.0.1:8760")]
    endpoint: String,
    /// Only this cluster's tasks.
    #[arg(long)]
    cluster: Option<String>,
    /// CLUSTER, SERVICE, FAMILY or TAG:<key>.
    #[arg(long, default_value = "CLUSTER")]
    group_by: String,
    /// Only the last this many seconds.
    #[arg(long)]
    since: Option<f64>,
    /// `table` for people, `json` for scripts.
    #[arg(long, default_value = "table")]
    output: String,
}

/// Calls `BerthV1.<op>` at `endpoint` with `body`, signed; its JSON answer.
async fn call(
    endpoint: &str,
    op: &str,
    body: &serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let body = body.to_string();
    let host = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let headers = vec![
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ("host".to_owned(), host.trim_end_matches('/').to_owned()),
        ("x-amz-target".to_owned(), format!("BerthV1.{op}")),
    ];
    let key = std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_default();
    let secret = std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_default();
    let region = std::env::var("AWS_DEFAULT_REGION")
        .or_else(|_| std::env::var("AWS_REGION"))
        .unwrap_or_else(|_| "us-east-1".to_owned());
    let signature = auth::sigv4::sign_post(
        &headers,
        body.as_bytes(),
        &key,
        &secret,
        &region,
        i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
    );
    let mut request =
        reqwest::Client::new().post(format!("{}/", endpoint.trim_end_matches('/'))).body(body);
    for (name, value) in headers.iter().chain(&signature).filter(|(name, _)| name != "host") {
        request = request.header(name, value);
    }
    let response = request.send().await.with_context(|| format!("reaching {endpoint}"))?;
    let status = response.status();
    let answer: serde_json::Value = response.json().await.context("the answer is not JSON")?;
    if !status.is_success() {
        bail!(
            "{}: {}",
            answer["__type"].as_str().unwrap_or("error"),
            answer["message"].as_str().unwrap_or_default()
        );
    }
    Ok(answer)
}

pub(crate) async fn usage(args: UsageArgs) -> anyhow::Result<()> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let mut body = serde_json::json!({"groupBy": args.group_by, "endTime": now.as_secs_f64()});
    if let Some(cluster) = &args.cluster {
        body["cluster"] = serde_json::json!(cluster);
    }
    if let Some(since) = args.since {
        body["startTime"] = serde_json::json!(now.as_secs_f64() - since);
    }
    let answer = call(&args.endpoint, "GetFargateUsage", &body).await?;
    if args.output == "json" {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(());
    }
    let groups = answer["groups"].as_array().cloned().unwrap_or_default();
    let hours = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0) / 3600.0;
    println!(
        "{:<32} {:>6} {:>12} {:>12} {:>12} {:>12} {:>10}",
        args.group_by, "TASKS", "VCPU-HOURS", "GB-HOURS", "SPOT-VCPU-H", "SPOT-GB-H", "COST-USD"
    );
    for g in &groups {
        println!(
            "{:<32} {:>6} {:>12.4} {:>12.4} {:>12.4} {:>12.4} {:>10.4}",
            g["key"].as_str().unwrap_or("-"),
            g["tasks"].as_u64().unwrap_or(0),
            hours(&g["vcpuSeconds"]),
            hours(&g["gbSeconds"]),
            hours(&g["spotVcpuSeconds"]),
            hours(&g["spotGbSeconds"]),
            g["cost"].as_f64().unwrap_or(0.0),
        );
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Example:
  berth reclaim-spot --hosts 2   # interrupt the tasks of the two busiest Spot hosts")]
pub(crate) struct ReclaimArgs {
    /// The control plane's URL.
    #[arg(long, env = "AWS_ENDPOINT_URL_ECS", default_value = "http://127.0.0.1:8760")]
    endpoint: String,
    /// How many Spot hosts to reclaim (those running the most tasks).
    #[arg(long, default_value_t = 1)]
    hosts: i32,
}

/// `berth reclaim-spot`: takes Fargate Spot capacity back, as AWS does when it needs it.
pub(crate) async fn reclaim(args: ReclaimArgs) -> anyhow::Result<()> {
    let body = serde_json::json!({"hosts": args.hosts});
    let answer = call(&args.endpoint, "ReclaimSpotCapacity", &body).await?;
    let tasks = answer["interruptedTasks"].as_array().cloned().unwrap_or_default();
    println!("{} Spot task(s) interrupted", tasks.len());
    for task in tasks {
        println!("  {}", task.as_str().unwrap_or_default());
    }
    Ok(())
}
