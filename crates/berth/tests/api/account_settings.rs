//! Account settings: per-principal settings, account defaults and effective values.

use aws_sdk_ecs::types::{SettingName, SettingType};

use crate::common::{Server, code};

#[tokio::test]
async fn settings_defaults_and_effective_values() {
    let server = Server::start();
    let ecs = server.ecs();

    let own = ecs.list_account_settings().send().await.unwrap();
    assert!(own.settings().is_empty(), "nothing set yet");
    let effective = ecs
        .list_account_settings()
        .effective_settings(true)
        .name(SettingName::ContainerInsights)
        .send()
        .await
        .unwrap();
    assert_eq!(effective.settings()[0].value(), Some("disabled"));
    assert_eq!(effective.settings()[0].r#type(), Some(&SettingType::AwsManaged));

    ecs.put_account_setting_default()
        .name(SettingName::ContainerInsights)
        .value("enabled")
        .send()
        .await
        .unwrap();
    let effective = ecs
        .list_account_settings()
        .effective_settings(true)
        .name(SettingName::ContainerInsights)
        .send()
        .await
        .unwrap();
    assert_eq!(effective.settings()[0].value(), Some("enabled"));
    // New clusters take the account default.
    let cluster = ecs.create_cluster().cluster_name("insightful").send().await.unwrap();
    assert_eq!(cluster.cluster().unwrap().settings()[0].value(), Some("enabled"));

    let user = "arn:aws:iam::000000000000:user/alice";
    let put = ecs
        .put_account_setting()
        .name(SettingName::ContainerInsights)
        .value("disabled")
        .principal_arn(user)
        .send()
        .await
        .unwrap();
    assert_eq!(put.setting().unwrap().principal_arn(), Some(user));
    let alice = ecs.list_account_settings().principal_arn(user).send().await.unwrap();
    assert_eq!(alice.settings().len(), 1);
    assert_eq!(alice.settings()[0].value(), Some("disabled"));
    let filtered =
        ecs.list_account_settings().principal_arn(user).value("enabled").send().await.unwrap();
    assert!(filtered.settings().is_empty());

    let all = ecs
        .list_account_settings()
        .effective_settings(true)
        .principal_arn(user)
        .max_results(4)
        .send()
        .await
        .unwrap();
    assert_eq!(all.settings().len(), 4);
    let rest = ecs
        .list_account_settings()
        .effective_settings(true)
        .principal_arn(user)
        .max_results(10)
        .next_token(all.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(all.settings().len() + rest.settings().len(), SettingName::values().len());

    ecs.delete_account_setting()
        .name(SettingName::ContainerInsights)
        .principal_arn(user)
        .send()
        .await
        .unwrap();
    let alice = ecs.list_account_settings().principal_arn(user).send().await.unwrap();
    assert!(alice.settings().is_empty());

    let err = ecs
        .put_account_setting()
        .name(SettingName::ContainerInsights)
        .value("maybe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs
        .put_account_setting()
        .name(SettingName::AwsvpcTrunking)
        .value("enabled")
        .principal_arn("arn:aws:iam::999999999999:user/bob")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs.list_account_settings().max_results(11).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}
