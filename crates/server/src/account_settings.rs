//! Account settings: ListAccountSettings, PutAccountSetting, PutAccountSettingDefault and
//! DeleteAccountSetting.
//!
//! A setting's effective value for a principal is, in order: the principal's own setting, the
//! account default set by PutAccountSettingDefault, and AWS's default (type `aws_managed`).

use api::{
    ApiError, DeleteAccountSettingRequest, DeleteAccountSettingResponse,
    ListAccountSettingsRequest, ListAccountSettingsResponse, PutAccountSettingDefaultRequest,
    PutAccountSettingDefaultResponse, PutAccountSettingRequest, PutAccountSettingResponse, Setting,
    SettingName, SettingType,
};
use store::{Op, Txn};

use crate::caller::Call;
use crate::records::{self, encode, internal, keys};
use crate::{Ctx, paging};

/// AWS's default value of each setting and the values it accepts.
fn rules(name: SettingName) -> (&'static str, &'static [&'static str]) {
    const ON_OFF: &[&str] = &["enabled", "disabled"];
    match name {
        SettingName::ServiceLongArnFormat
        | SettingName::TaskLongArnFormat
        | SettingName::ContainerInstanceLongArnFormat => ("enabled", ON_OFF),
        SettingName::AwsvpcTrunking => ("disabled", ON_OFF),
        SettingName::ContainerInsights => ("disabled", &["enabled", "disabled", "enhanced"]),
        SettingName::FargateFIPSMode => ("disabled", ON_OFF),
        SettingName::TagResourceAuthorization => ("on", &["on", "off"]),
        SettingName::FargateTaskRetirementWaitPeriod => ("7", &["0", "7", "14"]),
        SettingName::GuardDutyActivate => ("off", &["on", "off"]),
        SettingName::DefaultLogDriverMode => ("non-blocking", &["blocking", "non-blocking"]),
        SettingName::FargateEventWindows => ("disabled", ON_OFF),
    }
}

fn check_value(name: SettingName, value: &str) -> Result<(), ApiError> {
    let (_, allowed) = rules(name);
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "The value {value:?} is not valid for account setting {name}; valid values are {}.",
            allowed.join(", ")
        )))
    }
}

fn check_principal(ctx: &Ctx, principal: &str) -> Result<(), ApiError> {
    let prefix = format!("arn:aws:iam::{}:", ctx.config().account_id);
    let rest = principal.strip_prefix(&prefix).unwrap_or("");
    if rest == "root" || rest.starts_with("user/") || rest.starts_with("role/") {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "principalArn must be the ARN of the account's root user, an IAM user or an IAM role; got {principal:?}."
        )))
    }
}

fn principal(call: &Call<'_>, given: Option<&str>) -> Result<String, ApiError> {
    match given {
        Some(arn) => {
            check_principal(call.ctx, arn)?;
            Ok(arn.to_owned())
        }
        None => Ok(call.principal_arn()),
    }
}

/// The account-wide value of a setting: the account default if one was set, else AWS's.
pub(crate) async fn default_value(ctx: &Ctx, name: &str) -> Result<String, ApiError> {
    let parsed = SettingName::parse(name).expect("callers pass a known setting name");
    let stored = records::get::<Setting>(ctx.store(), &keys::account_setting_default(name)).await?;
    Ok(stored.and_then(|s| s.value.value).unwrap_or_else(|| rules(parsed).0.to_owned()))
}

pub(crate) async fn put_account_setting(
    call: &Call<'_>,
    req: PutAccountSettingRequest,
) -> Result<PutAccountSettingResponse, ApiError> {
    let ctx: &Ctx = call.ctx;
    check_value(req.name, &req.value)?;
    let principal = principal(call, req.principal_arn.as_deref())?;
    let setting = Setting {
        name: Some(req.name),
        value: Some(req.value),
        principal_arn: Some(principal.clone()),
        r#type: Some(SettingType::User),
    };
    let key = keys::account_setting(&principal, req.name.as_str());
    ctx.store().txn(Txn::new().then(Op::put(key, encode(&setting)))).await.map_err(internal)?;
    Ok(PutAccountSettingResponse { setting: Some(setting) })
}

