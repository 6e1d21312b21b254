//! ListAccountSettings, PutAccountSetting, PutAccountSettingDefault and DeleteAccountSetting.

use serde_json::{Value, json};

use crate::harness::Harness;

const ROOT: &str = "arn:aws:iam::000000000000:root";

async fn effective(h: &Harness) -> Value {
    h.call("ListAccountSettings", json!({"effectiveSettings": true})).await.ok()
}

#[tokio::test]
async fn put_account_setting_refuses_unknown_names_and_values() {
    let h = Harness::new().await;
    let before = effective(&h).await;
    h.rejects(
        "PutAccountSetting",
        json!({"value": "enabled"}),
        "Missing required parameter: name.",
    )
    .await;
    h.rejects(
        "PutAccountSetting",
        json!({"name": "containerInsights"}),
        "Missing required parameter: value.",
    )
    .await;
    h.rejects(
        "PutAccountSetting",
        json!({"name": "darkMode", "value": "enabled"}),
        "Invalid value \"darkMode\" for parameter name: valid values are",
    )
    .await;
    h.rejects(
        "PutAccountSetting",
        json!({"name": "containerInsights", "value": true}),
        "value: expected a string, got a boolean",
    )
    .await;
    let cases = [
        ("containerInsights", "on", "enabled, disabled, enhanced"),
        ("taskLongArnFormat", "enhanced", "enabled, disabled"),
        ("tagResourceAuthorization", "enabled", "on, off"),
        ("fargateTaskRetirementWaitPeriod", "3", "0, 7, 14"),
        ("defaultLogDriverMode", "ENABLED", "blocking, non-blocking"),
    ];
    for (name, value, allowed) in cases {
        h.rejects(
            "PutAccountSetting",
            json!({"name": name, "value": value}),
            &format!(
                "The value {value:?} is not valid for account setting {name}; valid values are {allowed}."
            ),
        )
        .await;
    }
    assert_eq!(effective(&h).await, before);
}

#[tokio::test]
async fn principals_must_be_this_account_s_root_users_or_roles() {
    let h = Harness::new().await;
    let bad = [
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::000000000000:group/admins",
        "arn:aws:iam::000000000000:",
        "root",
        "",
    ];
    for principal in bad {
        let fragment = format!(
            "principalArn must be the ARN of the account's root user, an IAM user or an IAM role; got {principal:?}."
        );
        h.rejects(
            "PutAccountSetting",
            json!({"name": "containerInsights", "value": "enabled", "principalArn": principal}),
            &fragment,
        )
        .await;
        h.rejects(
            "DeleteAccountSetting",
            json!({"name": "containerInsights", "principalArn": principal}),
            &fragment,
        )
        .await;
        h.rejects("ListAccountSettings", json!({"principalArn": principal}), &fragment).await;
    }
    // Users and roles of the account are accepted.
    for principal in ["arn:aws:iam::000000000000:user/ada", "arn:aws:iam::000000000000:role/ci"] {
        h.call(
            "PutAccountSetting",
            json!({"name": "containerInsights", "value": "enabled", "principalArn": principal}),
        )
        .await
        .ok();
    }
}

#[tokio::test]
async fn put_account_setting_default_refuses_invalid_values() {
    let h = Harness::new().await;
    h.rejects(
        "PutAccountSettingDefault",
        json!({"name": "containerInsights"}),
        "Missing required parameter: value.",
    )
    .await;
    h.rejects(
        "PutAccountSettingDefault",
        json!({"value": "enabled"}),
        "Missing required parameter: name.",
    )
    .await;
    h.rejects(
        "PutAccountSettingDefault",
        json!({"name": "containerInsights", "value": 1}),
        "value: expected a string, got an integer",
    )
    .await;
    h.rejects(
        "PutAccountSettingDefault",
        json!({"name": "containerInsights", "value": "yes"}),
        "The value \"yes\" is not valid for account setting containerInsights",
    )
    .await;
    h.rejects(
        "PutAccountSettingDefault",
        json!({"name": "serviceLongArn", "value": "enabled"}),
        "Invalid value \"serviceLongArn\" for parameter name",
    )
    .await;
    // The default a new cluster takes is still AWS's.
    let cluster = h.create_cluster("c").await;
    assert_eq!(cluster["settings"], json!([{"name": "containerInsights", "value": "disabled"}]));
}

#[tokio::test]
async fn delete_account_setting_refuses_unknown_names() {
    let h = Harness::new().await;
    h.call("PutAccountSetting", json!({"name": "containerInsights", "value": "enhanced"}))
        .await
        .ok();
    let before = effective(&h).await;
    h.rejects("DeleteAccountSetting", json!({}), "Missing required parameter: name.").await;
    h.rejects(
        "DeleteAccountSetting",
        json!({"name": "containerInsights", "principalArn": ["root"]}),
        "principalArn: expected a string, got a list",
    )
    .await;
    h.rejects(
        "DeleteAccountSetting",
        json!({"name": "insights"}),
        "Invalid value \"insights\" for parameter name",
    )
    .await;
    assert_eq!(effective(&h).await, before);
    // Deleting a setting that was never set answers the effective value and writes nothing.
    let revision = h.revision();
    let deleted = h.call("DeleteAccountSetting", json!({"name": "awsvpcTrunking"})).await.ok();
    assert_eq!(
        deleted["setting"],
        json!({"name": "awsvpcTrunking", "value": "disabled", "principalArn": ROOT, "type": "user"})
    );
    assert_eq!(h.revision(), revision);
}

#[tokio::test]
async fn list_account_settings_checks_page_size_and_token() {
    let h = Harness::new().await;
    for bad in [0, 11, -5] {
        h.rejects(
            "ListAccountSettings",
            json!({"maxResults": bad}),
            &format!("maxResults must be between 1 and 10; got {bad}."),
        )
        .await;
    }
    h.rejects("ListAccountSettings", json!({"nextToken": "%%%"}), "The nextToken is invalid.")
        .await;
    h.rejects(
        "ListAccountSettings",
        json!({"effectiveSettings": "true"}),
        "effectiveSettings: expected a boolean",
    )
    .await;
    h.rejects(
        "ListAccountSettings",
        json!({"name": "everything"}),
        "Invalid value \"everything\" for parameter name",
    )
    .await;
    let page = h
        .call("ListAccountSettings", json!({"effectiveSettings": true, "maxResults": 1}))
        .await
        .ok();
    let token = page["nextToken"].as_str().expect("a second page");
    h.rejects("ListClusters", json!({"nextToken": token}), "The nextToken is invalid.").await;
}