pub(crate) async fn put_account_setting_default(
    ctx: &Ctx,
    req: PutAccountSettingDefaultRequest,
) -> Result<PutAccountSettingDefaultResponse, ApiError> {
    check_value(req.name, &req.value)?;
    let setting = Setting {
        name: Some(req.name),
        value: Some(req.value),
        principal_arn: Some(ctx.account_root_arn()),
        r#type: Some(SettingType::User),
    };
    let key = keys::account_setting_default(req.name.as_str());
    ctx.store().txn(Txn::new().then(Op::put(key, encode(&setting)))).await.map_err(internal)?;
    Ok(PutAccountSettingDefaultResponse { setting: Some(setting) })
}

pub(crate) async fn delete_account_setting(
    call: &Call<'_>,
    req: DeleteAccountSettingRequest,
) -> Result<DeleteAccountSettingResponse, ApiError> {
    let ctx: &Ctx = call.ctx;
    let principal = principal(call, req.principal_arn.as_deref())?;
    let key = keys::account_setting(&principal, req.name.as_str());
    let existing = records::get::<Setting>(ctx.store(), &key).await?;
    let value = match existing {
        Some(existing) => {
            ctx.store().txn(Txn::new().then(Op::delete(&key))).await.map_err(internal)?;
            existing.value.value
        }
        None => Some(default_value(ctx, req.name.as_str()).await?),
    };
    Ok(DeleteAccountSettingResponse {
        setting: Some(Setting {
            name: Some(req.name),
            value,
            principal_arn: Some(principal),
            r#type: Some(SettingType::User),
        }),
    })
}

pub(crate) async fn list_account_settings(
    call: &Call<'_>,
    req: ListAccountSettingsRequest,
) -> Result<ListAccountSettingsResponse, ApiError> {
    let ctx: &Ctx = call.ctx;
    let size = match req.max_results {
        None => 10,
        Some(n) if (1..=10).contains(&n) => n as usize,
        Some(n) => {
            return Err(ApiError::invalid_parameter(format!(
                "maxResults must be between 1 and 10; got {n}."
            )));
        }
    };
    let after = paging::resume_after("ListAccountSettings", req.next_token.as_deref())?;
    let principal = principal(call, req.principal_arn.as_deref())?;
    let store = ctx.store();
    let own: Vec<Setting> = records::list::<Setting>(store, &keys::account_settings_of(&principal))
        .await?
        .into_iter()
        .map(|s| s.value)
        .collect();
    let mut settings = Vec::new();
    for &name in SettingName::ALL {
        if let Some(setting) = own.iter().find(|s| s.name == Some(name)) {
            settings.push(setting.clone());
        } else if req.effective_settings == Some(true) {
            let stored =
                records::get::<Setting>(store, &keys::account_setting_default(name.as_str()))
                    .await?;
            settings.push(match stored {
                Some(default) => {
                    Setting { principal_arn: Some(principal.clone()), ..default.value }
                }
                None => Setting {
                    name: Some(name),
                    value: Some(rules(name).0.to_owned()),
                    principal_arn: Some(principal.clone()),
                    r#type: Some(SettingType::AwsManaged),
                },
            });
        }
    }
    settings.retain(|s| {
        req.name.is_none_or(|n| s.name == Some(n))
            && req.value.as_ref().is_none_or(|v| s.value.as_ref() == Some(v))
    });
    let key = |s: &Setting| s.name.map(|n| n.as_str().to_owned()).unwrap_or_default();
    settings.sort_by_key(key);
    let (page, next_token) =
        paging::page(settings, key, "ListAccountSettings", after.as_deref(), size, true);
    Ok(ListAccountSettingsResponse { settings: Some(page), next_token })
}
