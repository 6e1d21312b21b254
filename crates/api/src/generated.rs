//! ECS wire shapes, generated from the botocore ECS model by `tools/gen-ecs-api.py`
//! (botocore 1.43.11).
//!
//! Do not edit by hand: change the generator and run it again. Every structure member is
//! optional except those the model marks required; timestamps are epoch seconds (`f64`).

#![allow(clippy::all, missing_docs, unreachable_pub)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AcceleratorCountRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AcceleratorManufacturer {
    #[serde(rename = "amazon-web-services")]
    AmazonWebServices,
    #[serde(rename = "amd")]
    Amd,
    #[serde(rename = "nvidia")]
    Nvidia,
    #[serde(rename = "xilinx")]
    Xilinx,
    #[serde(rename = "habana")]
    Habana,
}

impl AcceleratorManufacturer {
    pub const ALL: &'static [AcceleratorManufacturer] =
        &[Self::AmazonWebServices, Self::Amd, Self::Nvidia, Self::Xilinx, Self::Habana];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::AmazonWebServices => "amazon-web-services",
            Self::Amd => "amd",
            Self::Nvidia => "nvidia",
            Self::Xilinx => "xilinx",
            Self::Habana => "habana",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "amazon-web-services" => Some(Self::AmazonWebServices),
            "amd" => Some(Self::Amd),
            "nvidia" => Some(Self::Nvidia),
            "xilinx" => Some(Self::Xilinx),
            "habana" => Some(Self::Habana),
            _ => None,
        }
    }
}

impl std::fmt::Display for AcceleratorManufacturer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AcceleratorName {
    #[serde(rename = "a100")]
    A100,
    #[serde(rename = "inferentia")]
    Inferentia,
    #[serde(rename = "k520")]
    K520,
    #[serde(rename = "k80")]
    K80,
    #[serde(rename = "m60")]
    M60,
    #[serde(rename = "radeon-pro-v520")]
    RadeonProV520,
    #[serde(rename = "t4")]
    T4,
    #[serde(rename = "vu9p")]
    Vu9p,
    #[serde(rename = "v100")]
    V100,
    #[serde(rename = "a10g")]
    A10g,
    #[serde(rename = "h100")]
    H100,
    #[serde(rename = "t4g")]
    T4g,
}

impl AcceleratorName {
    pub const ALL: &'static [AcceleratorName] = &[
        Self::A100,
        Self::Inferentia,
        Self::K520,
        Self::K80,
        Self::M60,
        Self::RadeonProV520,
        Self::T4,
        Self::Vu9p,
        Self::V100,
        Self::A10g,
        Self::H100,
        Self::T4g,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::A100 => "a100",
            Self::Inferentia => "inferentia",
            Self::K520 => "k520",
            Self::K80 => "k80",
            Self::M60 => "m60",
            Self::RadeonProV520 => "radeon-pro-v520",
            Self::T4 => "t4",
            Self::Vu9p => "vu9p",
            Self::V100 => "v100",
            Self::A10g => "a10g",
            Self::H100 => "h100",
            Self::T4g => "t4g",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "a100" => Some(Self::A100),
            "inferentia" => Some(Self::Inferentia),
            "k520" => Some(Self::K520),
            "k80" => Some(Self::K80),
            "m60" => Some(Self::M60),
            "radeon-pro-v520" => Some(Self::RadeonProV520),
            "t4" => Some(Self::T4),
            "vu9p" => Some(Self::Vu9p),
            "v100" => Some(Self::V100),
            "a10g" => Some(Self::A10g),
            "h100" => Some(Self::H100),
            "t4g" => Some(Self::T4g),
            _ => None,
        }
    }
}

impl std::fmt::Display for AcceleratorName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AcceleratorTotalMemoryMiBRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AcceleratorType {
    #[serde(rename = "gpu")]
    Gpu,
    #[serde(rename = "fpga")]
    Fpga,
    #[serde(rename = "inference")]
    Inference,
}

impl AcceleratorType {
    pub const ALL: &'static [AcceleratorType] = &[Self::Gpu, Self::Fpga, Self::Inference];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Gpu => "gpu",
            Self::Fpga => "fpga",
            Self::Inference => "inference",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "gpu" => Some(Self::Gpu),
            "fpga" => Some(Self::Fpga),
            "inference" => Some(Self::Inference),
            _ => None,
        }
    }
}

impl std::fmt::Display for AcceleratorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccessType {
    #[serde(rename = "PUBLIC")]
    Public,
    #[serde(rename = "PRIVATE")]
    Private,
}

impl AccessType {
    pub const ALL: &'static [AccessType] = &[Self::Public, Self::Private];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Public => "PUBLIC",
            Self::Private => "PRIVATE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PUBLIC" => Some(Self::Public),
            "PRIVATE" => Some(Self::Private),
            _ => None,
        }
    }
}

impl std::fmt::Display for AccessType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AdvancedConfiguration {
    #[serde(rename = "alternateTargetGroupArn", default, skip_serializing_if = "Option::is_none")]
    pub alternate_target_group_arn: Option<String>,
    #[serde(rename = "productionListenerRule", default, skip_serializing_if = "Option::is_none")]
    pub production_listener_rule: Option<String>,
    #[serde(rename = "testListenerRule", default, skip_serializing_if = "Option::is_none")]
    pub test_listener_rule: Option<String>,
    #[serde(rename = "roleArn", default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgentUpdateStatus {
    #[serde(rename = "PENDING")]
    Pending,
    #[serde(rename = "STAGING")]
    Staging,
    #[serde(rename = "STAGED")]
    Staged,
    #[serde(rename = "UPDATING")]
    Updating,
    #[serde(rename = "UPDATED")]
    Updated,
    #[serde(rename = "FAILED")]
    Failed,
}

impl AgentUpdateStatus {
    pub const ALL: &'static [AgentUpdateStatus] =
        &[Self::Pending, Self::Staging, Self::Staged, Self::Updating, Self::Updated, Self::Failed];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Staging => "STAGING",
            Self::Staged => "STAGED",
            Self::Updating => "UPDATING",
            Self::Updated => "UPDATED",
            Self::Failed => "FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PENDING" => Some(Self::Pending),
            "STAGING" => Some(Self::Staging),
            "STAGED" => Some(Self::Staged),
            "UPDATING" => Some(Self::Updating),
            "UPDATED" => Some(Self::Updated),
            "FAILED" => Some(Self::Failed),
            _ => None,
        }
    }
}

impl std::fmt::Display for AgentUpdateStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ApplicationProtocol {
    #[serde(rename = "http")]
    Http,
    #[serde(rename = "http2")]
    Http2,
    #[serde(rename = "grpc")]
    Grpc,
}

impl ApplicationProtocol {
    pub const ALL: &'static [ApplicationProtocol] = &[Self::Http, Self::Http2, Self::Grpc];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Http2 => "http2",
            Self::Grpc => "grpc",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "http" => Some(Self::Http),
            "http2" => Some(Self::Http2),
            "grpc" => Some(Self::Grpc),
            _ => None,
        }
    }
}

impl std::fmt::Display for ApplicationProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssignPublicIp {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl AssignPublicIp {
    pub const ALL: &'static [AssignPublicIp] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for AssignPublicIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Attachment {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "details", default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<KeyValuePair>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentStateChange {
    #[serde(rename = "attachmentArn")]
    pub attachment_arn: String,
    #[serde(rename = "status")]
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "targetType", default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    #[serde(rename = "targetId", default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AutoRepairActionsStatus {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl AutoRepairActionsStatus {
    pub const ALL: &'static [AutoRepairActionsStatus] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for AutoRepairActionsStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AutoRepairConfiguration {
    #[serde(rename = "actionsStatus", default, skip_serializing_if = "Option::is_none")]
    pub actions_status: Option<AutoRepairActionsStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoScalingGroupProvider {
    #[serde(rename = "autoScalingGroupArn")]
    pub auto_scaling_group_arn: String,
    #[serde(rename = "managedScaling", default, skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    #[serde(
        rename = "managedTerminationProtection",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_termination_protection: Option<ManagedTerminationProtection>,
    #[serde(rename = "managedDraining", default, skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<ManagedDraining>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AutoScalingGroupProviderUpdate {
    #[serde(rename = "managedScaling", default, skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    #[serde(
        rename = "managedTerminationProtection",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_termination_protection: Option<ManagedTerminationProtection>,
    #[serde(rename = "managedDraining", default, skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<ManagedDraining>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AvailabilityZoneRebalancing {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl AvailabilityZoneRebalancing {
    pub const ALL: &'static [AvailabilityZoneRebalancing] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for AvailabilityZoneRebalancing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwsVpcConfiguration {
    #[serde(rename = "subnets")]
    pub subnets: Vec<String>,
    #[serde(rename = "securityGroups", default, skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    #[serde(rename = "assignPublicIp", default, skip_serializing_if = "Option::is_none")]
    pub assign_public_ip: Option<AssignPublicIp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BareMetal {
    #[serde(rename = "included")]
    Included,
    #[serde(rename = "required")]
    Required,
    #[serde(rename = "excluded")]
    Excluded,
}

impl BareMetal {
    pub const ALL: &'static [BareMetal] = &[Self::Included, Self::Required, Self::Excluded];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Included => "included",
            Self::Required => "required",
            Self::Excluded => "excluded",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "included" => Some(Self::Included),
            "required" => Some(Self::Required),
            "excluded" => Some(Self::Excluded),
            _ => None,
        }
    }
}

impl std::fmt::Display for BareMetal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BaselineEbsBandwidthMbpsRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BurstablePerformance {
    #[serde(rename = "included")]
    Included,
    #[serde(rename = "required")]
    Required,
    #[serde(rename = "excluded")]
    Excluded,
}

impl BurstablePerformance {
    pub const ALL: &'static [BurstablePerformance] =
        &[Self::Included, Self::Required, Self::Excluded];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Included => "included",
            Self::Required => "required",
            Self::Excluded => "excluded",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "included" => Some(Self::Included),
            "required" => Some(Self::Required),
            "excluded" => Some(Self::Excluded),
            _ => None,
        }
    }
}

impl std::fmt::Display for BurstablePerformance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CPUArchitecture {
    #[serde(rename = "X86_64")]
    X8664,
    #[serde(rename = "ARM64")]
    Arm64,
}

impl CPUArchitecture {
    pub const ALL: &'static [CPUArchitecture] = &[Self::X8664, Self::Arm64];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::X8664 => "X86_64",
            Self::Arm64 => "ARM64",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "X86_64" => Some(Self::X8664),
            "ARM64" => Some(Self::Arm64),
            _ => None,
        }
    }
}

impl std::fmt::Display for CPUArchitecture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CanaryConfiguration {
    #[serde(rename = "canaryPercent", default, skip_serializing_if = "Option::is_none")]
    pub canary_percent: Option<f64>,
    #[serde(rename = "canaryBakeTimeInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub canary_bake_time_in_minutes: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityOptionType {
    #[serde(rename = "ON_DEMAND")]
    OnDemand,
    #[serde(rename = "SPOT")]
    Spot,
    #[serde(rename = "RESERVED")]
    Reserved,
}

impl CapacityOptionType {
    pub const ALL: &'static [CapacityOptionType] = &[Self::OnDemand, Self::Spot, Self::Reserved];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::OnDemand => "ON_DEMAND",
            Self::Spot => "SPOT",
            Self::Reserved => "RESERVED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ON_DEMAND" => Some(Self::OnDemand),
            "SPOT" => Some(Self::Spot),
            "RESERVED" => Some(Self::Reserved),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityOptionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CapacityProvider {
    #[serde(rename = "capacityProviderArn", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_arn: Option<String>,
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CapacityProviderStatus>,
    #[serde(rename = "autoScalingGroupProvider", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    #[serde(rename = "managedInstancesProvider", default, skip_serializing_if = "Option::is_none")]
    pub managed_instances_provider: Option<ManagedInstancesProvider>,
    #[serde(rename = "updateStatus", default, skip_serializing_if = "Option::is_none")]
    pub update_status: Option<CapacityProviderUpdateStatus>,
    #[serde(rename = "updateStatusReason", default, skip_serializing_if = "Option::is_none")]
    pub update_status_reason: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CapacityProviderType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityProviderField {
    #[serde(rename = "TAGS")]
    Tags,
}

impl CapacityProviderField {
    pub const ALL: &'static [CapacityProviderField] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityProviderField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityProviderStatus {
    #[serde(rename = "PROVISIONING")]
    Provisioning,
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DEPROVISIONING")]
    Deprovisioning,
    #[serde(rename = "INACTIVE")]
    Inactive,
}

impl CapacityProviderStatus {
    pub const ALL: &'static [CapacityProviderStatus] =
        &[Self::Provisioning, Self::Active, Self::Deprovisioning, Self::Inactive];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Provisioning => "PROVISIONING",
            Self::Active => "ACTIVE",
            Self::Deprovisioning => "DEPROVISIONING",
            Self::Inactive => "INACTIVE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PROVISIONING" => Some(Self::Provisioning),
            "ACTIVE" => Some(Self::Active),
            "DEPROVISIONING" => Some(Self::Deprovisioning),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityProviderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityProviderStrategyItem {
    #[serde(rename = "capacityProvider")]
    pub capacity_provider: String,
    #[serde(rename = "weight", default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    #[serde(rename = "base", default, skip_serializing_if = "Option::is_none")]
    pub base: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityProviderType {
    #[serde(rename = "EC2_AUTOSCALING")]
    Ec2Autoscaling,
    #[serde(rename = "MANAGED_INSTANCES")]
    ManagedInstances,
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "FARGATE_SPOT")]
    FargateSpot,
}

impl CapacityProviderType {
    pub const ALL: &'static [CapacityProviderType] =
        &[Self::Ec2Autoscaling, Self::ManagedInstances, Self::Fargate, Self::FargateSpot];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ec2Autoscaling => "EC2_AUTOSCALING",
            Self::ManagedInstances => "MANAGED_INSTANCES",
            Self::Fargate => "FARGATE",
            Self::FargateSpot => "FARGATE_SPOT",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "EC2_AUTOSCALING" => Some(Self::Ec2Autoscaling),
            "MANAGED_INSTANCES" => Some(Self::ManagedInstances),
            "FARGATE" => Some(Self::Fargate),
            "FARGATE_SPOT" => Some(Self::FargateSpot),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityProviderType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityProviderUpdateStatus {
    #[serde(rename = "CREATE_IN_PROGRESS")]
    CreateInProgress,
    #[serde(rename = "CREATE_COMPLETE")]
    CreateComplete,
    #[serde(rename = "CREATE_FAILED")]
    CreateFailed,
    #[serde(rename = "DELETE_IN_PROGRESS")]
    DeleteInProgress,
    #[serde(rename = "DELETE_COMPLETE")]
    DeleteComplete,
    #[serde(rename = "DELETE_FAILED")]
    DeleteFailed,
    #[serde(rename = "UPDATE_IN_PROGRESS")]
    UpdateInProgress,
    #[serde(rename = "UPDATE_COMPLETE")]
    UpdateComplete,
    #[serde(rename = "UPDATE_FAILED")]
    UpdateFailed,
}

impl CapacityProviderUpdateStatus {
    pub const ALL: &'static [CapacityProviderUpdateStatus] = &[
        Self::CreateInProgress,
        Self::CreateComplete,
        Self::CreateFailed,
        Self::DeleteInProgress,
        Self::DeleteComplete,
        Self::DeleteFailed,
        Self::UpdateInProgress,
        Self::UpdateComplete,
        Self::UpdateFailed,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::CreateInProgress => "CREATE_IN_PROGRESS",
            Self::CreateComplete => "CREATE_COMPLETE",
            Self::CreateFailed => "CREATE_FAILED",
            Self::DeleteInProgress => "DELETE_IN_PROGRESS",
            Self::DeleteComplete => "DELETE_COMPLETE",
            Self::DeleteFailed => "DELETE_FAILED",
            Self::UpdateInProgress => "UPDATE_IN_PROGRESS",
            Self::UpdateComplete => "UPDATE_COMPLETE",
            Self::UpdateFailed => "UPDATE_FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CREATE_IN_PROGRESS" => Some(Self::CreateInProgress),
            "CREATE_COMPLETE" => Some(Self::CreateComplete),
            "CREATE_FAILED" => Some(Self::CreateFailed),
            "DELETE_IN_PROGRESS" => Some(Self::DeleteInProgress),
            "DELETE_COMPLETE" => Some(Self::DeleteComplete),
            "DELETE_FAILED" => Some(Self::DeleteFailed),
            "UPDATE_IN_PROGRESS" => Some(Self::UpdateInProgress),
            "UPDATE_COMPLETE" => Some(Self::UpdateComplete),
            "UPDATE_FAILED" => Some(Self::UpdateFailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityProviderUpdateStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapacityReservationPreference {
    #[serde(rename = "RESERVATIONS_ONLY")]
    ReservationsOnly,
    #[serde(rename = "RESERVATIONS_FIRST")]
    ReservationsFirst,
    #[serde(rename = "RESERVATIONS_EXCLUDED")]
    ReservationsExcluded,
}

impl CapacityReservationPreference {
    pub const ALL: &'static [CapacityReservationPreference] =
        &[Self::ReservationsOnly, Self::ReservationsFirst, Self::ReservationsExcluded];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReservationsOnly => "RESERVATIONS_ONLY",
            Self::ReservationsFirst => "RESERVATIONS_FIRST",
            Self::ReservationsExcluded => "RESERVATIONS_EXCLUDED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RESERVATIONS_ONLY" => Some(Self::ReservationsOnly),
            "RESERVATIONS_FIRST" => Some(Self::ReservationsFirst),
            "RESERVATIONS_EXCLUDED" => Some(Self::ReservationsExcluded),
            _ => None,
        }
    }
}

impl std::fmt::Display for CapacityReservationPreference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CapacityReservationRequest {
    #[serde(rename = "reservationGroupArn", default, skip_serializing_if = "Option::is_none")]
    pub reservation_group_arn: Option<String>,
    #[serde(rename = "reservationPreference", default, skip_serializing_if = "Option::is_none")]
    pub reservation_preference: Option<CapacityReservationPreference>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Cluster {
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "clusterName", default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(rename = "configuration", default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(
        rename = "registeredContainerInstancesCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub registered_container_instances_count: Option<i32>,
    #[serde(rename = "runningTasksCount", default, skip_serializing_if = "Option::is_none")]
    pub running_tasks_count: Option<i32>,
    #[serde(rename = "pendingTasksCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_tasks_count: Option<i32>,
    #[serde(rename = "activeServicesCount", default, skip_serializing_if = "Option::is_none")]
    pub active_services_count: Option<i32>,
    #[serde(rename = "statistics", default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Vec<KeyValuePair>>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "settings", default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(
        rename = "defaultCapacityProviderStrategy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "attachments", default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "attachmentsStatus", default, skip_serializing_if = "Option::is_none")]
    pub attachments_status: Option<String>,
    #[serde(rename = "serviceConnectDefaults", default, skip_serializing_if = "Option::is_none")]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaults>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ClusterConfiguration {
    #[serde(
        rename = "executeCommandConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub execute_command_configuration: Option<ExecuteCommandConfiguration>,
    #[serde(
        rename = "managedStorageConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_storage_configuration: Option<ManagedStorageConfiguration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClusterField {
    #[serde(rename = "ATTACHMENTS")]
    Attachments,
    #[serde(rename = "CONFIGURATIONS")]
    Configurations,
    #[serde(rename = "SETTINGS")]
    Settings,
    #[serde(rename = "STATISTICS")]
    Statistics,
    #[serde(rename = "TAGS")]
    Tags,
}

impl ClusterField {
    pub const ALL: &'static [ClusterField] =
        &[Self::Attachments, Self::Configurations, Self::Settings, Self::Statistics, Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Attachments => "ATTACHMENTS",
            Self::Configurations => "CONFIGURATIONS",
            Self::Settings => "SETTINGS",
            Self::Statistics => "STATISTICS",
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ATTACHMENTS" => Some(Self::Attachments),
            "CONFIGURATIONS" => Some(Self::Configurations),
            "SETTINGS" => Some(Self::Settings),
            "STATISTICS" => Some(Self::Statistics),
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for ClusterField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ClusterServiceConnectDefaults {
    #[serde(rename = "namespace", default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterServiceConnectDefaultsRequest {
    #[serde(rename = "namespace")]
    pub namespace: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ClusterSetting {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<ClusterSettingName>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClusterSettingName {
    #[serde(rename = "containerInsights")]
    ContainerInsights,
}

impl ClusterSettingName {
    pub const ALL: &'static [ClusterSettingName] = &[Self::ContainerInsights];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ContainerInsights => "containerInsights",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "containerInsights" => Some(Self::ContainerInsights),
            _ => None,
        }
    }
}

impl std::fmt::Display for ClusterSettingName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Compatibility {
    #[serde(rename = "EC2")]
    Ec2,
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "EXTERNAL")]
    External,
    #[serde(rename = "MANAGED_INSTANCES")]
    ManagedInstances,
}

impl Compatibility {
    pub const ALL: &'static [Compatibility] =
        &[Self::Ec2, Self::Fargate, Self::External, Self::ManagedInstances];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ec2 => "EC2",
            Self::Fargate => "FARGATE",
            Self::External => "EXTERNAL",
            Self::ManagedInstances => "MANAGED_INSTANCES",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "EC2" => Some(Self::Ec2),
            "FARGATE" => Some(Self::Fargate),
            "EXTERNAL" => Some(Self::External),
            "MANAGED_INSTANCES" => Some(Self::ManagedInstances),
            _ => None,
        }
    }
}

impl std::fmt::Display for Compatibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Connectivity {
    #[serde(rename = "CONNECTED")]
    Connected,
    #[serde(rename = "DISCONNECTED")]
    Disconnected,
}

impl Connectivity {
    pub const ALL: &'static [Connectivity] = &[Self::Connected, Self::Disconnected];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Connected => "CONNECTED",
            Self::Disconnected => "DISCONNECTED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CONNECTED" => Some(Self::Connected),
            "DISCONNECTED" => Some(Self::Disconnected),
            _ => None,
        }
    }
}

impl std::fmt::Display for Connectivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Container {
    #[serde(rename = "containerArn", default, skip_serializing_if = "Option::is_none")]
    pub container_arn: Option<String>,
    #[serde(rename = "taskArn", default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "image", default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(rename = "imageDigest", default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "runtimeId", default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "lastStatus", default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(rename = "exitCode", default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "networkBindings", default, skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
    #[serde(rename = "networkInterfaces", default, skip_serializing_if = "Option::is_none")]
    pub network_interfaces: Option<Vec<NetworkInterface>>,
    #[serde(rename = "healthStatus", default, skip_serializing_if = "Option::is_none")]
    pub health_status: Option<HealthStatus>,
    #[serde(rename = "managedAgents", default, skip_serializing_if = "Option::is_none")]
    pub managed_agents: Option<Vec<ManagedAgent>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "memoryReservation", default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<String>,
    #[serde(rename = "gpuIds", default, skip_serializing_if = "Option::is_none")]
    pub gpu_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContainerCondition {
    #[serde(rename = "START")]
    Start,
    #[serde(rename = "COMPLETE")]
    Complete,
    #[serde(rename = "SUCCESS")]
    Success,
    #[serde(rename = "HEALTHY")]
    Healthy,
}

impl ContainerCondition {
    pub const ALL: &'static [ContainerCondition] =
        &[Self::Start, Self::Complete, Self::Success, Self::Healthy];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Complete => "COMPLETE",
            Self::Success => "SUCCESS",
            Self::Healthy => "HEALTHY",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "START" => Some(Self::Start),
            "COMPLETE" => Some(Self::Complete),
            "SUCCESS" => Some(Self::Success),
            "HEALTHY" => Some(Self::Healthy),
            _ => None,
        }
    }
}

impl std::fmt::Display for ContainerCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerDefinition {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "image", default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(rename = "repositoryCredentials", default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<RepositoryCredentials>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    #[serde(rename = "memoryReservation", default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(rename = "links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<String>>,
    #[serde(rename = "portMappings", default, skip_serializing_if = "Option::is_none")]
    pub port_mappings: Option<Vec<PortMapping>>,
    #[serde(rename = "essential", default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(rename = "restartPolicy", default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<ContainerRestartPolicy>,
    #[serde(rename = "entryPoint", default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    #[serde(rename = "command", default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "environment", default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "environmentFiles", default, skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<EnvironmentFile>>,
    #[serde(rename = "mountPoints", default, skip_serializing_if = "Option::is_none")]
    pub mount_points: Option<Vec<MountPoint>>,
    #[serde(rename = "volumesFrom", default, skip_serializing_if = "Option::is_none")]
    pub volumes_from: Option<Vec<VolumeFrom>>,
    #[serde(rename = "linuxParameters", default, skip_serializing_if = "Option::is_none")]
    pub linux_parameters: Option<LinuxParameters>,
    #[serde(rename = "secrets", default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
    #[serde(rename = "dependsOn", default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<ContainerDependency>>,
    #[serde(rename = "startTimeout", default, skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<i32>,
    #[serde(rename = "stopTimeout", default, skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i32>,
    #[serde(rename = "versionConsistency", default, skip_serializing_if = "Option::is_none")]
    pub version_consistency: Option<VersionConsistency>,
    #[serde(rename = "hostname", default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(rename = "user", default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(rename = "workingDirectory", default, skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    #[serde(rename = "disableNetworking", default, skip_serializing_if = "Option::is_none")]
    pub disable_networking: Option<bool>,
    #[serde(rename = "privileged", default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    #[serde(rename = "readonlyRootFilesystem", default, skip_serializing_if = "Option::is_none")]
    pub readonly_root_filesystem: Option<bool>,
    #[serde(rename = "dnsServers", default, skip_serializing_if = "Option::is_none")]
    pub dns_servers: Option<Vec<String>>,
    #[serde(rename = "dnsSearchDomains", default, skip_serializing_if = "Option::is_none")]
    pub dns_search_domains: Option<Vec<String>>,
    #[serde(rename = "extraHosts", default, skip_serializing_if = "Option::is_none")]
    pub extra_hosts: Option<Vec<HostEntry>>,
    #[serde(rename = "dockerSecurityOptions", default, skip_serializing_if = "Option::is_none")]
    pub docker_security_options: Option<Vec<String>>,
    #[serde(rename = "interactive", default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "pseudoTerminal", default, skip_serializing_if = "Option::is_none")]
    pub pseudo_terminal: Option<bool>,
    #[serde(rename = "dockerLabels", default, skip_serializing_if = "Option::is_none")]
    pub docker_labels: Option<BTreeMap<String, String>>,
    #[serde(rename = "ulimits", default, skip_serializing_if = "Option::is_none")]
    pub ulimits: Option<Vec<Ulimit>>,
    #[serde(rename = "logConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(rename = "healthCheck", default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(rename = "systemControls", default, skip_serializing_if = "Option::is_none")]
    pub system_controls: Option<Vec<SystemControl>>,
    #[serde(rename = "resourceRequirements", default, skip_serializing_if = "Option::is_none")]
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
    #[serde(rename = "firelensConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub firelens_configuration: Option<FirelensConfiguration>,
    #[serde(rename = "credentialSpecs", default, skip_serializing_if = "Option::is_none")]
    pub credential_specs: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerDependency {
    #[serde(rename = "containerName")]
    pub container_name: String,
    #[serde(rename = "condition")]
    pub condition: ContainerCondition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerImage {
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "imageDigest", default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "image", default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerInstance {
    #[serde(rename = "containerInstanceArn", default, skip_serializing_if = "Option::is_none")]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "ec2InstanceId", default, skip_serializing_if = "Option::is_none")]
    pub ec2_instance_id: Option<String>,
    #[serde(rename = "capacityProviderName", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_name: Option<String>,
    #[serde(rename = "version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(rename = "versionInfo", default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    #[serde(rename = "remainingResources", default, skip_serializing_if = "Option::is_none")]
    pub remaining_resources: Option<Vec<Resource>>,
    #[serde(rename = "registeredResources", default, skip_serializing_if = "Option::is_none")]
    pub registered_resources: Option<Vec<Resource>>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "agentConnected", default, skip_serializing_if = "Option::is_none")]
    pub agent_connected: Option<bool>,
    #[serde(rename = "runningTasksCount", default, skip_serializing_if = "Option::is_none")]
    pub running_tasks_count: Option<i32>,
    #[serde(rename = "pendingTasksCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_tasks_count: Option<i32>,
    #[serde(rename = "agentUpdateStatus", default, skip_serializing_if = "Option::is_none")]
    pub agent_update_status: Option<AgentUpdateStatus>,
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "registeredAt", default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "attachments", default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "healthStatus", default, skip_serializing_if = "Option::is_none")]
    pub health_status: Option<ContainerInstanceHealthStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContainerInstanceField {
    #[serde(rename = "TAGS")]
    Tags,
    #[serde(rename = "CONTAINER_INSTANCE_HEALTH")]
    ContainerInstanceHealth,
}

impl ContainerInstanceField {
    pub const ALL: &'static [ContainerInstanceField] = &[Self::Tags, Self::ContainerInstanceHealth];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
            Self::ContainerInstanceHealth => "CONTAINER_INSTANCE_HEALTH",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            "CONTAINER_INSTANCE_HEALTH" => Some(Self::ContainerInstanceHealth),
            _ => None,
        }
    }
}

impl std::fmt::Display for ContainerInstanceField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerInstanceHealthStatus {
    #[serde(rename = "overallStatus", default, skip_serializing_if = "Option::is_none")]
    pub overall_status: Option<InstanceHealthCheckState>,
    #[serde(rename = "details", default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<InstanceHealthCheckResult>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContainerInstanceStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DRAINING")]
    Draining,
    #[serde(rename = "REGISTERING")]
    Registering,
    #[serde(rename = "DEREGISTERING")]
    Deregistering,
    #[serde(rename = "REGISTRATION_FAILED")]
    RegistrationFailed,
}

impl ContainerInstanceStatus {
    pub const ALL: &'static [ContainerInstanceStatus] = &[
        Self::Active,
        Self::Draining,
        Self::Registering,
        Self::Deregistering,
        Self::RegistrationFailed,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Draining => "DRAINING",
            Self::Registering => "REGISTERING",
            Self::Deregistering => "DEREGISTERING",
            Self::RegistrationFailed => "REGISTRATION_FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "DRAINING" => Some(Self::Draining),
            "REGISTERING" => Some(Self::Registering),
            "DEREGISTERING" => Some(Self::Deregistering),
            "REGISTRATION_FAILED" => Some(Self::RegistrationFailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for ContainerInstanceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerOverride {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "command", default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "environment", default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "environmentFiles", default, skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<EnvironmentFile>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    #[serde(rename = "memoryReservation", default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(rename = "resourceRequirements", default, skip_serializing_if = "Option::is_none")]
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerRestartPolicy {
    #[serde(rename = "enabled")]
    pub enabled: bool,
    #[serde(rename = "ignoredExitCodes", default, skip_serializing_if = "Option::is_none")]
    pub ignored_exit_codes: Option<Vec<i32>>,
    #[serde(rename = "restartAttemptPeriod", default, skip_serializing_if = "Option::is_none")]
    pub restart_attempt_period: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerStateChange {
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "imageDigest", default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "runtimeId", default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "exitCode", default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "networkBindings", default, skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContinueServiceDeploymentRequest {
    #[serde(rename = "serviceDeploymentArn")]
    pub service_deployment_arn: String,
    #[serde(rename = "hookId")]
    pub hook_id: String,
    #[serde(rename = "action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<DeploymentLifecycleHookAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContinueServiceDeploymentResponse {
    #[serde(rename = "serviceDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub service_deployment_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CpuManufacturer {
    #[serde(rename = "intel")]
    Intel,
    #[serde(rename = "amd")]
    Amd,
    #[serde(rename = "amazon-web-services")]
    AmazonWebServices,
}

impl CpuManufacturer {
    pub const ALL: &'static [CpuManufacturer] = &[Self::Intel, Self::Amd, Self::AmazonWebServices];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Intel => "intel",
            Self::Amd => "amd",
            Self::AmazonWebServices => "amazon-web-services",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "intel" => Some(Self::Intel),
            "amd" => Some(Self::Amd),
            "amazon-web-services" => Some(Self::AmazonWebServices),
            _ => None,
        }
    }
}

impl std::fmt::Display for CpuManufacturer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCapacityProviderRequest {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "autoScalingGroupProvider", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    #[serde(rename = "managedInstancesProvider", default, skip_serializing_if = "Option::is_none")]
    pub managed_instances_provider: Option<CreateManagedInstancesProviderConfiguration>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateCapacityProviderResponse {
    #[serde(rename = "capacityProvider", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateClusterRequest {
    #[serde(rename = "clusterName", default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "settings", default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "configuration", default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(
        rename = "defaultCapacityProviderStrategy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "serviceConnectDefaults", default, skip_serializing_if = "Option::is_none")]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaultsRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateClusterResponse {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateDaemonRequest {
    #[serde(rename = "daemonName")]
    pub daemon_name: String,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "daemonTaskDefinitionArn")]
    pub daemon_task_definition_arn: String,
    #[serde(rename = "capacityProviderArns")]
    pub capacity_provider_arns: Vec<String>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DaemonDeploymentConfiguration>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<DaemonPropagateTags>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "clientToken", default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateDaemonResponse {
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonStatus>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "deploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub deployment_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateExpressGatewayServiceRequest {
    #[serde(rename = "executionRoleArn")]
    pub execution_role_arn: String,
    #[serde(rename = "infrastructureRoleArn")]
    pub infrastructure_role_arn: String,
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "healthCheckPath", default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(rename = "primaryContainer")]
    pub primary_container: ExpressGatewayContainer,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<ExpressGatewayServiceNetworkConfiguration>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "scalingTarget", default, skip_serializing_if = "Option::is_none")]
    pub scaling_target: Option<ExpressGatewayScalingTarget>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateExpressGatewayServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ECSExpressGatewayService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateManagedInstancesProviderConfiguration {
    #[serde(rename = "infrastructureRoleArn")]
    pub infrastructure_role_arn: String,
    #[serde(rename = "instanceLaunchTemplate")]
    pub instance_launch_template: InstanceLaunchTemplate,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateMITags>,
    #[serde(
        rename = "infrastructureOptimization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(rename = "autoRepairConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateServiceRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "serviceName")]
    pub service_name: String,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<AvailabilityZoneRebalancing>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "desiredCount", default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "clientToken", default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", default, skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(rename = "schedulingStrategy", default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(rename = "deploymentController", default, skip_serializing_if = "Option::is_none")]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(
        rename = "serviceConnectConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(rename = "vpcLatticeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateTaskSetRequest {
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "externalId", default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "taskDefinition")]
    pub task_definition: String,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "scale", default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(rename = "clientToken", default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateTaskSetResponse {
    #[serde(rename = "taskSet", default, skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreatedAt {
    #[serde(rename = "before", default, skip_serializing_if = "Option::is_none")]
    pub before: Option<f64>,
    #[serde(rename = "after", default, skip_serializing_if = "Option::is_none")]
    pub after: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonAlarmConfiguration {
    #[serde(rename = "alarmNames", default, skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(rename = "enable", default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonCapacityProvider {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "runningCount", default, skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonCircuitBreaker {
    #[serde(rename = "failureCount", default, skip_serializing_if = "Option::is_none")]
    pub failure_count: Option<i32>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonDeploymentRollbackMonitorsStatus>,
    #[serde(rename = "threshold", default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaemonContainerDefinition {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "image")]
    pub image: String,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    #[serde(rename = "memoryReservation", default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(rename = "repositoryCredentials", default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<RepositoryCredentials>,
    #[serde(rename = "healthCheck", default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    #[serde(rename = "essential", default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(rename = "entryPoint", default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    #[serde(rename = "command", default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "workingDirectory", default, skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    #[serde(rename = "environmentFiles", default, skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<EnvironmentFile>>,
    #[serde(rename = "environment", default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "secrets", default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
    #[serde(rename = "readonlyRootFilesystem", default, skip_serializing_if = "Option::is_none")]
    pub readonly_root_filesystem: Option<bool>,
    #[serde(rename = "mountPoints", default, skip_serializing_if = "Option::is_none")]
    pub mount_points: Option<Vec<MountPoint>>,
    #[serde(rename = "logConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(rename = "firelensConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub firelens_configuration: Option<FirelensConfiguration>,
    #[serde(rename = "privileged", default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    #[serde(rename = "user", default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(rename = "ulimits", default, skip_serializing_if = "Option::is_none")]
    pub ulimits: Option<Vec<Ulimit>>,
    #[serde(rename = "linuxParameters", default, skip_serializing_if = "Option::is_none")]
    pub linux_parameters: Option<DaemonLinuxParameters>,
    #[serde(rename = "dependsOn", default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<ContainerDependency>>,
    #[serde(rename = "startTimeout", default, skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<i32>,
    #[serde(rename = "stopTimeout", default, skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i32>,
    #[serde(rename = "systemControls", default, skip_serializing_if = "Option::is_none")]
    pub system_controls: Option<Vec<SystemControl>>,
    #[serde(rename = "interactive", default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "pseudoTerminal", default, skip_serializing_if = "Option::is_none")]
    pub pseudo_terminal: Option<bool>,
    #[serde(rename = "restartPolicy", default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<ContainerRestartPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonContainerImage {
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "imageDigest", default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "image", default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeployment {
    #[serde(rename = "daemonDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_deployment_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonDeploymentStatus>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "targetDaemonRevision", default, skip_serializing_if = "Option::is_none")]
    pub target_daemon_revision: Option<DaemonDeploymentRevisionDetail>,
    #[serde(rename = "sourceDaemonRevisions", default, skip_serializing_if = "Option::is_none")]
    pub source_daemon_revisions: Option<Vec<DaemonDeploymentRevisionDetail>>,
    #[serde(rename = "circuitBreaker", default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<DaemonCircuitBreaker>,
    #[serde(rename = "alarms", default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DaemonDeploymentAlarms>,
    #[serde(rename = "rollback", default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<DaemonRollback>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DaemonDeploymentConfiguration>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "stoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "finishedAt", default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeploymentAlarms {
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonDeploymentRollbackMonitorsStatus>,
    #[serde(rename = "alarmNames", default, skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(rename = "triggeredAlarmNames", default, skip_serializing_if = "Option::is_none")]
    pub triggered_alarm_names: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeploymentCapacityProvider {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "runningInstanceCount", default, skip_serializing_if = "Option::is_none")]
    pub running_instance_count: Option<i32>,
    #[serde(rename = "drainingInstanceCount", default, skip_serializing_if = "Option::is_none")]
    pub draining_instance_count: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeploymentConfiguration {
    #[serde(rename = "drainPercent", default, skip_serializing_if = "Option::is_none")]
    pub drain_percent: Option<f64>,
    #[serde(rename = "alarms", default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DaemonAlarmConfiguration>,
    #[serde(rename = "bakeTimeInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeploymentRevisionDetail {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<DaemonDeploymentCapacityProvider>>,
    #[serde(
        rename = "totalRunningInstanceCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub total_running_instance_count: Option<i32>,
    #[serde(
        rename = "totalDrainingInstanceCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub total_draining_instance_count: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonDeploymentRollbackMonitorsStatus {
    #[serde(rename = "TRIGGERED")]
    Triggered,
    #[serde(rename = "MONITORING")]
    Monitoring,
    #[serde(rename = "MONITORING_COMPLETE")]
    MonitoringComplete,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl DaemonDeploymentRollbackMonitorsStatus {
    pub const ALL: &'static [DaemonDeploymentRollbackMonitorsStatus] =
        &[Self::Triggered, Self::Monitoring, Self::MonitoringComplete, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Triggered => "TRIGGERED",
            Self::Monitoring => "MONITORING",
            Self::MonitoringComplete => "MONITORING_COMPLETE",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TRIGGERED" => Some(Self::Triggered),
            "MONITORING" => Some(Self::Monitoring),
            "MONITORING_COMPLETE" => Some(Self::MonitoringComplete),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonDeploymentRollbackMonitorsStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonDeploymentStatus {
    #[serde(rename = "PENDING")]
    Pending,
    #[serde(rename = "SUCCESSFUL")]
    Successful,
    #[serde(rename = "STOPPED")]
    Stopped,
    #[serde(rename = "STOP_REQUESTED")]
    StopRequested,
    #[serde(rename = "IN_PROGRESS")]
    InProgress,
    #[serde(rename = "ROLLBACK_IN_PROGRESS")]
    RollbackInProgress,
    #[serde(rename = "ROLLBACK_SUCCESSFUL")]
    RollbackSuccessful,
    #[serde(rename = "ROLLBACK_FAILED")]
    RollbackFailed,
}

impl DaemonDeploymentStatus {
    pub const ALL: &'static [DaemonDeploymentStatus] = &[
        Self::Pending,
        Self::Successful,
        Self::Stopped,
        Self::StopRequested,
        Self::InProgress,
        Self::RollbackInProgress,
        Self::RollbackSuccessful,
        Self::RollbackFailed,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Successful => "SUCCESSFUL",
            Self::Stopped => "STOPPED",
            Self::StopRequested => "STOP_REQUESTED",
            Self::InProgress => "IN_PROGRESS",
            Self::RollbackInProgress => "ROLLBACK_IN_PROGRESS",
            Self::RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
            Self::RollbackFailed => "ROLLBACK_FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PENDING" => Some(Self::Pending),
            "SUCCESSFUL" => Some(Self::Successful),
            "STOPPED" => Some(Self::Stopped),
            "STOP_REQUESTED" => Some(Self::StopRequested),
            "IN_PROGRESS" => Some(Self::InProgress),
            "ROLLBACK_IN_PROGRESS" => Some(Self::RollbackInProgress),
            "ROLLBACK_SUCCESSFUL" => Some(Self::RollbackSuccessful),
            "ROLLBACK_FAILED" => Some(Self::RollbackFailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonDeploymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDeploymentSummary {
    #[serde(rename = "daemonDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_deployment_arn: Option<String>,
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonDeploymentStatus>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "targetDaemonRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub target_daemon_revision_arn: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "stoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "finishedAt", default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonDetail {
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonStatus>,
    #[serde(rename = "currentRevisions", default, skip_serializing_if = "Option::is_none")]
    pub current_revisions: Option<Vec<DaemonRevisionDetail>>,
    #[serde(rename = "deploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub deployment_arn: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonLinuxParameters {
    #[serde(rename = "capabilities", default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<KernelCapabilities>,
    #[serde(rename = "devices", default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Device>>,
    #[serde(rename = "initProcessEnabled", default, skip_serializing_if = "Option::is_none")]
    pub init_process_enabled: Option<bool>,
    #[serde(rename = "tmpfs", default, skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<Vec<Tmpfs>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonPropagateTags {
    #[serde(rename = "DAEMON")]
    Daemon,
    #[serde(rename = "NONE")]
    None,
}

impl DaemonPropagateTags {
    pub const ALL: &'static [DaemonPropagateTags] = &[Self::Daemon, Self::None];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Daemon => "DAEMON",
            Self::None => "NONE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "DAEMON" => Some(Self::Daemon),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonPropagateTags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonRevision {
    #[serde(rename = "daemonRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_revision_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "daemonTaskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definition_arn: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "containerImages", default, skip_serializing_if = "Option::is_none")]
    pub container_images: Option<Vec<DaemonContainerImage>>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<DaemonPropagateTags>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonRevisionDetail {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<DaemonCapacityProvider>>,
    #[serde(rename = "totalRunningCount", default, skip_serializing_if = "Option::is_none")]
    pub total_running_count: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonRollback {
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(
        rename = "rollbackTargetDaemonRevisionArn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rollback_target_daemon_revision_arn: Option<String>,
    #[serde(
        rename = "rollbackCapacityProviders",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rollback_capacity_providers: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DELETE_IN_PROGRESS")]
    DeleteInProgress,
}

impl DaemonStatus {
    pub const ALL: &'static [DaemonStatus] = &[Self::Active, Self::DeleteInProgress];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::DeleteInProgress => "DELETE_IN_PROGRESS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "DELETE_IN_PROGRESS" => Some(Self::DeleteInProgress),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonSummary {
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonStatus>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonTaskDefinition {
    #[serde(rename = "daemonTaskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definition_arn: Option<String>,
    #[serde(rename = "family", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "revision", default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i32>,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "containerDefinitions", default, skip_serializing_if = "Option::is_none")]
    pub container_definitions: Option<Vec<DaemonContainerDefinition>>,
    #[serde(rename = "volumes", default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<DaemonVolume>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonTaskDefinitionStatus>,
    #[serde(rename = "registeredAt", default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "deleteRequestedAt", default, skip_serializing_if = "Option::is_none")]
    pub delete_requested_at: Option<f64>,
    #[serde(rename = "registeredBy", default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonTaskDefinitionRevisionFilter {
    #[serde(rename = "LAST_REGISTERED")]
    LastRegistered,
}

impl DaemonTaskDefinitionRevisionFilter {
    pub const ALL: &'static [DaemonTaskDefinitionRevisionFilter] = &[Self::LastRegistered];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::LastRegistered => "LAST_REGISTERED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "LAST_REGISTERED" => Some(Self::LastRegistered),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonTaskDefinitionRevisionFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonTaskDefinitionStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DELETE_IN_PROGRESS")]
    DeleteInProgress,
    #[serde(rename = "DELETED")]
    Deleted,
}

impl DaemonTaskDefinitionStatus {
    pub const ALL: &'static [DaemonTaskDefinitionStatus] =
        &[Self::Active, Self::DeleteInProgress, Self::Deleted];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::DeleteInProgress => "DELETE_IN_PROGRESS",
            Self::Deleted => "DELETED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "DELETE_IN_PROGRESS" => Some(Self::DeleteInProgress),
            "DELETED" => Some(Self::Deleted),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonTaskDefinitionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DaemonTaskDefinitionStatusFilter {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DELETE_IN_PROGRESS")]
    DeleteInProgress,
    #[serde(rename = "ALL")]
    All,
}

impl DaemonTaskDefinitionStatusFilter {
    pub const ALL: &'static [DaemonTaskDefinitionStatusFilter] =
        &[Self::Active, Self::DeleteInProgress, Self::All];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::DeleteInProgress => "DELETE_IN_PROGRESS",
            Self::All => "ALL",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "DELETE_IN_PROGRESS" => Some(Self::DeleteInProgress),
            "ALL" => Some(Self::All),
            _ => None,
        }
    }
}

impl std::fmt::Display for DaemonTaskDefinitionStatusFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonTaskDefinitionSummary {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "registeredAt", default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "registeredBy", default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
    #[serde(rename = "deleteRequestedAt", default, skip_serializing_if = "Option::is_none")]
    pub delete_requested_at: Option<f64>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonTaskDefinitionStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DaemonVolume {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "host", default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostVolumeProperties>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteAccountSettingRequest {
    #[serde(rename = "name")]
    pub name: SettingName,
    #[serde(rename = "principalArn", default, skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteAccountSettingResponse {
    #[serde(rename = "setting", default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteAttributesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attributes")]
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteAttributesResponse {
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteCapacityProviderRequest {
    #[serde(rename = "capacityProvider")]
    pub capacity_provider: String,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteCapacityProviderResponse {
    #[serde(rename = "capacityProvider", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteClusterRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteClusterResponse {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteDaemonRequest {
    #[serde(rename = "daemonArn")]
    pub daemon_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteDaemonResponse {
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonStatus>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "deploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub deployment_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteDaemonTaskDefinitionRequest {
    #[serde(rename = "daemonTaskDefinition")]
    pub daemon_task_definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteDaemonTaskDefinitionResponse {
    #[serde(rename = "daemonTaskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definition_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteExpressGatewayServiceRequest {
    #[serde(rename = "serviceArn")]
    pub service_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteExpressGatewayServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ECSExpressGatewayService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteServiceRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "force", default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteTaskDefinitionsRequest {
    #[serde(rename = "taskDefinitions")]
    pub task_definitions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteTaskDefinitionsResponse {
    #[serde(rename = "taskDefinitions", default, skip_serializing_if = "Option::is_none")]
    pub task_definitions: Option<Vec<TaskDefinition>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteTaskSetRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "taskSet")]
    pub task_set: String,
    #[serde(rename = "force", default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeleteTaskSetResponse {
    #[serde(rename = "taskSet", default, skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Deployment {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "desiredCount", default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "pendingCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "runningCount", default, skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "failedTasks", default, skip_serializing_if = "Option::is_none")]
    pub failed_tasks: Option<i32>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "rolloutState", default, skip_serializing_if = "Option::is_none")]
    pub rollout_state: Option<DeploymentRolloutState>,
    #[serde(rename = "rolloutStateReason", default, skip_serializing_if = "Option::is_none")]
    pub rollout_state_reason: Option<String>,
    #[serde(
        rename = "serviceConnectConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(rename = "serviceConnectResources", default, skip_serializing_if = "Option::is_none")]
    pub service_connect_resources: Option<Vec<ServiceConnectServiceResource>>,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(rename = "fargateEphemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
    #[serde(rename = "vpcLatticeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentAlarms {
    #[serde(rename = "alarmNames")]
    pub alarm_names: Vec<String>,
    #[serde(rename = "rollback")]
    pub rollback: bool,
    #[serde(rename = "enable")]
    pub enable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentCircuitBreaker {
    #[serde(rename = "enable")]
    pub enable: bool,
    #[serde(rename = "rollback")]
    pub rollback: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeploymentConfiguration {
    #[serde(rename = "deploymentCircuitBreaker", default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<DeploymentCircuitBreaker>,
    #[serde(rename = "maximumPercent", default, skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<i32>,
    #[serde(rename = "minimumHealthyPercent", default, skip_serializing_if = "Option::is_none")]
    pub minimum_healthy_percent: Option<i32>,
    #[serde(rename = "alarms", default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DeploymentAlarms>,
    #[serde(rename = "strategy", default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<DeploymentStrategy>,
    #[serde(rename = "bakeTimeInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<i32>,
    #[serde(rename = "lifecycleHooks", default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_hooks: Option<Vec<DeploymentLifecycleHook>>,
    #[serde(rename = "linearConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub linear_configuration: Option<LinearConfiguration>,
    #[serde(rename = "canaryConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub canary_configuration: Option<CanaryConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentController {
    #[serde(rename = "type")]
    pub r#type: DeploymentControllerType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentControllerType {
    #[serde(rename = "ECS")]
    Ecs,
    #[serde(rename = "CODE_DEPLOY")]
    CodeDeploy,
    #[serde(rename = "EXTERNAL")]
    External,
}

impl DeploymentControllerType {
    pub const ALL: &'static [DeploymentControllerType] =
        &[Self::Ecs, Self::CodeDeploy, Self::External];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ecs => "ECS",
            Self::CodeDeploy => "CODE_DEPLOY",
            Self::External => "EXTERNAL",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ECS" => Some(Self::Ecs),
            "CODE_DEPLOY" => Some(Self::CodeDeploy),
            "EXTERNAL" => Some(Self::External),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentControllerType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeploymentEphemeralStorage {
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeploymentLifecycleHook {
    #[serde(rename = "targetType", default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<DeploymentLifecycleHookTargetType>,
    #[serde(rename = "hookTargetArn", default, skip_serializing_if = "Option::is_none")]
    pub hook_target_arn: Option<String>,
    #[serde(rename = "roleArn", default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "lifecycleStages", default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_stages: Option<Vec<DeploymentLifecycleHookStage>>,
    #[serde(rename = "hookDetails", default, skip_serializing_if = "Option::is_none")]
    pub hook_details: Option<HookDetails>,
    #[serde(rename = "timeoutConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub timeout_configuration: Option<DeploymentLifecycleHookTimeoutConfiguration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentLifecycleHookAction {
    #[serde(rename = "ROLLBACK")]
    Rollback,
    #[serde(rename = "CONTINUE")]
    Continue,
}

impl DeploymentLifecycleHookAction {
    pub const ALL: &'static [DeploymentLifecycleHookAction] = &[Self::Rollback, Self::Continue];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Rollback => "ROLLBACK",
            Self::Continue => "CONTINUE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ROLLBACK" => Some(Self::Rollback),
            "CONTINUE" => Some(Self::Continue),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentLifecycleHookAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeploymentLifecycleHookDetail {
    #[serde(rename = "hookId", default, skip_serializing_if = "Option::is_none")]
    pub hook_id: Option<String>,
    #[serde(rename = "targetType", default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<DeploymentLifecycleHookTargetType>,
    #[serde(rename = "targetArn", default, skip_serializing_if = "Option::is_none")]
    pub target_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeploymentLifecycleHookStatus>,
    #[serde(rename = "expiresAt", default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<f64>,
    #[serde(rename = "timeoutAction", default, skip_serializing_if = "Option::is_none")]
    pub timeout_action: Option<DeploymentLifecycleHookAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentLifecycleHookStage {
    #[serde(rename = "RECONCILE_SERVICE")]
    ReconcileService,
    #[serde(rename = "PRE_SCALE_UP")]
    PreScaleUp,
    #[serde(rename = "POST_SCALE_UP")]
    PostScaleUp,
    #[serde(rename = "TEST_TRAFFIC_SHIFT")]
    TestTrafficShift,
    #[serde(rename = "POST_TEST_TRAFFIC_SHIFT")]
    PostTestTrafficShift,
    #[serde(rename = "PRE_PRODUCTION_TRAFFIC_SHIFT")]
    PreProductionTrafficShift,
    #[serde(rename = "PRODUCTION_TRAFFIC_SHIFT")]
    ProductionTrafficShift,
    #[serde(rename = "POST_PRODUCTION_TRAFFIC_SHIFT")]
    PostProductionTrafficShift,
}

impl DeploymentLifecycleHookStage {
    pub const ALL: &'static [DeploymentLifecycleHookStage] = &[
        Self::ReconcileService,
        Self::PreScaleUp,
        Self::PostScaleUp,
        Self::TestTrafficShift,
        Self::PostTestTrafficShift,
        Self::PreProductionTrafficShift,
        Self::ProductionTrafficShift,
        Self::PostProductionTrafficShift,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReconcileService => "RECONCILE_SERVICE",
            Self::PreScaleUp => "PRE_SCALE_UP",
            Self::PostScaleUp => "POST_SCALE_UP",
            Self::TestTrafficShift => "TEST_TRAFFIC_SHIFT",
            Self::PostTestTrafficShift => "POST_TEST_TRAFFIC_SHIFT",
            Self::PreProductionTrafficShift => "PRE_PRODUCTION_TRAFFIC_SHIFT",
            Self::ProductionTrafficShift => "PRODUCTION_TRAFFIC_SHIFT",
            Self::PostProductionTrafficShift => "POST_PRODUCTION_TRAFFIC_SHIFT",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RECONCILE_SERVICE" => Some(Self::ReconcileService),
            "PRE_SCALE_UP" => Some(Self::PreScaleUp),
            "POST_SCALE_UP" => Some(Self::PostScaleUp),
            "TEST_TRAFFIC_SHIFT" => Some(Self::TestTrafficShift),
            "POST_TEST_TRAFFIC_SHIFT" => Some(Self::PostTestTrafficShift),
            "PRE_PRODUCTION_TRAFFIC_SHIFT" => Some(Self::PreProductionTrafficShift),
            "PRODUCTION_TRAFFIC_SHIFT" => Some(Self::ProductionTrafficShift),
            "POST_PRODUCTION_TRAFFIC_SHIFT" => Some(Self::PostProductionTrafficShift),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentLifecycleHookStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentLifecycleHookStatus {
    #[serde(rename = "AWAITING_ACTION")]
    AwaitingAction,
    #[serde(rename = "IN_PROGRESS")]
    InProgress,
    #[serde(rename = "SUCCEEDED")]
    Succeeded,
    #[serde(rename = "FAILED")]
    Failed,
    #[serde(rename = "TIMED_OUT")]
    TimedOut,
}

impl DeploymentLifecycleHookStatus {
    pub const ALL: &'static [DeploymentLifecycleHookStatus] =
        &[Self::AwaitingAction, Self::InProgress, Self::Succeeded, Self::Failed, Self::TimedOut];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::AwaitingAction => "AWAITING_ACTION",
            Self::InProgress => "IN_PROGRESS",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::TimedOut => "TIMED_OUT",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "AWAITING_ACTION" => Some(Self::AwaitingAction),
            "IN_PROGRESS" => Some(Self::InProgress),
            "SUCCEEDED" => Some(Self::Succeeded),
            "FAILED" => Some(Self::Failed),
            "TIMED_OUT" => Some(Self::TimedOut),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentLifecycleHookStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentLifecycleHookTargetType {
    #[serde(rename = "AWS_LAMBDA")]
    AwsLambda,
    #[serde(rename = "PAUSE")]
    Pause,
}

impl DeploymentLifecycleHookTargetType {
    pub const ALL: &'static [DeploymentLifecycleHookTargetType] = &[Self::AwsLambda, Self::Pause];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::AwsLambda => "AWS_LAMBDA",
            Self::Pause => "PAUSE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "AWS_LAMBDA" => Some(Self::AwsLambda),
            "PAUSE" => Some(Self::Pause),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentLifecycleHookTargetType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeploymentLifecycleHookTimeoutConfiguration {
    #[serde(rename = "timeoutInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_minutes: Option<i32>,
    #[serde(rename = "action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<DeploymentLifecycleHookAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentRolloutState {
    #[serde(rename = "COMPLETED")]
    Completed,
    #[serde(rename = "FAILED")]
    Failed,
    #[serde(rename = "IN_PROGRESS")]
    InProgress,
}

impl DeploymentRolloutState {
    pub const ALL: &'static [DeploymentRolloutState] =
        &[Self::Completed, Self::Failed, Self::InProgress];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Completed => "COMPLETED",
            Self::Failed => "FAILED",
            Self::InProgress => "IN_PROGRESS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "COMPLETED" => Some(Self::Completed),
            "FAILED" => Some(Self::Failed),
            "IN_PROGRESS" => Some(Self::InProgress),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentRolloutState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentStrategy {
    #[serde(rename = "ROLLING")]
    Rolling,
    #[serde(rename = "BLUE_GREEN")]
    BlueGreen,
    #[serde(rename = "LINEAR")]
    Linear,
    #[serde(rename = "CANARY")]
    Canary,
}

impl DeploymentStrategy {
    pub const ALL: &'static [DeploymentStrategy] =
        &[Self::Rolling, Self::BlueGreen, Self::Linear, Self::Canary];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Rolling => "ROLLING",
            Self::BlueGreen => "BLUE_GREEN",
            Self::Linear => "LINEAR",
            Self::Canary => "CANARY",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ROLLING" => Some(Self::Rolling),
            "BLUE_GREEN" => Some(Self::BlueGreen),
            "LINEAR" => Some(Self::Linear),
            "CANARY" => Some(Self::Canary),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeploymentStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeregisterContainerInstanceRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance")]
    pub container_instance: String,
    #[serde(rename = "force", default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeregisterContainerInstanceResponse {
    #[serde(rename = "containerInstance", default, skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeregisterTaskDefinitionRequest {
    #[serde(rename = "taskDefinition")]
    pub task_definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DeregisterTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeCapacityProvidersRequest {
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<CapacityProviderField>>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeCapacityProvidersResponse {
    #[serde(rename = "capacityProviders", default, skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<CapacityProvider>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeClustersRequest {
    #[serde(rename = "clusters", default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<String>>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<ClusterField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeClustersResponse {
    #[serde(rename = "clusters", default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeContainerInstancesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances")]
    pub container_instances: Vec<String>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<ContainerInstanceField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeContainerInstancesResponse {
    #[serde(rename = "containerInstances", default, skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<ContainerInstance>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeDaemonDeploymentsRequest {
    #[serde(rename = "daemonDeploymentArns")]
    pub daemon_deployment_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeDaemonDeploymentsResponse {
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
    #[serde(rename = "daemonDeployments", default, skip_serializing_if = "Option::is_none")]
    pub daemon_deployments: Option<Vec<DaemonDeployment>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeDaemonRequest {
    #[serde(rename = "daemonArn")]
    pub daemon_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeDaemonResponse {
    #[serde(rename = "daemon", default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<DaemonDetail>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeDaemonRevisionsRequest {
    #[serde(rename = "daemonRevisionArns")]
    pub daemon_revision_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeDaemonRevisionsResponse {
    #[serde(rename = "daemonRevisions", default, skip_serializing_if = "Option::is_none")]
    pub daemon_revisions: Option<Vec<DaemonRevision>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeDaemonTaskDefinitionRequest {
    #[serde(rename = "daemonTaskDefinition")]
    pub daemon_task_definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeDaemonTaskDefinitionResponse {
    #[serde(rename = "daemonTaskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definition: Option<DaemonTaskDefinition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeExpressGatewayServiceRequest {
    #[serde(rename = "serviceArn")]
    pub service_arn: String,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<ExpressGatewayServiceInclude>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeExpressGatewayServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ECSExpressGatewayService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeServiceDeploymentsRequest {
    #[serde(rename = "serviceDeploymentArns")]
    pub service_deployment_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeServiceDeploymentsResponse {
    #[serde(rename = "serviceDeployments", default, skip_serializing_if = "Option::is_none")]
    pub service_deployments: Option<Vec<ServiceDeployment>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeServiceRevisionsRequest {
    #[serde(rename = "serviceRevisionArns")]
    pub service_revision_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeServiceRevisionsResponse {
    #[serde(rename = "serviceRevisions", default, skip_serializing_if = "Option::is_none")]
    pub service_revisions: Option<Vec<ServiceRevision>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeServicesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "services")]
    pub services: Vec<String>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<ServiceField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeServicesResponse {
    #[serde(rename = "services", default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<Service>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeTaskDefinitionRequest {
    #[serde(rename = "taskDefinition")]
    pub task_definition: String,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<TaskDefinitionField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeTaskSetsRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "taskSets", default, skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<String>>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<TaskSetField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeTaskSetsResponse {
    #[serde(rename = "taskSets", default, skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<TaskSet>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescribeTasksRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "tasks")]
    pub tasks: Vec<String>,
    #[serde(rename = "include", default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<TaskField>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DescribeTasksResponse {
    #[serde(rename = "tasks", default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DesiredStatus {
    #[serde(rename = "RUNNING")]
    Running,
    #[serde(rename = "PENDING")]
    Pending,
    #[serde(rename = "STOPPED")]
    Stopped,
}

impl DesiredStatus {
    pub const ALL: &'static [DesiredStatus] = &[Self::Running, Self::Pending, Self::Stopped];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Pending => "PENDING",
            Self::Stopped => "STOPPED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RUNNING" => Some(Self::Running),
            "PENDING" => Some(Self::Pending),
            "STOPPED" => Some(Self::Stopped),
            _ => None,
        }
    }
}

impl std::fmt::Display for DesiredStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    #[serde(rename = "hostPath")]
    pub host_path: String,
    #[serde(rename = "containerPath", default, skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(rename = "permissions", default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<DeviceCgroupPermission>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeviceCgroupPermission {
    #[serde(rename = "read")]
    Read,
    #[serde(rename = "write")]
    Write,
    #[serde(rename = "mknod")]
    Mknod,
}

impl DeviceCgroupPermission {
    pub const ALL: &'static [DeviceCgroupPermission] = &[Self::Read, Self::Write, Self::Mknod];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Mknod => "mknod",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            "mknod" => Some(Self::Mknod),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeviceCgroupPermission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DiscoverPollEndpointRequest {
    #[serde(rename = "containerInstance", default, skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DiscoverPollEndpointResponse {
    #[serde(rename = "endpoint", default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(rename = "telemetryEndpoint", default, skip_serializing_if = "Option::is_none")]
    pub telemetry_endpoint: Option<String>,
    #[serde(rename = "serviceConnectEndpoint", default, skip_serializing_if = "Option::is_none")]
    pub service_connect_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DockerVolumeConfiguration {
    #[serde(rename = "scope", default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(rename = "autoprovision", default, skip_serializing_if = "Option::is_none")]
    pub autoprovision: Option<bool>,
    #[serde(rename = "driver", default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    #[serde(rename = "driverOpts", default, skip_serializing_if = "Option::is_none")]
    pub driver_opts: Option<BTreeMap<String, String>>,
    #[serde(rename = "labels", default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EBSResourceType {
    #[serde(rename = "volume")]
    Volume,
}

impl EBSResourceType {
    pub const ALL: &'static [EBSResourceType] = &[Self::Volume];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Volume => "volume",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "volume" => Some(Self::Volume),
            _ => None,
        }
    }
}

impl std::fmt::Display for EBSResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EBSTagSpecification {
    #[serde(rename = "resourceType")]
    pub resource_type: EBSResourceType,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ECSExpressGatewayService {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "infrastructureRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub infrastructure_role_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExpressGatewayServiceStatus>,
    #[serde(rename = "currentDeployment", default, skip_serializing_if = "Option::is_none")]
    pub current_deployment: Option<String>,
    #[serde(rename = "activeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub active_configurations: Option<Vec<ExpressGatewayServiceConfiguration>>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ECSManagedResources {
    #[serde(rename = "ingressPaths", default, skip_serializing_if = "Option::is_none")]
    pub ingress_paths: Option<Vec<ManagedIngressPath>>,
    #[serde(rename = "autoScaling", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<ManagedAutoScaling>,
    #[serde(rename = "metricAlarms", default, skip_serializing_if = "Option::is_none")]
    pub metric_alarms: Option<Vec<ManagedMetricAlarm>>,
    #[serde(rename = "serviceSecurityGroups", default, skip_serializing_if = "Option::is_none")]
    pub service_security_groups: Option<Vec<ManagedSecurityGroup>>,
    #[serde(rename = "logGroups", default, skip_serializing_if = "Option::is_none")]
    pub log_groups: Option<Vec<ManagedLogGroup>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EFSAuthorizationConfig {
    #[serde(rename = "accessPointId", default, skip_serializing_if = "Option::is_none")]
    pub access_point_id: Option<String>,
    #[serde(rename = "iam", default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<EFSAuthorizationConfigIAM>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EFSAuthorizationConfigIAM {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl EFSAuthorizationConfigIAM {
    pub const ALL: &'static [EFSAuthorizationConfigIAM] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for EFSAuthorizationConfigIAM {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EFSTransitEncryption {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl EFSTransitEncryption {
    pub const ALL: &'static [EFSTransitEncryption] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for EFSTransitEncryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EFSVolumeConfiguration {
    #[serde(rename = "fileSystemId")]
    pub file_system_id: String,
    #[serde(rename = "rootDirectory", default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(rename = "transitEncryption", default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption: Option<EFSTransitEncryption>,
    #[serde(rename = "transitEncryptionPort", default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption_port: Option<i32>,
    #[serde(rename = "authorizationConfig", default, skip_serializing_if = "Option::is_none")]
    pub authorization_config: Option<EFSAuthorizationConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentFile {
    #[serde(rename = "value")]
    pub value: String,
    #[serde(rename = "type")]
    pub r#type: EnvironmentFileType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EnvironmentFileType {
    #[serde(rename = "s3")]
    S3,
}

impl EnvironmentFileType {
    pub const ALL: &'static [EnvironmentFileType] = &[Self::S3];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::S3 => "s3",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "s3" => Some(Self::S3),
            _ => None,
        }
    }
}

impl std::fmt::Display for EnvironmentFileType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EphemeralStorage {
    #[serde(rename = "sizeInGiB")]
    pub size_in_gi_b: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExecuteCommandConfiguration {
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "logging", default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<ExecuteCommandLogging>,
    #[serde(rename = "logConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<ExecuteCommandLogConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExecuteCommandLogConfiguration {
    #[serde(rename = "cloudWatchLogGroupName", default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_log_group_name: Option<String>,
    #[serde(
        rename = "cloudWatchEncryptionEnabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_watch_encryption_enabled: Option<bool>,
    #[serde(rename = "s3BucketName", default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket_name: Option<String>,
    #[serde(rename = "s3EncryptionEnabled", default, skip_serializing_if = "Option::is_none")]
    pub s3_encryption_enabled: Option<bool>,
    #[serde(rename = "s3KeyPrefix", default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExecuteCommandLogging {
    #[serde(rename = "NONE")]
    None,
    #[serde(rename = "DEFAULT")]
    Default,
    #[serde(rename = "OVERRIDE")]
    Override,
}

impl ExecuteCommandLogging {
    pub const ALL: &'static [ExecuteCommandLogging] = &[Self::None, Self::Default, Self::Override];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Default => "DEFAULT",
            Self::Override => "OVERRIDE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "NONE" => Some(Self::None),
            "DEFAULT" => Some(Self::Default),
            "OVERRIDE" => Some(Self::Override),
            _ => None,
        }
    }
}

impl std::fmt::Display for ExecuteCommandLogging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecuteCommandRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "container", default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(rename = "command")]
    pub command: String,
    #[serde(rename = "interactive")]
    pub interactive: bool,
    #[serde(rename = "task")]
    pub task: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExecuteCommandResponse {
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "containerArn", default, skip_serializing_if = "Option::is_none")]
    pub container_arn: Option<String>,
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "interactive", default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "session", default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    #[serde(rename = "taskArn", default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpressGatewayContainer {
    #[serde(rename = "image")]
    pub image: String,
    #[serde(rename = "containerPort", default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "awsLogsConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub aws_logs_configuration: Option<ExpressGatewayServiceAwsLogsConfiguration>,
    #[serde(rename = "repositoryCredentials", default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<ExpressGatewayRepositoryCredentials>,
    #[serde(rename = "command", default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "environment", default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "secrets", default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExpressGatewayRepositoryCredentials {
    #[serde(rename = "credentialsParameter", default, skip_serializing_if = "Option::is_none")]
    pub credentials_parameter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExpressGatewayScalingTarget {
    #[serde(rename = "minTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub min_task_count: Option<i32>,
    #[serde(rename = "maxTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub max_task_count: Option<i32>,
    #[serde(rename = "autoScalingMetric", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_metric: Option<ExpressGatewayServiceScalingMetric>,
    #[serde(rename = "autoScalingTargetValue", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_target_value: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpressGatewayServiceAwsLogsConfiguration {
    #[serde(rename = "logGroup")]
    pub log_group: String,
    #[serde(rename = "logStreamPrefix")]
    pub log_stream_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExpressGatewayServiceConfiguration {
    #[serde(rename = "serviceRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub service_revision_arn: Option<String>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<ExpressGatewayServiceNetworkConfiguration>,
    #[serde(rename = "healthCheckPath", default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(rename = "primaryContainer", default, skip_serializing_if = "Option::is_none")]
    pub primary_container: Option<ExpressGatewayContainer>,
    #[serde(rename = "scalingTarget", default, skip_serializing_if = "Option::is_none")]
    pub scaling_target: Option<ExpressGatewayScalingTarget>,
    #[serde(rename = "ingressPaths", default, skip_serializing_if = "Option::is_none")]
    pub ingress_paths: Option<Vec<IngressPathSummary>>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExpressGatewayServiceInclude {
    #[serde(rename = "TAGS")]
    Tags,
}

impl ExpressGatewayServiceInclude {
    pub const ALL: &'static [ExpressGatewayServiceInclude] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for ExpressGatewayServiceInclude {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExpressGatewayServiceNetworkConfiguration {
    #[serde(rename = "securityGroups", default, skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    #[serde(rename = "subnets", default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExpressGatewayServiceScalingMetric {
    #[serde(rename = "AVERAGE_CPU")]
    AverageCpu,
    #[serde(rename = "AVERAGE_MEMORY")]
    AverageMemory,
    #[serde(rename = "REQUEST_COUNT_PER_TARGET")]
    RequestCountPerTarget,
}

impl ExpressGatewayServiceScalingMetric {
    pub const ALL: &'static [ExpressGatewayServiceScalingMetric] =
        &[Self::AverageCpu, Self::AverageMemory, Self::RequestCountPerTarget];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::AverageCpu => "AVERAGE_CPU",
            Self::AverageMemory => "AVERAGE_MEMORY",
            Self::RequestCountPerTarget => "REQUEST_COUNT_PER_TARGET",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "AVERAGE_CPU" => Some(Self::AverageCpu),
            "AVERAGE_MEMORY" => Some(Self::AverageMemory),
            "REQUEST_COUNT_PER_TARGET" => Some(Self::RequestCountPerTarget),
            _ => None,
        }
    }
}

impl std::fmt::Display for ExpressGatewayServiceScalingMetric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExpressGatewayServiceStatus {
    #[serde(rename = "statusCode", default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<ExpressGatewayServiceStatusCode>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExpressGatewayServiceStatusCode {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DRAINING")]
    Draining,
    #[serde(rename = "INACTIVE")]
    Inactive,
}

impl ExpressGatewayServiceStatusCode {
    pub const ALL: &'static [ExpressGatewayServiceStatusCode] =
        &[Self::Active, Self::Draining, Self::Inactive];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Draining => "DRAINING",
            Self::Inactive => "INACTIVE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "DRAINING" => Some(Self::Draining),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

impl std::fmt::Display for ExpressGatewayServiceStatusCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FSxWindowsFileServerAuthorizationConfig {
    #[serde(rename = "credentialsParameter")]
    pub credentials_parameter: String,
    #[serde(rename = "domain")]
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FSxWindowsFileServerVolumeConfiguration {
    #[serde(rename = "fileSystemId")]
    pub file_system_id: String,
    #[serde(rename = "rootDirectory")]
    pub root_directory: String,
    #[serde(rename = "authorizationConfig")]
    pub authorization_config: FSxWindowsFileServerAuthorizationConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Failure {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "detail", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirelensConfiguration {
    #[serde(rename = "type")]
    pub r#type: FirelensConfigurationType,
    #[serde(rename = "options", default, skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FirelensConfigurationType {
    #[serde(rename = "fluentd")]
    Fluentd,
    #[serde(rename = "fluentbit")]
    Fluentbit,
}

impl FirelensConfigurationType {
    pub const ALL: &'static [FirelensConfigurationType] = &[Self::Fluentd, Self::Fluentbit];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Fluentd => "fluentd",
            Self::Fluentbit => "fluentbit",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "fluentd" => Some(Self::Fluentd),
            "fluentbit" => Some(Self::Fluentbit),
            _ => None,
        }
    }
}

impl std::fmt::Display for FirelensConfigurationType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetTaskProtectionRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "tasks", default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GetTaskProtectionResponse {
    #[serde(rename = "protectedTasks", default, skip_serializing_if = "Option::is_none")]
    pub protected_tasks: Option<Vec<ProtectedTask>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthCheck {
    #[serde(rename = "command")]
    pub command: Vec<String>,
    #[serde(rename = "interval", default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i32>,
    #[serde(rename = "timeout", default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    #[serde(rename = "retries", default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<i32>,
    #[serde(rename = "startPeriod", default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HealthStatus {
    #[serde(rename = "HEALTHY")]
    Healthy,
    #[serde(rename = "UNHEALTHY")]
    Unhealthy,
    #[serde(rename = "UNKNOWN")]
    Unknown,
}

impl HealthStatus {
    pub const ALL: &'static [HealthStatus] = &[Self::Healthy, Self::Unhealthy, Self::Unknown];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Healthy => "HEALTHY",
            Self::Unhealthy => "UNHEALTHY",
            Self::Unknown => "UNKNOWN",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "HEALTHY" => Some(Self::Healthy),
            "UNHEALTHY" => Some(Self::Unhealthy),
            "UNKNOWN" => Some(Self::Unknown),
            _ => None,
        }
    }
}

impl std::fmt::Display for HealthStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HookDetails {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostEntry {
    #[serde(rename = "hostname")]
    pub hostname: String,
    #[serde(rename = "ipAddress")]
    pub ip_address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HostVolumeProperties {
    #[serde(rename = "sourcePath", default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceAccelerator {
    #[serde(rename = "deviceName")]
    pub device_name: String,
    #[serde(rename = "deviceType")]
    pub device_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InferenceAcceleratorOverride {
    #[serde(rename = "deviceName", default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    #[serde(rename = "deviceType", default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InfrastructureOptimization {
    #[serde(rename = "scaleInAfter", default, skip_serializing_if = "Option::is_none")]
    pub scale_in_after: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngressPathSummary {
    #[serde(rename = "accessType")]
    pub access_type: AccessType,
    #[serde(rename = "endpoint")]
    pub endpoint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InstanceGeneration {
    #[serde(rename = "current")]
    Current,
    #[serde(rename = "previous")]
    Previous,
}

impl InstanceGeneration {
    pub const ALL: &'static [InstanceGeneration] = &[Self::Current, Self::Previous];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Previous => "previous",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "current" => Some(Self::Current),
            "previous" => Some(Self::Previous),
            _ => None,
        }
    }
}

impl std::fmt::Display for InstanceGeneration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InstanceHealthCheckResult {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<InstanceHealthCheckType>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InstanceHealthCheckState>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "lastUpdated", default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<f64>,
    #[serde(rename = "lastStatusChange", default, skip_serializing_if = "Option::is_none")]
    pub last_status_change: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InstanceHealthCheckState {
    #[serde(rename = "OK")]
    Ok,
    #[serde(rename = "IMPAIRED")]
    Impaired,
    #[serde(rename = "INSUFFICIENT_DATA")]
    InsufficientData,
    #[serde(rename = "INITIALIZING")]
    Initializing,
}

impl InstanceHealthCheckState {
    pub const ALL: &'static [InstanceHealthCheckState] =
        &[Self::Ok, Self::Impaired, Self::InsufficientData, Self::Initializing];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Impaired => "IMPAIRED",
            Self::InsufficientData => "INSUFFICIENT_DATA",
            Self::Initializing => "INITIALIZING",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OK" => Some(Self::Ok),
            "IMPAIRED" => Some(Self::Impaired),
            "INSUFFICIENT_DATA" => Some(Self::InsufficientData),
            "INITIALIZING" => Some(Self::Initializing),
            _ => None,
        }
    }
}

impl std::fmt::Display for InstanceHealthCheckState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InstanceHealthCheckType {
    #[serde(rename = "CONTAINER_RUNTIME")]
    ContainerRuntime,
    #[serde(rename = "ACCELERATED_COMPUTE")]
    AcceleratedCompute,
    #[serde(rename = "DAEMON")]
    Daemon,
}

impl InstanceHealthCheckType {
    pub const ALL: &'static [InstanceHealthCheckType] =
        &[Self::ContainerRuntime, Self::AcceleratedCompute, Self::Daemon];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ContainerRuntime => "CONTAINER_RUNTIME",
            Self::AcceleratedCompute => "ACCELERATED_COMPUTE",
            Self::Daemon => "DAEMON",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CONTAINER_RUNTIME" => Some(Self::ContainerRuntime),
            "ACCELERATED_COMPUTE" => Some(Self::AcceleratedCompute),
            "DAEMON" => Some(Self::Daemon),
            _ => None,
        }
    }
}

impl std::fmt::Display for InstanceHealthCheckType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceLaunchTemplate {
    #[serde(rename = "ec2InstanceProfileArn")]
    pub ec2_instance_profile_arn: String,
    #[serde(rename = "networkConfiguration")]
    pub network_configuration: ManagedInstancesNetworkConfiguration,
    #[serde(rename = "storageConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub storage_configuration: Option<ManagedInstancesStorageConfiguration>,
    #[serde(
        rename = "localStorageConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub local_storage_configuration: Option<ManagedInstancesLocalStorageConfiguration>,
    #[serde(rename = "monitoring", default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<ManagedInstancesMonitoringOptions>,
    #[serde(rename = "capacityOptionType", default, skip_serializing_if = "Option::is_none")]
    pub capacity_option_type: Option<CapacityOptionType>,
    #[serde(
        rename = "instanceMetadataTagsPropagation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_metadata_tags_propagation: Option<bool>,
    #[serde(rename = "instanceRequirements", default, skip_serializing_if = "Option::is_none")]
    pub instance_requirements: Option<InstanceRequirementsRequest>,
    #[serde(rename = "fipsEnabled", default, skip_serializing_if = "Option::is_none")]
    pub fips_enabled: Option<bool>,
    #[serde(rename = "capacityReservations", default, skip_serializing_if = "Option::is_none")]
    pub capacity_reservations: Option<CapacityReservationRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InstanceLaunchTemplateUpdate {
    #[serde(rename = "ec2InstanceProfileArn", default, skip_serializing_if = "Option::is_none")]
    pub ec2_instance_profile_arn: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<ManagedInstancesNetworkConfiguration>,
    #[serde(rename = "storageConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub storage_configuration: Option<ManagedInstancesStorageConfiguration>,
    #[serde(
        rename = "instanceMetadataTagsPropagation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_metadata_tags_propagation: Option<bool>,
    #[serde(
        rename = "localStorageConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub local_storage_configuration: Option<ManagedInstancesLocalStorageConfiguration>,
    #[serde(rename = "monitoring", default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<ManagedInstancesMonitoringOptions>,
    #[serde(rename = "instanceRequirements", default, skip_serializing_if = "Option::is_none")]
    pub instance_requirements: Option<InstanceRequirementsRequest>,
    #[serde(rename = "capacityReservations", default, skip_serializing_if = "Option::is_none")]
    pub capacity_reservations: Option<CapacityReservationRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceRequirementsRequest {
    #[serde(rename = "vCpuCount")]
    pub v_cpu_count: VCpuCountRangeRequest,
    #[serde(rename = "memoryMiB")]
    pub memory_mi_b: MemoryMiBRequest,
    #[serde(rename = "cpuManufacturers", default, skip_serializing_if = "Option::is_none")]
    pub cpu_manufacturers: Option<Vec<CpuManufacturer>>,
    #[serde(rename = "memoryGiBPerVCpu", default, skip_serializing_if = "Option::is_none")]
    pub memory_gi_b_per_v_cpu: Option<MemoryGiBPerVCpuRequest>,
    #[serde(rename = "excludedInstanceTypes", default, skip_serializing_if = "Option::is_none")]
    pub excluded_instance_types: Option<Vec<String>>,
    #[serde(rename = "instanceGenerations", default, skip_serializing_if = "Option::is_none")]
    pub instance_generations: Option<Vec<InstanceGeneration>>,
    #[serde(
        rename = "spotMaxPricePercentageOverLowestPrice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub spot_max_price_percentage_over_lowest_price: Option<i32>,
    #[serde(
        rename = "onDemandMaxPricePercentageOverLowestPrice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub on_demand_max_price_percentage_over_lowest_price: Option<i32>,
    #[serde(rename = "bareMetal", default, skip_serializing_if = "Option::is_none")]
    pub bare_metal: Option<BareMetal>,
    #[serde(rename = "burstablePerformance", default, skip_serializing_if = "Option::is_none")]
    pub burstable_performance: Option<BurstablePerformance>,
    #[serde(rename = "requireHibernateSupport", default, skip_serializing_if = "Option::is_none")]
    pub require_hibernate_support: Option<bool>,
    #[serde(rename = "networkInterfaceCount", default, skip_serializing_if = "Option::is_none")]
    pub network_interface_count: Option<NetworkInterfaceCountRequest>,
    #[serde(rename = "localStorage", default, skip_serializing_if = "Option::is_none")]
    pub local_storage: Option<LocalStorage>,
    #[serde(rename = "localStorageTypes", default, skip_serializing_if = "Option::is_none")]
    pub local_storage_types: Option<Vec<LocalStorageType>>,
    #[serde(rename = "totalLocalStorageGB", default, skip_serializing_if = "Option::is_none")]
    pub total_local_storage_gb: Option<TotalLocalStorageGBRequest>,
    #[serde(rename = "baselineEbsBandwidthMbps", default, skip_serializing_if = "Option::is_none")]
    pub baseline_ebs_bandwidth_mbps: Option<BaselineEbsBandwidthMbpsRequest>,
    #[serde(rename = "acceleratorTypes", default, skip_serializing_if = "Option::is_none")]
    pub accelerator_types: Option<Vec<AcceleratorType>>,
    #[serde(rename = "acceleratorCount", default, skip_serializing_if = "Option::is_none")]
    pub accelerator_count: Option<AcceleratorCountRequest>,
    #[serde(rename = "acceleratorManufacturers", default, skip_serializing_if = "Option::is_none")]
    pub accelerator_manufacturers: Option<Vec<AcceleratorManufacturer>>,
    #[serde(rename = "acceleratorNames", default, skip_serializing_if = "Option::is_none")]
    pub accelerator_names: Option<Vec<AcceleratorName>>,
    #[serde(
        rename = "acceleratorTotalMemoryMiB",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub accelerator_total_memory_mi_b: Option<AcceleratorTotalMemoryMiBRequest>,
    #[serde(rename = "networkBandwidthGbps", default, skip_serializing_if = "Option::is_none")]
    pub network_bandwidth_gbps: Option<NetworkBandwidthGbpsRequest>,
    #[serde(rename = "allowedInstanceTypes", default, skip_serializing_if = "Option::is_none")]
    pub allowed_instance_types: Option<Vec<String>>,
    #[serde(
        rename = "maxSpotPriceAsPercentageOfOptimalOnDemandPrice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_spot_price_as_percentage_of_optimal_on_demand_price: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IpcMode {
    #[serde(rename = "host")]
    Host,
    #[serde(rename = "task")]
    Task,
    #[serde(rename = "none")]
    None,
}

impl IpcMode {
    pub const ALL: &'static [IpcMode] = &[Self::Host, Self::Task, Self::None];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::Task => "task",
            Self::None => "none",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "host" => Some(Self::Host),
            "task" => Some(Self::Task),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for IpcMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct KernelCapabilities {
    #[serde(rename = "add", default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<String>>,
    #[serde(rename = "drop", default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct KeyValuePair {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LaunchType {
    #[serde(rename = "EC2")]
    Ec2,
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "EXTERNAL")]
    External,
    #[serde(rename = "MANAGED_INSTANCES")]
    ManagedInstances,
}

impl LaunchType {
    pub const ALL: &'static [LaunchType] =
        &[Self::Ec2, Self::Fargate, Self::External, Self::ManagedInstances];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ec2 => "EC2",
            Self::Fargate => "FARGATE",
            Self::External => "EXTERNAL",
            Self::ManagedInstances => "MANAGED_INSTANCES",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "EC2" => Some(Self::Ec2),
            "FARGATE" => Some(Self::Fargate),
            "EXTERNAL" => Some(Self::External),
            "MANAGED_INSTANCES" => Some(Self::ManagedInstances),
            _ => None,
        }
    }
}

impl std::fmt::Display for LaunchType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LinearConfiguration {
    #[serde(rename = "stepPercent", default, skip_serializing_if = "Option::is_none")]
    pub step_percent: Option<f64>,
    #[serde(rename = "stepBakeTimeInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub step_bake_time_in_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LinuxParameters {
    #[serde(rename = "capabilities", default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<KernelCapabilities>,
    #[serde(rename = "devices", default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Device>>,
    #[serde(rename = "initProcessEnabled", default, skip_serializing_if = "Option::is_none")]
    pub init_process_enabled: Option<bool>,
    #[serde(rename = "sharedMemorySize", default, skip_serializing_if = "Option::is_none")]
    pub shared_memory_size: Option<i32>,
    #[serde(rename = "tmpfs", default, skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<Vec<Tmpfs>>,
    #[serde(rename = "maxSwap", default, skip_serializing_if = "Option::is_none")]
    pub max_swap: Option<i32>,
    #[serde(rename = "swappiness", default, skip_serializing_if = "Option::is_none")]
    pub swappiness: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListAccountSettingsRequest {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<SettingName>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "principalArn", default, skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    #[serde(rename = "effectiveSettings", default, skip_serializing_if = "Option::is_none")]
    pub effective_settings: Option<bool>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListAccountSettingsResponse {
    #[serde(rename = "settings", default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<Setting>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListAttributesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "targetType")]
    pub target_type: TargetType,
    #[serde(rename = "attributeName", default, skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
    #[serde(rename = "attributeValue", default, skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListAttributesResponse {
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListClustersRequest {
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListClustersResponse {
    #[serde(rename = "clusterArns", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListContainerInstancesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "filter", default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ContainerInstanceStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListContainerInstancesResponse {
    #[serde(rename = "containerInstanceArns", default, skip_serializing_if = "Option::is_none")]
    pub container_instance_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListDaemonDeploymentsRequest {
    #[serde(rename = "daemonArn")]
    pub daemon_arn: String,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<DaemonDeploymentStatus>>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<CreatedAt>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListDaemonDeploymentsResponse {
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "daemonDeployments", default, skip_serializing_if = "Option::is_none")]
    pub daemon_deployments: Option<Vec<DaemonDeploymentSummary>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListDaemonTaskDefinitionsRequest {
    #[serde(rename = "familyPrefix", default, skip_serializing_if = "Option::is_none")]
    pub family_prefix: Option<String>,
    #[serde(rename = "family", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "revision", default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<DaemonTaskDefinitionRevisionFilter>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonTaskDefinitionStatusFilter>,
    #[serde(rename = "sort", default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SortOrder>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListDaemonTaskDefinitionsResponse {
    #[serde(rename = "daemonTaskDefinitions", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definitions: Option<Vec<DaemonTaskDefinitionSummary>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListDaemonsRequest {
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "capacityProviderArns", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_arns: Option<Vec<String>>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListDaemonsResponse {
    #[serde(rename = "daemonSummariesList", default, skip_serializing_if = "Option::is_none")]
    pub daemon_summaries_list: Option<Vec<DaemonSummary>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListServiceDeploymentsRequest {
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<ServiceDeploymentStatus>>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<CreatedAt>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListServiceDeploymentsResponse {
    #[serde(rename = "serviceDeployments", default, skip_serializing_if = "Option::is_none")]
    pub service_deployments: Option<Vec<ServiceDeploymentBrief>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListServicesByNamespaceRequest {
    #[serde(rename = "namespace")]
    pub namespace: String,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListServicesByNamespaceResponse {
    #[serde(rename = "serviceArns", default, skip_serializing_if = "Option::is_none")]
    pub service_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListServicesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "schedulingStrategy", default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(rename = "resourceManagementType", default, skip_serializing_if = "Option::is_none")]
    pub resource_management_type: Option<ResourceManagementType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListServicesResponse {
    #[serde(rename = "serviceArns", default, skip_serializing_if = "Option::is_none")]
    pub service_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListTagsForResourceRequest {
    #[serde(rename = "resourceArn")]
    pub resource_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTagsForResourceResponse {
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTaskDefinitionFamiliesRequest {
    #[serde(rename = "familyPrefix", default, skip_serializing_if = "Option::is_none")]
    pub family_prefix: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskDefinitionFamilyStatus>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTaskDefinitionFamiliesResponse {
    #[serde(rename = "families", default, skip_serializing_if = "Option::is_none")]
    pub families: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTaskDefinitionsRequest {
    #[serde(rename = "familyPrefix", default, skip_serializing_if = "Option::is_none")]
    pub family_prefix: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskDefinitionStatus>,
    #[serde(rename = "sort", default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SortOrder>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTaskDefinitionsResponse {
    #[serde(rename = "taskDefinitionArns", default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTasksRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance", default, skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    #[serde(rename = "family", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "startedBy", default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "desiredStatus", default, skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<DesiredStatus>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "daemonName", default, skip_serializing_if = "Option::is_none")]
    pub daemon_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ListTasksResponse {
    #[serde(rename = "taskArns", default, skip_serializing_if = "Option::is_none")]
    pub task_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LoadBalancer {
    #[serde(rename = "targetGroupArn", default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(rename = "loadBalancerName", default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "containerPort", default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "advancedConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub advanced_configuration: Option<AdvancedConfiguration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LocalStorage {
    #[serde(rename = "included")]
    Included,
    #[serde(rename = "required")]
    Required,
    #[serde(rename = "excluded")]
    Excluded,
}

impl LocalStorage {
    pub const ALL: &'static [LocalStorage] = &[Self::Included, Self::Required, Self::Excluded];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Included => "included",
            Self::Required => "required",
            Self::Excluded => "excluded",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "included" => Some(Self::Included),
            "required" => Some(Self::Required),
            "excluded" => Some(Self::Excluded),
            _ => None,
        }
    }
}

impl std::fmt::Display for LocalStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LocalStorageType {
    #[serde(rename = "hdd")]
    Hdd,
    #[serde(rename = "ssd")]
    Ssd,
}

impl LocalStorageType {
    pub const ALL: &'static [LocalStorageType] = &[Self::Hdd, Self::Ssd];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Hdd => "hdd",
            Self::Ssd => "ssd",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "hdd" => Some(Self::Hdd),
            "ssd" => Some(Self::Ssd),
            _ => None,
        }
    }
}

impl std::fmt::Display for LocalStorageType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogConfiguration {
    #[serde(rename = "logDriver")]
    pub log_driver: LogDriver,
    #[serde(rename = "options", default, skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
    #[serde(rename = "secretOptions", default, skip_serializing_if = "Option::is_none")]
    pub secret_options: Option<Vec<Secret>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LogDriver {
    #[serde(rename = "json-file")]
    JsonFile,
    #[serde(rename = "syslog")]
    Syslog,
    #[serde(rename = "journald")]
    Journald,
    #[serde(rename = "gelf")]
    Gelf,
    #[serde(rename = "fluentd")]
    Fluentd,
    #[serde(rename = "awslogs")]
    Awslogs,
    #[serde(rename = "splunk")]
    Splunk,
    #[serde(rename = "awsfirelens")]
    Awsfirelens,
}

impl LogDriver {
    pub const ALL: &'static [LogDriver] = &[
        Self::JsonFile,
        Self::Syslog,
        Self::Journald,
        Self::Gelf,
        Self::Fluentd,
        Self::Awslogs,
        Self::Splunk,
        Self::Awsfirelens,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::JsonFile => "json-file",
            Self::Syslog => "syslog",
            Self::Journald => "journald",
            Self::Gelf => "gelf",
            Self::Fluentd => "fluentd",
            Self::Awslogs => "awslogs",
            Self::Splunk => "splunk",
            Self::Awsfirelens => "awsfirelens",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "json-file" => Some(Self::JsonFile),
            "syslog" => Some(Self::Syslog),
            "journald" => Some(Self::Journald),
            "gelf" => Some(Self::Gelf),
            "fluentd" => Some(Self::Fluentd),
            "awslogs" => Some(Self::Awslogs),
            "splunk" => Some(Self::Splunk),
            "awsfirelens" => Some(Self::Awsfirelens),
            _ => None,
        }
    }
}

impl std::fmt::Display for LogDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedAgent {
    #[serde(rename = "lastStartedAt", default, skip_serializing_if = "Option::is_none")]
    pub last_started_at: Option<f64>,
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<ManagedAgentName>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "lastStatus", default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedAgentName {
    #[serde(rename = "ExecuteCommandAgent")]
    ExecuteCommandAgent,
}

impl ManagedAgentName {
    pub const ALL: &'static [ManagedAgentName] = &[Self::ExecuteCommandAgent];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ExecuteCommandAgent => "ExecuteCommandAgent",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ExecuteCommandAgent" => Some(Self::ExecuteCommandAgent),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedAgentName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedAgentStateChange {
    #[serde(rename = "containerName")]
    pub container_name: String,
    #[serde(rename = "managedAgentName")]
    pub managed_agent_name: ManagedAgentName,
    #[serde(rename = "status")]
    pub status: String,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedApplicationAutoScalingPolicy {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "policyType")]
    pub policy_type: String,
    #[serde(rename = "targetValue")]
    pub target_value: f64,
    #[serde(rename = "metric")]
    pub metric: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedAutoScaling {
    #[serde(rename = "scalableTarget", default, skip_serializing_if = "Option::is_none")]
    pub scalable_target: Option<ManagedScalableTarget>,
    #[serde(
        rename = "applicationAutoScalingPolicies",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_auto_scaling_policies: Option<Vec<ManagedApplicationAutoScalingPolicy>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedCertificate {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "domainName")]
    pub domain_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedDraining {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl ManagedDraining {
    pub const ALL: &'static [ManagedDraining] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedDraining {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedIngressPath {
    #[serde(rename = "accessType")]
    pub access_type: AccessType,
    #[serde(rename = "endpoint")]
    pub endpoint: String,
    #[serde(rename = "loadBalancer", default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<ManagedLoadBalancer>,
    #[serde(
        rename = "loadBalancerSecurityGroups",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub load_balancer_security_groups: Option<Vec<ManagedSecurityGroup>>,
    #[serde(rename = "certificate", default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<ManagedCertificate>,
    #[serde(rename = "listener", default, skip_serializing_if = "Option::is_none")]
    pub listener: Option<ManagedListener>,
    #[serde(rename = "rule", default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ManagedListenerRule>,
    #[serde(rename = "targetGroups", default, skip_serializing_if = "Option::is_none")]
    pub target_groups: Option<Vec<ManagedTargetGroup>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedInstancesLocalStorageConfiguration {
    #[serde(rename = "useLocalStorage", default, skip_serializing_if = "Option::is_none")]
    pub use_local_storage: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedInstancesMonitoringOptions {
    #[serde(rename = "BASIC")]
    Basic,
    #[serde(rename = "DETAILED")]
    Detailed,
}

impl ManagedInstancesMonitoringOptions {
    pub const ALL: &'static [ManagedInstancesMonitoringOptions] = &[Self::Basic, Self::Detailed];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Basic => "BASIC",
            Self::Detailed => "DETAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "BASIC" => Some(Self::Basic),
            "DETAILED" => Some(Self::Detailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedInstancesMonitoringOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedInstancesNetworkConfiguration {
    #[serde(rename = "subnets", default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
    #[serde(rename = "securityGroups", default, skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedInstancesProvider {
    #[serde(rename = "infrastructureRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub infrastructure_role_arn: Option<String>,
    #[serde(rename = "instanceLaunchTemplate", default, skip_serializing_if = "Option::is_none")]
    pub instance_launch_template: Option<InstanceLaunchTemplate>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateMITags>,
    #[serde(
        rename = "infrastructureOptimization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(rename = "autoRepairConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedInstancesStorageConfiguration {
    #[serde(rename = "storageSizeGiB", default, skip_serializing_if = "Option::is_none")]
    pub storage_size_gi_b: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedListener {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedListenerRule {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedLoadBalancer {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "scheme")]
    pub scheme: String,
    #[serde(rename = "subnetIds", default, skip_serializing_if = "Option::is_none")]
    pub subnet_ids: Option<Vec<String>>,
    #[serde(rename = "securityGroupIds", default, skip_serializing_if = "Option::is_none")]
    pub security_group_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedLogGroup {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "logGroupName")]
    pub log_group_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedMetricAlarm {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedResourceStatus {
    #[serde(rename = "PROVISIONING")]
    Provisioning,
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "DEPROVISIONING")]
    Deprovisioning,
    #[serde(rename = "DELETED")]
    Deleted,
    #[serde(rename = "FAILED")]
    Failed,
}

impl ManagedResourceStatus {
    pub const ALL: &'static [ManagedResourceStatus] =
        &[Self::Provisioning, Self::Active, Self::Deprovisioning, Self::Deleted, Self::Failed];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Provisioning => "PROVISIONING",
            Self::Active => "ACTIVE",
            Self::Deprovisioning => "DEPROVISIONING",
            Self::Deleted => "DELETED",
            Self::Failed => "FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PROVISIONING" => Some(Self::Provisioning),
            "ACTIVE" => Some(Self::Active),
            "DEPROVISIONING" => Some(Self::Deprovisioning),
            "DELETED" => Some(Self::Deleted),
            "FAILED" => Some(Self::Failed),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedResourceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedScalableTarget {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "minCapacity")]
    pub min_capacity: i32,
    #[serde(rename = "maxCapacity")]
    pub max_capacity: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedScaling {
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ManagedScalingStatus>,
    #[serde(rename = "targetCapacity", default, skip_serializing_if = "Option::is_none")]
    pub target_capacity: Option<i32>,
    #[serde(rename = "minimumScalingStepSize", default, skip_serializing_if = "Option::is_none")]
    pub minimum_scaling_step_size: Option<i32>,
    #[serde(rename = "maximumScalingStepSize", default, skip_serializing_if = "Option::is_none")]
    pub maximum_scaling_step_size: Option<i32>,
    #[serde(rename = "instanceWarmupPeriod", default, skip_serializing_if = "Option::is_none")]
    pub instance_warmup_period: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedScalingStatus {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl ManagedScalingStatus {
    pub const ALL: &'static [ManagedScalingStatus] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedScalingStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedSecurityGroup {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagedStorageConfiguration {
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(
        rename = "fargateEphemeralStorageKmsKeyId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage_kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedTargetGroup {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status")]
    pub status: ManagedResourceStatus,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: f64,
    #[serde(rename = "healthCheckPath")]
    pub health_check_path: String,
    #[serde(rename = "healthCheckPort")]
    pub health_check_port: i32,
    #[serde(rename = "port")]
    pub port: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ManagedTerminationProtection {
    #[serde(rename = "ENABLED")]
    Enabled,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl ManagedTerminationProtection {
    pub const ALL: &'static [ManagedTerminationProtection] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for ManagedTerminationProtection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MemoryGiBPerVCpuRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryMiBRequest {
    #[serde(rename = "min")]
    pub min: i32,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MountPoint {
    #[serde(rename = "sourceVolume", default, skip_serializing_if = "Option::is_none")]
    pub source_volume: Option<String>,
    #[serde(rename = "containerPath", default, skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(rename = "readOnly", default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NetworkBandwidthGbpsRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NetworkBinding {
    #[serde(rename = "bindIP", default, skip_serializing_if = "Option::is_none")]
    pub bind_ip: Option<String>,
    #[serde(rename = "containerPort", default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "hostPort", default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    #[serde(rename = "protocol", default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<TransportProtocol>,
    #[serde(rename = "containerPortRange", default, skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
    #[serde(rename = "hostPortRange", default, skip_serializing_if = "Option::is_none")]
    pub host_port_range: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NetworkConfiguration {
    #[serde(rename = "awsvpcConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub awsvpc_configuration: Option<AwsVpcConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NetworkInterface {
    #[serde(rename = "attachmentId", default, skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
    #[serde(rename = "privateIpv4Address", default, skip_serializing_if = "Option::is_none")]
    pub private_ipv4_address: Option<String>,
    #[serde(rename = "ipv6Address", default, skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NetworkInterfaceCountRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NetworkMode {
    #[serde(rename = "bridge")]
    Bridge,
    #[serde(rename = "host")]
    Host,
    #[serde(rename = "awsvpc")]
    Awsvpc,
    #[serde(rename = "none")]
    None,
}

impl NetworkMode {
    pub const ALL: &'static [NetworkMode] = &[Self::Bridge, Self::Host, Self::Awsvpc, Self::None];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::Awsvpc => "awsvpc",
            Self::None => "none",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "bridge" => Some(Self::Bridge),
            "host" => Some(Self::Host),
            "awsvpc" => Some(Self::Awsvpc),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for NetworkMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OSFamily {
    #[serde(rename = "WINDOWS_SERVER_2019_FULL")]
    WindowsServer2019Full,
    #[serde(rename = "WINDOWS_SERVER_2019_CORE")]
    WindowsServer2019Core,
    #[serde(rename = "WINDOWS_SERVER_2016_FULL")]
    WindowsServer2016Full,
    #[serde(rename = "WINDOWS_SERVER_2004_CORE")]
    WindowsServer2004Core,
    #[serde(rename = "WINDOWS_SERVER_2022_CORE")]
    WindowsServer2022Core,
    #[serde(rename = "WINDOWS_SERVER_2022_FULL")]
    WindowsServer2022Full,
    #[serde(rename = "WINDOWS_SERVER_2025_CORE")]
    WindowsServer2025Core,
    #[serde(rename = "WINDOWS_SERVER_2025_FULL")]
    WindowsServer2025Full,
    #[serde(rename = "WINDOWS_SERVER_20H2_CORE")]
    WindowsServer20h2Core,
    #[serde(rename = "LINUX")]
    Linux,
}

impl OSFamily {
    pub const ALL: &'static [OSFamily] = &[
        Self::WindowsServer2019Full,
        Self::WindowsServer2019Core,
        Self::WindowsServer2016Full,
        Self::WindowsServer2004Core,
        Self::WindowsServer2022Core,
        Self::WindowsServer2022Full,
        Self::WindowsServer2025Core,
        Self::WindowsServer2025Full,
        Self::WindowsServer20h2Core,
        Self::Linux,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::WindowsServer2019Full => "WINDOWS_SERVER_2019_FULL",
            Self::WindowsServer2019Core => "WINDOWS_SERVER_2019_CORE",
            Self::WindowsServer2016Full => "WINDOWS_SERVER_2016_FULL",
            Self::WindowsServer2004Core => "WINDOWS_SERVER_2004_CORE",
            Self::WindowsServer2022Core => "WINDOWS_SERVER_2022_CORE",
            Self::WindowsServer2022Full => "WINDOWS_SERVER_2022_FULL",
            Self::WindowsServer2025Core => "WINDOWS_SERVER_2025_CORE",
            Self::WindowsServer2025Full => "WINDOWS_SERVER_2025_FULL",
            Self::WindowsServer20h2Core => "WINDOWS_SERVER_20H2_CORE",
            Self::Linux => "LINUX",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "WINDOWS_SERVER_2019_FULL" => Some(Self::WindowsServer2019Full),
            "WINDOWS_SERVER_2019_CORE" => Some(Self::WindowsServer2019Core),
            "WINDOWS_SERVER_2016_FULL" => Some(Self::WindowsServer2016Full),
            "WINDOWS_SERVER_2004_CORE" => Some(Self::WindowsServer2004Core),
            "WINDOWS_SERVER_2022_CORE" => Some(Self::WindowsServer2022Core),
            "WINDOWS_SERVER_2022_FULL" => Some(Self::WindowsServer2022Full),
            "WINDOWS_SERVER_2025_CORE" => Some(Self::WindowsServer2025Core),
            "WINDOWS_SERVER_2025_FULL" => Some(Self::WindowsServer2025Full),
            "WINDOWS_SERVER_20H2_CORE" => Some(Self::WindowsServer20h2Core),
            "LINUX" => Some(Self::Linux),
            _ => None,
        }
    }
}

impl std::fmt::Display for OSFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PidMode {
    #[serde(rename = "host")]
    Host,
    #[serde(rename = "task")]
    Task,
}

impl PidMode {
    pub const ALL: &'static [PidMode] = &[Self::Host, Self::Task];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::Task => "task",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "host" => Some(Self::Host),
            "task" => Some(Self::Task),
            _ => None,
        }
    }
}

impl std::fmt::Display for PidMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlacementConstraint {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<PlacementConstraintType>,
    #[serde(rename = "expression", default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlacementConstraintType {
    #[serde(rename = "distinctInstance")]
    DistinctInstance,
    #[serde(rename = "memberOf")]
    MemberOf,
}

impl PlacementConstraintType {
    pub const ALL: &'static [PlacementConstraintType] = &[Self::DistinctInstance, Self::MemberOf];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::DistinctInstance => "distinctInstance",
            Self::MemberOf => "memberOf",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "distinctInstance" => Some(Self::DistinctInstance),
            "memberOf" => Some(Self::MemberOf),
            _ => None,
        }
    }
}

impl std::fmt::Display for PlacementConstraintType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlacementStrategy {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<PlacementStrategyType>,
    #[serde(rename = "field", default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlacementStrategyType {
    #[serde(rename = "random")]
    Random,
    #[serde(rename = "spread")]
    Spread,
    #[serde(rename = "binpack")]
    Binpack,
}

impl PlacementStrategyType {
    pub const ALL: &'static [PlacementStrategyType] = &[Self::Random, Self::Spread, Self::Binpack];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Random => "random",
            Self::Spread => "spread",
            Self::Binpack => "binpack",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "random" => Some(Self::Random),
            "spread" => Some(Self::Spread),
            "binpack" => Some(Self::Binpack),
            _ => None,
        }
    }
}

impl std::fmt::Display for PlacementStrategyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformDevice {
    #[serde(rename = "id")]
    pub id: String,
    #[serde(rename = "type")]
    pub r#type: PlatformDeviceType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlatformDeviceType {
    #[serde(rename = "GPU")]
    Gpu,
}

impl PlatformDeviceType {
    pub const ALL: &'static [PlatformDeviceType] = &[Self::Gpu];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Gpu => "GPU",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "GPU" => Some(Self::Gpu),
            _ => None,
        }
    }
}

impl std::fmt::Display for PlatformDeviceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PortMapping {
    #[serde(rename = "containerPort", default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "hostPort", default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    #[serde(rename = "protocol", default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<TransportProtocol>,
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "appProtocol", default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<ApplicationProtocol>,
    #[serde(rename = "containerPortRange", default, skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PropagateMITags {
    #[serde(rename = "CAPACITY_PROVIDER")]
    CapacityProvider,
    #[serde(rename = "NONE")]
    None,
}

impl PropagateMITags {
    pub const ALL: &'static [PropagateMITags] = &[Self::CapacityProvider, Self::None];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::CapacityProvider => "CAPACITY_PROVIDER",
            Self::None => "NONE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CAPACITY_PROVIDER" => Some(Self::CapacityProvider),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for PropagateMITags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PropagateTags {
    #[serde(rename = "TASK_DEFINITION")]
    TaskDefinition,
    #[serde(rename = "SERVICE")]
    Service,
    #[serde(rename = "NONE")]
    None,
}

impl PropagateTags {
    pub const ALL: &'static [PropagateTags] = &[Self::TaskDefinition, Self::Service, Self::None];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::TaskDefinition => "TASK_DEFINITION",
            Self::Service => "SERVICE",
            Self::None => "NONE",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TASK_DEFINITION" => Some(Self::TaskDefinition),
            "SERVICE" => Some(Self::Service),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for PropagateTags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProtectedTask {
    #[serde(rename = "taskArn", default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "protectionEnabled", default, skip_serializing_if = "Option::is_none")]
    pub protection_enabled: Option<bool>,
    #[serde(rename = "expirationDate", default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyConfiguration {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ProxyConfigurationType>,
    #[serde(rename = "containerName")]
    pub container_name: String,
    #[serde(rename = "properties", default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<KeyValuePair>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProxyConfigurationType {
    #[serde(rename = "APPMESH")]
    Appmesh,
}

impl ProxyConfigurationType {
    pub const ALL: &'static [ProxyConfigurationType] = &[Self::Appmesh];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Appmesh => "APPMESH",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "APPMESH" => Some(Self::Appmesh),
            _ => None,
        }
    }
}

impl std::fmt::Display for ProxyConfigurationType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PutAccountSettingDefaultRequest {
    #[serde(rename = "name")]
    pub name: SettingName,
    #[serde(rename = "value")]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PutAccountSettingDefaultResponse {
    #[serde(rename = "setting", default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PutAccountSettingRequest {
    #[serde(rename = "name")]
    pub name: SettingName,
    #[serde(rename = "value")]
    pub value: String,
    #[serde(rename = "principalArn", default, skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PutAccountSettingResponse {
    #[serde(rename = "setting", default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PutAttributesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attributes")]
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PutAttributesResponse {
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PutClusterCapacityProvidersRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "capacityProviders")]
    pub capacity_providers: Vec<String>,
    #[serde(rename = "defaultCapacityProviderStrategy")]
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PutClusterCapacityProvidersResponse {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegisterContainerInstanceRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "instanceIdentityDocument", default, skip_serializing_if = "Option::is_none")]
    pub instance_identity_document: Option<String>,
    #[serde(
        rename = "instanceIdentityDocumentSignature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_identity_document_signature: Option<String>,
    #[serde(rename = "totalResources", default, skip_serializing_if = "Option::is_none")]
    pub total_resources: Option<Vec<Resource>>,
    #[serde(rename = "versionInfo", default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    #[serde(rename = "containerInstanceArn", default, skip_serializing_if = "Option::is_none")]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "platformDevices", default, skip_serializing_if = "Option::is_none")]
    pub platform_devices: Option<Vec<PlatformDevice>>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegisterContainerInstanceResponse {
    #[serde(rename = "containerInstance", default, skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterDaemonTaskDefinitionRequest {
    #[serde(rename = "family")]
    pub family: String,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "containerDefinitions")]
    pub container_definitions: Vec<DaemonContainerDefinition>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "volumes", default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<DaemonVolume>>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegisterDaemonTaskDefinitionResponse {
    #[serde(rename = "daemonTaskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_task_definition_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterTaskDefinitionRequest {
    #[serde(rename = "family")]
    pub family: String,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "networkMode", default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    #[serde(rename = "containerDefinitions")]
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(rename = "volumes", default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<TaskDefinitionPlacementConstraint>>,
    #[serde(rename = "requiresCompatibilities", default, skip_serializing_if = "Option::is_none")]
    pub requires_compatibilities: Option<Vec<Compatibility>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "pidMode", default, skip_serializing_if = "Option::is_none")]
    pub pid_mode: Option<PidMode>,
    #[serde(rename = "ipcMode", default, skip_serializing_if = "Option::is_none")]
    pub ipc_mode: Option<IpcMode>,
    #[serde(rename = "proxyConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub proxy_configuration: Option<ProxyConfiguration>,
    #[serde(rename = "inferenceAccelerators", default, skip_serializing_if = "Option::is_none")]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "ephemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(rename = "runtimePlatform", default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(rename = "enableFaultInjection", default, skip_serializing_if = "Option::is_none")]
    pub enable_fault_injection: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegisterTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepositoryCredentials {
    #[serde(rename = "credentialsParameter")]
    pub credentials_parameter: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ResolvedConfiguration {
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<ServiceRevisionLoadBalancer>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Resource {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "doubleValue", default, skip_serializing_if = "Option::is_none")]
    pub double_value: Option<f64>,
    #[serde(rename = "longValue", default, skip_serializing_if = "Option::is_none")]
    pub long_value: Option<i64>,
    #[serde(rename = "integerValue", default, skip_serializing_if = "Option::is_none")]
    pub integer_value: Option<i32>,
    #[serde(rename = "stringSetValue", default, skip_serializing_if = "Option::is_none")]
    pub string_set_value: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceManagementType {
    #[serde(rename = "CUSTOMER")]
    Customer,
    #[serde(rename = "ECS")]
    Ecs,
}

impl ResourceManagementType {
    pub const ALL: &'static [ResourceManagementType] = &[Self::Customer, Self::Ecs];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Customer => "CUSTOMER",
            Self::Ecs => "ECS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CUSTOMER" => Some(Self::Customer),
            "ECS" => Some(Self::Ecs),
            _ => None,
        }
    }
}

impl std::fmt::Display for ResourceManagementType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRequirement {
    #[serde(rename = "value")]
    pub value: String,
    #[serde(rename = "type")]
    pub r#type: ResourceType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceType {
    #[serde(rename = "GPU")]
    Gpu,
    #[serde(rename = "InferenceAccelerator")]
    InferenceAccelerator,
}

impl ResourceType {
    pub const ALL: &'static [ResourceType] = &[Self::Gpu, Self::InferenceAccelerator];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Gpu => "GPU",
            Self::InferenceAccelerator => "InferenceAccelerator",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "GPU" => Some(Self::Gpu),
            "InferenceAccelerator" => Some(Self::InferenceAccelerator),
            _ => None,
        }
    }
}

impl std::fmt::Display for ResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Rollback {
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "serviceRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub service_revision_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunTaskRequest {
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "group", default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "overrides", default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", default, skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
    #[serde(rename = "referenceId", default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(rename = "startedBy", default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskDefinition")]
    pub task_definition: String,
    #[serde(rename = "clientToken", default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<TaskVolumeConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RunTaskResponse {
    #[serde(rename = "tasks", default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RuntimePlatform {
    #[serde(rename = "cpuArchitecture", default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<CPUArchitecture>,
    #[serde(rename = "operatingSystemFamily", default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<OSFamily>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3FilesVolumeConfiguration {
    #[serde(rename = "fileSystemArn")]
    pub file_system_arn: String,
    #[serde(rename = "rootDirectory", default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(rename = "transitEncryptionPort", default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption_port: Option<i32>,
    #[serde(rename = "accessPointArn", default, skip_serializing_if = "Option::is_none")]
    pub access_point_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Scale {
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(rename = "unit", default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<ScaleUnit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ScaleUnit {
    #[serde(rename = "PERCENT")]
    Percent,
}

impl ScaleUnit {
    pub const ALL: &'static [ScaleUnit] = &[Self::Percent];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Percent => "PERCENT",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PERCENT" => Some(Self::Percent),
            _ => None,
        }
    }
}

impl std::fmt::Display for ScaleUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SchedulingStrategy {
    #[serde(rename = "REPLICA")]
    Replica,
    #[serde(rename = "DAEMON")]
    Daemon,
}

impl SchedulingStrategy {
    pub const ALL: &'static [SchedulingStrategy] = &[Self::Replica, Self::Daemon];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Replica => "REPLICA",
            Self::Daemon => "DAEMON",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "REPLICA" => Some(Self::Replica),
            "DAEMON" => Some(Self::Daemon),
            _ => None,
        }
    }
}

impl std::fmt::Display for SchedulingStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "task")]
    Task,
    #[serde(rename = "shared")]
    Shared,
}

impl Scope {
    pub const ALL: &'static [Scope] = &[Self::Task, Self::Shared];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::Shared => "shared",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "task" => Some(Self::Task),
            "shared" => Some(Self::Shared),
            _ => None,
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "valueFrom")]
    pub value_from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Service {
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "desiredCount", default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "runningCount", default, skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "pendingCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(rename = "taskSets", default, skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<TaskSet>>,
    #[serde(rename = "deployments", default, skip_serializing_if = "Option::is_none")]
    pub deployments: Option<Vec<Deployment>>,
    #[serde(rename = "roleArn", default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "events", default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<ServiceEvent>>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "currentServiceDeployment", default, skip_serializing_if = "Option::is_none")]
    pub current_service_deployment: Option<String>,
    #[serde(rename = "currentServiceRevisions", default, skip_serializing_if = "Option::is_none")]
    pub current_service_revisions: Option<Vec<ServiceCurrentRevisionSummary>>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", default, skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(rename = "schedulingStrategy", default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(rename = "deploymentController", default, skip_serializing_if = "Option::is_none")]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<AvailabilityZoneRebalancing>,
    #[serde(rename = "resourceManagementType", default, skip_serializing_if = "Option::is_none")]
    pub resource_management_type: Option<ResourceManagementType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectAccessLogConfiguration {
    #[serde(rename = "format")]
    pub format: ServiceConnectAccessLoggingFormat,
    #[serde(rename = "includeQueryParameters", default, skip_serializing_if = "Option::is_none")]
    pub include_query_parameters: Option<ServiceConnectIncludeQueryParameters>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceConnectAccessLoggingFormat {
    #[serde(rename = "TEXT")]
    Text,
    #[serde(rename = "JSON")]
    Json,
}

impl ServiceConnectAccessLoggingFormat {
    pub const ALL: &'static [ServiceConnectAccessLoggingFormat] = &[Self::Text, Self::Json];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "TEXT",
            Self::Json => "JSON",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TEXT" => Some(Self::Text),
            "JSON" => Some(Self::Json),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceConnectAccessLoggingFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectClientAlias {
    #[serde(rename = "port")]
    pub port: i32,
    #[serde(rename = "dnsName", default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    #[serde(rename = "testTrafficRules", default, skip_serializing_if = "Option::is_none")]
    pub test_traffic_rules: Option<ServiceConnectTestTrafficRules>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectConfiguration {
    #[serde(rename = "enabled")]
    pub enabled: bool,
    #[serde(rename = "namespace", default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(rename = "services", default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<ServiceConnectService>>,
    #[serde(rename = "logConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(rename = "accessLogConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub access_log_configuration: Option<ServiceConnectAccessLogConfiguration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceConnectIncludeQueryParameters {
    #[serde(rename = "DISABLED")]
    Disabled,
    #[serde(rename = "ENABLED")]
    Enabled,
}

impl ServiceConnectIncludeQueryParameters {
    pub const ALL: &'static [ServiceConnectIncludeQueryParameters] =
        &[Self::Disabled, Self::Enabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Disabled => "DISABLED",
            Self::Enabled => "ENABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "DISABLED" => Some(Self::Disabled),
            "ENABLED" => Some(Self::Enabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceConnectIncludeQueryParameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectService {
    #[serde(rename = "portName")]
    pub port_name: String,
    #[serde(rename = "discoveryName", default, skip_serializing_if = "Option::is_none")]
    pub discovery_name: Option<String>,
    #[serde(rename = "clientAliases", default, skip_serializing_if = "Option::is_none")]
    pub client_aliases: Option<Vec<ServiceConnectClientAlias>>,
    #[serde(rename = "ingressPortOverride", default, skip_serializing_if = "Option::is_none")]
    pub ingress_port_override: Option<i32>,
    #[serde(rename = "timeout", default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<TimeoutConfiguration>,
    #[serde(rename = "tls", default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServiceConnectTlsConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceConnectServiceResource {
    #[serde(rename = "discoveryName", default, skip_serializing_if = "Option::is_none")]
    pub discovery_name: Option<String>,
    #[serde(rename = "discoveryArn", default, skip_serializing_if = "Option::is_none")]
    pub discovery_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectTestTrafficHeaderMatchRules {
    #[serde(rename = "exact")]
    pub exact: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectTestTrafficHeaderRules {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ServiceConnectTestTrafficHeaderMatchRules>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectTestTrafficRules {
    #[serde(rename = "header")]
    pub header: ServiceConnectTestTrafficHeaderRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceConnectTlsCertificateAuthority {
    #[serde(rename = "awsPcaAuthorityArn", default, skip_serializing_if = "Option::is_none")]
    pub aws_pca_authority_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceConnectTlsConfiguration {
    #[serde(rename = "issuerCertificateAuthority")]
    pub issuer_certificate_authority: ServiceConnectTlsCertificateAuthority,
    #[serde(rename = "kmsKey", default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    #[serde(rename = "roleArn", default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceCurrentRevisionSummary {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "requestedTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub requested_task_count: Option<i32>,
    #[serde(rename = "runningTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub running_task_count: Option<i32>,
    #[serde(rename = "pendingTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_task_count: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceDeployment {
    #[serde(rename = "serviceDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "finishedAt", default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
    #[serde(rename = "stoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "sourceServiceRevisions", default, skip_serializing_if = "Option::is_none")]
    pub source_service_revisions: Option<Vec<ServiceRevisionSummary>>,
    #[serde(rename = "targetServiceRevision", default, skip_serializing_if = "Option::is_none")]
    pub target_service_revision: Option<ServiceRevisionSummary>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceDeploymentStatus>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "lifecycleStage", default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<ServiceDeploymentLifecycleStage>,
    #[serde(rename = "lifecycleHookDetails", default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_hook_details: Option<Vec<DeploymentLifecycleHookDetail>>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(rename = "rollback", default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Rollback>,
    #[serde(rename = "deploymentCircuitBreaker", default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<ServiceDeploymentCircuitBreaker>,
    #[serde(rename = "alarms", default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<ServiceDeploymentAlarms>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceDeploymentAlarms {
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceDeploymentRollbackMonitorsStatus>,
    #[serde(rename = "alarmNames", default, skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(rename = "triggeredAlarmNames", default, skip_serializing_if = "Option::is_none")]
    pub triggered_alarm_names: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceDeploymentBrief {
    #[serde(rename = "serviceDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "finishedAt", default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
    #[serde(rename = "targetServiceRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub target_service_revision_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceDeploymentStatus>,
    #[serde(rename = "statusReason", default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceDeploymentCircuitBreaker {
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceDeploymentRollbackMonitorsStatus>,
    #[serde(rename = "failureCount", default, skip_serializing_if = "Option::is_none")]
    pub failure_count: Option<i32>,
    #[serde(rename = "threshold", default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceDeploymentLifecycleStage {
    #[serde(rename = "RECONCILE_SERVICE")]
    ReconcileService,
    #[serde(rename = "PRE_SCALE_UP")]
    PreScaleUp,
    #[serde(rename = "SCALE_UP")]
    ScaleUp,
    #[serde(rename = "POST_SCALE_UP")]
    PostScaleUp,
    #[serde(rename = "TEST_TRAFFIC_SHIFT")]
    TestTrafficShift,
    #[serde(rename = "POST_TEST_TRAFFIC_SHIFT")]
    PostTestTrafficShift,
    #[serde(rename = "PRODUCTION_TRAFFIC_SHIFT")]
    ProductionTrafficShift,
    #[serde(rename = "POST_PRODUCTION_TRAFFIC_SHIFT")]
    PostProductionTrafficShift,
    #[serde(rename = "BAKE_TIME")]
    BakeTime,
    #[serde(rename = "CLEAN_UP")]
    CleanUp,
}

impl ServiceDeploymentLifecycleStage {
    pub const ALL: &'static [ServiceDeploymentLifecycleStage] = &[
        Self::ReconcileService,
        Self::PreScaleUp,
        Self::ScaleUp,
        Self::PostScaleUp,
        Self::TestTrafficShift,
        Self::PostTestTrafficShift,
        Self::ProductionTrafficShift,
        Self::PostProductionTrafficShift,
        Self::BakeTime,
        Self::CleanUp,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReconcileService => "RECONCILE_SERVICE",
            Self::PreScaleUp => "PRE_SCALE_UP",
            Self::ScaleUp => "SCALE_UP",
            Self::PostScaleUp => "POST_SCALE_UP",
            Self::TestTrafficShift => "TEST_TRAFFIC_SHIFT",
            Self::PostTestTrafficShift => "POST_TEST_TRAFFIC_SHIFT",
            Self::ProductionTrafficShift => "PRODUCTION_TRAFFIC_SHIFT",
            Self::PostProductionTrafficShift => "POST_PRODUCTION_TRAFFIC_SHIFT",
            Self::BakeTime => "BAKE_TIME",
            Self::CleanUp => "CLEAN_UP",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RECONCILE_SERVICE" => Some(Self::ReconcileService),
            "PRE_SCALE_UP" => Some(Self::PreScaleUp),
            "SCALE_UP" => Some(Self::ScaleUp),
            "POST_SCALE_UP" => Some(Self::PostScaleUp),
            "TEST_TRAFFIC_SHIFT" => Some(Self::TestTrafficShift),
            "POST_TEST_TRAFFIC_SHIFT" => Some(Self::PostTestTrafficShift),
            "PRODUCTION_TRAFFIC_SHIFT" => Some(Self::ProductionTrafficShift),
            "POST_PRODUCTION_TRAFFIC_SHIFT" => Some(Self::PostProductionTrafficShift),
            "BAKE_TIME" => Some(Self::BakeTime),
            "CLEAN_UP" => Some(Self::CleanUp),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceDeploymentLifecycleStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceDeploymentRollbackMonitorsStatus {
    #[serde(rename = "TRIGGERED")]
    Triggered,
    #[serde(rename = "MONITORING")]
    Monitoring,
    #[serde(rename = "MONITORING_COMPLETE")]
    MonitoringComplete,
    #[serde(rename = "DISABLED")]
    Disabled,
}

impl ServiceDeploymentRollbackMonitorsStatus {
    pub const ALL: &'static [ServiceDeploymentRollbackMonitorsStatus] =
        &[Self::Triggered, Self::Monitoring, Self::MonitoringComplete, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Triggered => "TRIGGERED",
            Self::Monitoring => "MONITORING",
            Self::MonitoringComplete => "MONITORING_COMPLETE",
            Self::Disabled => "DISABLED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TRIGGERED" => Some(Self::Triggered),
            "MONITORING" => Some(Self::Monitoring),
            "MONITORING_COMPLETE" => Some(Self::MonitoringComplete),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceDeploymentRollbackMonitorsStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceDeploymentStatus {
    #[serde(rename = "PENDING")]
    Pending,
    #[serde(rename = "SUCCESSFUL")]
    Successful,
    #[serde(rename = "STOPPED")]
    Stopped,
    #[serde(rename = "STOP_REQUESTED")]
    StopRequested,
    #[serde(rename = "IN_PROGRESS")]
    InProgress,
    #[serde(rename = "ROLLBACK_REQUESTED")]
    RollbackRequested,
    #[serde(rename = "ROLLBACK_IN_PROGRESS")]
    RollbackInProgress,
    #[serde(rename = "ROLLBACK_SUCCESSFUL")]
    RollbackSuccessful,
    #[serde(rename = "ROLLBACK_FAILED")]
    RollbackFailed,
}

impl ServiceDeploymentStatus {
    pub const ALL: &'static [ServiceDeploymentStatus] = &[
        Self::Pending,
        Self::Successful,
        Self::Stopped,
        Self::StopRequested,
        Self::InProgress,
        Self::RollbackRequested,
        Self::RollbackInProgress,
        Self::RollbackSuccessful,
        Self::RollbackFailed,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Successful => "SUCCESSFUL",
            Self::Stopped => "STOPPED",
            Self::StopRequested => "STOP_REQUESTED",
            Self::InProgress => "IN_PROGRESS",
            Self::RollbackRequested => "ROLLBACK_REQUESTED",
            Self::RollbackInProgress => "ROLLBACK_IN_PROGRESS",
            Self::RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
            Self::RollbackFailed => "ROLLBACK_FAILED",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PENDING" => Some(Self::Pending),
            "SUCCESSFUL" => Some(Self::Successful),
            "STOPPED" => Some(Self::Stopped),
            "STOP_REQUESTED" => Some(Self::StopRequested),
            "IN_PROGRESS" => Some(Self::InProgress),
            "ROLLBACK_REQUESTED" => Some(Self::RollbackRequested),
            "ROLLBACK_IN_PROGRESS" => Some(Self::RollbackInProgress),
            "ROLLBACK_SUCCESSFUL" => Some(Self::RollbackSuccessful),
            "ROLLBACK_FAILED" => Some(Self::RollbackFailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceDeploymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceEvent {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "message", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceField {
    #[serde(rename = "TAGS")]
    Tags,
}

impl ServiceField {
    pub const ALL: &'static [ServiceField] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceManagedEBSVolumeConfiguration {
    #[serde(rename = "encrypted", default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "volumeType", default, skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    #[serde(rename = "sizeInGiB", default, skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "snapshotId", default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(rename = "volumeInitializationRate", default, skip_serializing_if = "Option::is_none")]
    pub volume_initialization_rate: Option<i32>,
    #[serde(rename = "iops", default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<i32>,
    #[serde(rename = "throughput", default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i32>,
    #[serde(rename = "tagSpecifications", default, skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Vec<EBSTagSpecification>>,
    #[serde(rename = "roleArn")]
    pub role_arn: String,
    #[serde(rename = "filesystemType", default, skip_serializing_if = "Option::is_none")]
    pub filesystem_type: Option<TaskFilesystemType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceRegistry {
    #[serde(rename = "registryArn", default, skip_serializing_if = "Option::is_none")]
    pub registry_arn: Option<String>,
    #[serde(rename = "port", default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "containerPort", default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceRevision {
    #[serde(rename = "serviceRevisionArn", default, skip_serializing_if = "Option::is_none")]
    pub service_revision_arn: Option<String>,
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "containerImages", default, skip_serializing_if = "Option::is_none")]
    pub container_images: Option<Vec<ContainerImage>>,
    #[serde(rename = "guardDutyEnabled", default, skip_serializing_if = "Option::is_none")]
    pub guard_duty_enabled: Option<bool>,
    #[serde(
        rename = "serviceConnectConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(rename = "fargateEphemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "vpcLatticeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
    #[serde(rename = "resolvedConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub resolved_configuration: Option<ResolvedConfiguration>,
    #[serde(rename = "ecsManagedResources", default, skip_serializing_if = "Option::is_none")]
    pub ecs_managed_resources: Option<ECSManagedResources>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceRevisionLoadBalancer {
    #[serde(rename = "targetGroupArn", default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(rename = "productionListenerRule", default, skip_serializing_if = "Option::is_none")]
    pub production_listener_rule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceRevisionSummary {
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "requestedTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub requested_task_count: Option<i32>,
    #[serde(rename = "runningTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub running_task_count: Option<i32>,
    #[serde(rename = "pendingTaskCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_task_count: Option<i32>,
    #[serde(
        rename = "requestedTestTrafficWeight",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_test_traffic_weight: Option<f64>,
    #[serde(
        rename = "requestedProductionTrafficWeight",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_production_traffic_weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceVolumeConfiguration {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "managedEBSVolume", default, skip_serializing_if = "Option::is_none")]
    pub managed_ebs_volume: Option<ServiceManagedEBSVolumeConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Session {
    #[serde(rename = "sessionId", default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(rename = "streamUrl", default, skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
    #[serde(rename = "tokenValue", default, skip_serializing_if = "Option::is_none")]
    pub token_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Setting {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<SettingName>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "principalArn", default, skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<SettingType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SettingName {
    #[serde(rename = "serviceLongArnFormat")]
    ServiceLongArnFormat,
    #[serde(rename = "taskLongArnFormat")]
    TaskLongArnFormat,
    #[serde(rename = "containerInstanceLongArnFormat")]
    ContainerInstanceLongArnFormat,
    #[serde(rename = "awsvpcTrunking")]
    AwsvpcTrunking,
    #[serde(rename = "containerInsights")]
    ContainerInsights,
    #[serde(rename = "fargateFIPSMode")]
    FargateFIPSMode,
    #[serde(rename = "tagResourceAuthorization")]
    TagResourceAuthorization,
    #[serde(rename = "fargateTaskRetirementWaitPeriod")]
    FargateTaskRetirementWaitPeriod,
    #[serde(rename = "guardDutyActivate")]
    GuardDutyActivate,
    #[serde(rename = "defaultLogDriverMode")]
    DefaultLogDriverMode,
    #[serde(rename = "fargateEventWindows")]
    FargateEventWindows,
}

impl SettingName {
    pub const ALL: &'static [SettingName] = &[
        Self::ServiceLongArnFormat,
        Self::TaskLongArnFormat,
        Self::ContainerInstanceLongArnFormat,
        Self::AwsvpcTrunking,
        Self::ContainerInsights,
        Self::FargateFIPSMode,
        Self::TagResourceAuthorization,
        Self::FargateTaskRetirementWaitPeriod,
        Self::GuardDutyActivate,
        Self::DefaultLogDriverMode,
        Self::FargateEventWindows,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ServiceLongArnFormat => "serviceLongArnFormat",
            Self::TaskLongArnFormat => "taskLongArnFormat",
            Self::ContainerInstanceLongArnFormat => "containerInstanceLongArnFormat",
            Self::AwsvpcTrunking => "awsvpcTrunking",
            Self::ContainerInsights => "containerInsights",
            Self::FargateFIPSMode => "fargateFIPSMode",
            Self::TagResourceAuthorization => "tagResourceAuthorization",
            Self::FargateTaskRetirementWaitPeriod => "fargateTaskRetirementWaitPeriod",
            Self::GuardDutyActivate => "guardDutyActivate",
            Self::DefaultLogDriverMode => "defaultLogDriverMode",
            Self::FargateEventWindows => "fargateEventWindows",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "serviceLongArnFormat" => Some(Self::ServiceLongArnFormat),
            "taskLongArnFormat" => Some(Self::TaskLongArnFormat),
            "containerInstanceLongArnFormat" => Some(Self::ContainerInstanceLongArnFormat),
            "awsvpcTrunking" => Some(Self::AwsvpcTrunking),
            "containerInsights" => Some(Self::ContainerInsights),
            "fargateFIPSMode" => Some(Self::FargateFIPSMode),
            "tagResourceAuthorization" => Some(Self::TagResourceAuthorization),
            "fargateTaskRetirementWaitPeriod" => Some(Self::FargateTaskRetirementWaitPeriod),
            "guardDutyActivate" => Some(Self::GuardDutyActivate),
            "defaultLogDriverMode" => Some(Self::DefaultLogDriverMode),
            "fargateEventWindows" => Some(Self::FargateEventWindows),
            _ => None,
        }
    }
}

impl std::fmt::Display for SettingName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SettingType {
    #[serde(rename = "user")]
    User,
    #[serde(rename = "aws_managed")]
    AwsManaged,
}

impl SettingType {
    pub const ALL: &'static [SettingType] = &[Self::User, Self::AwsManaged];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::User => "user",
            Self::AwsManaged => "aws_managed",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "user" => Some(Self::User),
            "aws_managed" => Some(Self::AwsManaged),
            _ => None,
        }
    }
}

impl std::fmt::Display for SettingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SortOrder {
    #[serde(rename = "ASC")]
    Asc,
    #[serde(rename = "DESC")]
    Desc,
}

impl SortOrder {
    pub const ALL: &'static [SortOrder] = &[Self::Asc, Self::Desc];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ASC" => Some(Self::Asc),
            "DESC" => Some(Self::Desc),
            _ => None,
        }
    }
}

impl std::fmt::Display for SortOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StabilityStatus {
    #[serde(rename = "STEADY_STATE")]
    SteadyState,
    #[serde(rename = "STABILIZING")]
    Stabilizing,
}

impl StabilityStatus {
    pub const ALL: &'static [StabilityStatus] = &[Self::SteadyState, Self::Stabilizing];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::SteadyState => "STEADY_STATE",
            Self::Stabilizing => "STABILIZING",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "STEADY_STATE" => Some(Self::SteadyState),
            "STABILIZING" => Some(Self::Stabilizing),
            _ => None,
        }
    }
}

impl std::fmt::Display for StabilityStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartTaskRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances")]
    pub container_instances: Vec<String>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "group", default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "overrides", default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
    #[serde(rename = "referenceId", default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(rename = "startedBy", default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskDefinition")]
    pub task_definition: String,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<TaskVolumeConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StartTaskResponse {
    #[serde(rename = "tasks", default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopServiceDeploymentRequest {
    #[serde(rename = "serviceDeploymentArn")]
    pub service_deployment_arn: String,
    #[serde(rename = "stopType", default, skip_serializing_if = "Option::is_none")]
    pub stop_type: Option<StopServiceDeploymentStopType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StopServiceDeploymentResponse {
    #[serde(rename = "serviceDeploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub service_deployment_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StopServiceDeploymentStopType {
    #[serde(rename = "ABORT")]
    Abort,
    #[serde(rename = "ROLLBACK")]
    Rollback,
}

impl StopServiceDeploymentStopType {
    pub const ALL: &'static [StopServiceDeploymentStopType] = &[Self::Abort, Self::Rollback];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Abort => "ABORT",
            Self::Rollback => "ROLLBACK",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ABORT" => Some(Self::Abort),
            "ROLLBACK" => Some(Self::Rollback),
            _ => None,
        }
    }
}

impl std::fmt::Display for StopServiceDeploymentStopType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopTaskRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task")]
    pub task: String,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StopTaskResponse {
    #[serde(rename = "task", default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitAttachmentStateChangesRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attachments")]
    pub attachments: Vec<AttachmentStateChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SubmitAttachmentStateChangesResponse {
    #[serde(rename = "acknowledgment", default, skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SubmitContainerStateChangeRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task", default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(rename = "containerName", default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "runtimeId", default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "exitCode", default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "networkBindings", default, skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SubmitContainerStateChangeResponse {
    #[serde(rename = "acknowledgment", default, skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SubmitTaskStateChangeRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task", default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "containers", default, skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<ContainerStateChange>>,
    #[serde(rename = "attachments", default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentStateChange>>,
    #[serde(rename = "managedAgents", default, skip_serializing_if = "Option::is_none")]
    pub managed_agents: Option<Vec<ManagedAgentStateChange>>,
    #[serde(rename = "pullStartedAt", default, skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<f64>,
    #[serde(rename = "pullStoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<f64>,
    #[serde(rename = "executionStoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SubmitTaskStateChangeResponse {
    #[serde(rename = "acknowledgment", default, skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SystemControl {
    #[serde(rename = "namespace", default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Tag {
    #[serde(rename = "key", default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagResourceRequest {
    #[serde(rename = "resourceArn")]
    pub resource_arn: String,
    #[serde(rename = "tags")]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TagResourceResponse {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TargetType {
    #[serde(rename = "container-instance")]
    ContainerInstance,
}

impl TargetType {
    pub const ALL: &'static [TargetType] = &[Self::ContainerInstance];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ContainerInstance => "container-instance",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "container-instance" => Some(Self::ContainerInstance),
            _ => None,
        }
    }
}

impl std::fmt::Display for TargetType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Task {
    #[serde(rename = "attachments", default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "availabilityZone", default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(rename = "capacityProviderName", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_name: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "connectivity", default, skip_serializing_if = "Option::is_none")]
    pub connectivity: Option<Connectivity>,
    #[serde(rename = "connectivityAt", default, skip_serializing_if = "Option::is_none")]
    pub connectivity_at: Option<f64>,
    #[serde(rename = "containerInstanceArn", default, skip_serializing_if = "Option::is_none")]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "containers", default, skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<Container>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "desiredStatus", default, skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<String>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "executionStoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<f64>,
    #[serde(rename = "group", default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "healthStatus", default, skip_serializing_if = "Option::is_none")]
    pub health_status: Option<HealthStatus>,
    #[serde(rename = "inferenceAccelerators", default, skip_serializing_if = "Option::is_none")]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "lastStatus", default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "overrides", default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "pullStartedAt", default, skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<f64>,
    #[serde(rename = "pullStoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<f64>,
    #[serde(rename = "startedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "startedBy", default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "stopCode", default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<TaskStopCode>,
    #[serde(rename = "stoppedAt", default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "stoppedReason", default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    #[serde(rename = "stoppingAt", default, skip_serializing_if = "Option::is_none")]
    pub stopping_at: Option<f64>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskArn", default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "taskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    #[serde(rename = "version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(rename = "ephemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(rename = "fargateEphemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub fargate_ephemeral_storage: Option<TaskEphemeralStorage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskDefinition {
    #[serde(rename = "taskDefinitionArn", default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    #[serde(rename = "containerDefinitions", default, skip_serializing_if = "Option::is_none")]
    pub container_definitions: Option<Vec<ContainerDefinition>>,
    #[serde(rename = "family", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "networkMode", default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    #[serde(rename = "revision", default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i32>,
    #[serde(rename = "volumes", default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskDefinitionStatus>,
    #[serde(rename = "requiresAttributes", default, skip_serializing_if = "Option::is_none")]
    pub requires_attributes: Option<Vec<Attribute>>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<TaskDefinitionPlacementConstraint>>,
    #[serde(rename = "compatibilities", default, skip_serializing_if = "Option::is_none")]
    pub compatibilities: Option<Vec<Compatibility>>,
    #[serde(rename = "runtimePlatform", default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(rename = "requiresCompatibilities", default, skip_serializing_if = "Option::is_none")]
    pub requires_compatibilities: Option<Vec<Compatibility>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "inferenceAccelerators", default, skip_serializing_if = "Option::is_none")]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "pidMode", default, skip_serializing_if = "Option::is_none")]
    pub pid_mode: Option<PidMode>,
    #[serde(rename = "ipcMode", default, skip_serializing_if = "Option::is_none")]
    pub ipc_mode: Option<IpcMode>,
    #[serde(rename = "proxyConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub proxy_configuration: Option<ProxyConfiguration>,
    #[serde(rename = "registeredAt", default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "deregisteredAt", default, skip_serializing_if = "Option::is_none")]
    pub deregistered_at: Option<f64>,
    #[serde(rename = "deleteRequestedAt", default, skip_serializing_if = "Option::is_none")]
    pub delete_requested_at: Option<f64>,
    #[serde(rename = "registeredBy", default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
    #[serde(rename = "ephemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(rename = "enableFaultInjection", default, skip_serializing_if = "Option::is_none")]
    pub enable_fault_injection: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskDefinitionFamilyStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "INACTIVE")]
    Inactive,
    #[serde(rename = "ALL")]
    All,
}

impl TaskDefinitionFamilyStatus {
    pub const ALL: &'static [TaskDefinitionFamilyStatus] =
        &[Self::Active, Self::Inactive, Self::All];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
            Self::All => "ALL",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            "ALL" => Some(Self::All),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskDefinitionFamilyStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskDefinitionField {
    #[serde(rename = "TAGS")]
    Tags,
}

impl TaskDefinitionField {
    pub const ALL: &'static [TaskDefinitionField] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskDefinitionField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskDefinitionPlacementConstraint {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<TaskDefinitionPlacementConstraintType>,
    #[serde(rename = "expression", default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskDefinitionPlacementConstraintType {
    #[serde(rename = "memberOf")]
    MemberOf,
}

impl TaskDefinitionPlacementConstraintType {
    pub const ALL: &'static [TaskDefinitionPlacementConstraintType] = &[Self::MemberOf];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MemberOf => "memberOf",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "memberOf" => Some(Self::MemberOf),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskDefinitionPlacementConstraintType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskDefinitionStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "INACTIVE")]
    Inactive,
    #[serde(rename = "DELETE_IN_PROGRESS")]
    DeleteInProgress,
}

impl TaskDefinitionStatus {
    pub const ALL: &'static [TaskDefinitionStatus] =
        &[Self::Active, Self::Inactive, Self::DeleteInProgress];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
            Self::DeleteInProgress => "DELETE_IN_PROGRESS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            "DELETE_IN_PROGRESS" => Some(Self::DeleteInProgress),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskDefinitionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskEphemeralStorage {
    #[serde(rename = "sizeInGiB", default, skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskField {
    #[serde(rename = "TAGS")]
    Tags,
}

impl TaskField {
    pub const ALL: &'static [TaskField] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskFilesystemType {
    #[serde(rename = "ext3")]
    Ext3,
    #[serde(rename = "ext4")]
    Ext4,
    #[serde(rename = "xfs")]
    Xfs,
    #[serde(rename = "ntfs")]
    Ntfs,
}

impl TaskFilesystemType {
    pub const ALL: &'static [TaskFilesystemType] = &[Self::Ext3, Self::Ext4, Self::Xfs, Self::Ntfs];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ext3 => "ext3",
            Self::Ext4 => "ext4",
            Self::Xfs => "xfs",
            Self::Ntfs => "ntfs",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ext3" => Some(Self::Ext3),
            "ext4" => Some(Self::Ext4),
            "xfs" => Some(Self::Xfs),
            "ntfs" => Some(Self::Ntfs),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskFilesystemType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskManagedEBSVolumeConfiguration {
    #[serde(rename = "encrypted", default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(rename = "kmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "volumeType", default, skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    #[serde(rename = "sizeInGiB", default, skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "snapshotId", default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(rename = "volumeInitializationRate", default, skip_serializing_if = "Option::is_none")]
    pub volume_initialization_rate: Option<i32>,
    #[serde(rename = "iops", default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<i32>,
    #[serde(rename = "throughput", default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i32>,
    #[serde(rename = "tagSpecifications", default, skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Vec<EBSTagSpecification>>,
    #[serde(rename = "roleArn")]
    pub role_arn: String,
    #[serde(rename = "terminationPolicy", default, skip_serializing_if = "Option::is_none")]
    pub termination_policy: Option<TaskManagedEBSVolumeTerminationPolicy>,
    #[serde(rename = "filesystemType", default, skip_serializing_if = "Option::is_none")]
    pub filesystem_type: Option<TaskFilesystemType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskManagedEBSVolumeTerminationPolicy {
    #[serde(rename = "deleteOnTermination")]
    pub delete_on_termination: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskOverride {
    #[serde(rename = "containerOverrides", default, skip_serializing_if = "Option::is_none")]
    pub container_overrides: Option<Vec<ContainerOverride>>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(
        rename = "inferenceAcceleratorOverrides",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inference_accelerator_overrides: Option<Vec<InferenceAcceleratorOverride>>,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "ephemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskSet {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "taskSetArn", default, skip_serializing_if = "Option::is_none")]
    pub task_set_arn: Option<String>,
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "startedBy", default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "externalId", default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "computedDesiredCount", default, skip_serializing_if = "Option::is_none")]
    pub computed_desired_count: Option<i32>,
    #[serde(rename = "pendingCount", default, skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "runningCount", default, skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "launchType", default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "scale", default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(rename = "stabilityStatus", default, skip_serializing_if = "Option::is_none")]
    pub stability_status: Option<StabilityStatus>,
    #[serde(rename = "stabilityStatusAt", default, skip_serializing_if = "Option::is_none")]
    pub stability_status_at: Option<f64>,
    #[serde(rename = "tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "fargateEphemeralStorage", default, skip_serializing_if = "Option::is_none")]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskSetField {
    #[serde(rename = "TAGS")]
    Tags,
}

impl TaskSetField {
    pub const ALL: &'static [TaskSetField] = &[Self::Tags];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tags => "TAGS",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TAGS" => Some(Self::Tags),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskSetField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskStopCode {
    #[serde(rename = "TaskFailedToStart")]
    TaskFailedToStart,
    #[serde(rename = "EssentialContainerExited")]
    EssentialContainerExited,
    #[serde(rename = "UserInitiated")]
    UserInitiated,
    #[serde(rename = "ServiceSchedulerInitiated")]
    ServiceSchedulerInitiated,
    #[serde(rename = "SpotInterruption")]
    SpotInterruption,
    #[serde(rename = "TerminationNotice")]
    TerminationNotice,
}

impl TaskStopCode {
    pub const ALL: &'static [TaskStopCode] = &[
        Self::TaskFailedToStart,
        Self::EssentialContainerExited,
        Self::UserInitiated,
        Self::ServiceSchedulerInitiated,
        Self::SpotInterruption,
        Self::TerminationNotice,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::TaskFailedToStart => "TaskFailedToStart",
            Self::EssentialContainerExited => "EssentialContainerExited",
            Self::UserInitiated => "UserInitiated",
            Self::ServiceSchedulerInitiated => "ServiceSchedulerInitiated",
            Self::SpotInterruption => "SpotInterruption",
            Self::TerminationNotice => "TerminationNotice",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "TaskFailedToStart" => Some(Self::TaskFailedToStart),
            "EssentialContainerExited" => Some(Self::EssentialContainerExited),
            "UserInitiated" => Some(Self::UserInitiated),
            "ServiceSchedulerInitiated" => Some(Self::ServiceSchedulerInitiated),
            "SpotInterruption" => Some(Self::SpotInterruption),
            "TerminationNotice" => Some(Self::TerminationNotice),
            _ => None,
        }
    }
}

impl std::fmt::Display for TaskStopCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskVolumeConfiguration {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "managedEBSVolume", default, skip_serializing_if = "Option::is_none")]
    pub managed_ebs_volume: Option<TaskManagedEBSVolumeConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimeoutConfiguration {
    #[serde(rename = "idleTimeoutSeconds", default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<i32>,
    #[serde(rename = "perRequestTimeoutSeconds", default, skip_serializing_if = "Option::is_none")]
    pub per_request_timeout_seconds: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tmpfs {
    #[serde(rename = "containerPath")]
    pub container_path: String,
    #[serde(rename = "size")]
    pub size: i32,
    #[serde(rename = "mountOptions", default, skip_serializing_if = "Option::is_none")]
    pub mount_options: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TotalLocalStorageGBRequest {
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TransportProtocol {
    #[serde(rename = "tcp")]
    Tcp,
    #[serde(rename = "udp")]
    Udp,
}

impl TransportProtocol {
    pub const ALL: &'static [TransportProtocol] = &[Self::Tcp, Self::Udp];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "tcp" => Some(Self::Tcp),
            "udp" => Some(Self::Udp),
            _ => None,
        }
    }
}

impl std::fmt::Display for TransportProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ulimit {
    #[serde(rename = "name")]
    pub name: UlimitName,
    #[serde(rename = "softLimit")]
    pub soft_limit: i32,
    #[serde(rename = "hardLimit")]
    pub hard_limit: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UlimitName {
    #[serde(rename = "core")]
    Core,
    #[serde(rename = "cpu")]
    Cpu,
    #[serde(rename = "data")]
    Data,
    #[serde(rename = "fsize")]
    Fsize,
    #[serde(rename = "locks")]
    Locks,
    #[serde(rename = "memlock")]
    Memlock,
    #[serde(rename = "msgqueue")]
    Msgqueue,
    #[serde(rename = "nice")]
    Nice,
    #[serde(rename = "nofile")]
    Nofile,
    #[serde(rename = "nproc")]
    Nproc,
    #[serde(rename = "rss")]
    Rss,
    #[serde(rename = "rtprio")]
    Rtprio,
    #[serde(rename = "rttime")]
    Rttime,
    #[serde(rename = "sigpending")]
    Sigpending,
    #[serde(rename = "stack")]
    Stack,
}

impl UlimitName {
    pub const ALL: &'static [UlimitName] = &[
        Self::Core,
        Self::Cpu,
        Self::Data,
        Self::Fsize,
        Self::Locks,
        Self::Memlock,
        Self::Msgqueue,
        Self::Nice,
        Self::Nofile,
        Self::Nproc,
        Self::Rss,
        Self::Rtprio,
        Self::Rttime,
        Self::Sigpending,
        Self::Stack,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Core => "core",
            Self::Cpu => "cpu",
            Self::Data => "data",
            Self::Fsize => "fsize",
            Self::Locks => "locks",
            Self::Memlock => "memlock",
            Self::Msgqueue => "msgqueue",
            Self::Nice => "nice",
            Self::Nofile => "nofile",
            Self::Nproc => "nproc",
            Self::Rss => "rss",
            Self::Rtprio => "rtprio",
            Self::Rttime => "rttime",
            Self::Sigpending => "sigpending",
            Self::Stack => "stack",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "core" => Some(Self::Core),
            "cpu" => Some(Self::Cpu),
            "data" => Some(Self::Data),
            "fsize" => Some(Self::Fsize),
            "locks" => Some(Self::Locks),
            "memlock" => Some(Self::Memlock),
            "msgqueue" => Some(Self::Msgqueue),
            "nice" => Some(Self::Nice),
            "nofile" => Some(Self::Nofile),
            "nproc" => Some(Self::Nproc),
            "rss" => Some(Self::Rss),
            "rtprio" => Some(Self::Rtprio),
            "rttime" => Some(Self::Rttime),
            "sigpending" => Some(Self::Sigpending),
            "stack" => Some(Self::Stack),
            _ => None,
        }
    }
}

impl std::fmt::Display for UlimitName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UntagResourceRequest {
    #[serde(rename = "resourceArn")]
    pub resource_arn: String,
    #[serde(rename = "tagKeys")]
    pub tag_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UntagResourceResponse {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateCapacityProviderRequest {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "autoScalingGroupProvider", default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProviderUpdate>,
    #[serde(rename = "managedInstancesProvider", default, skip_serializing_if = "Option::is_none")]
    pub managed_instances_provider: Option<UpdateManagedInstancesProviderConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateCapacityProviderResponse {
    #[serde(rename = "capacityProvider", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateClusterRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "settings", default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "configuration", default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(rename = "serviceConnectDefaults", default, skip_serializing_if = "Option::is_none")]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaultsRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateClusterResponse {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateClusterSettingsRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "settings")]
    pub settings: Vec<ClusterSetting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateClusterSettingsResponse {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateContainerAgentRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance")]
    pub container_instance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateContainerAgentResponse {
    #[serde(rename = "containerInstance", default, skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateContainerInstancesStateRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances")]
    pub container_instances: Vec<String>,
    #[serde(rename = "status")]
    pub status: ContainerInstanceStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateContainerInstancesStateResponse {
    #[serde(rename = "containerInstances", default, skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<ContainerInstance>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateDaemonRequest {
    #[serde(rename = "daemonArn")]
    pub daemon_arn: String,
    #[serde(rename = "daemonTaskDefinitionArn")]
    pub daemon_task_definition_arn: String,
    #[serde(rename = "capacityProviderArns")]
    pub capacity_provider_arns: Vec<String>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DaemonDeploymentConfiguration>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<DaemonPropagateTags>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateDaemonResponse {
    #[serde(rename = "daemonArn", default, skip_serializing_if = "Option::is_none")]
    pub daemon_arn: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DaemonStatus>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "deploymentArn", default, skip_serializing_if = "Option::is_none")]
    pub deployment_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateExpressGatewayServiceRequest {
    #[serde(rename = "serviceArn")]
    pub service_arn: String,
    #[serde(rename = "executionRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "healthCheckPath", default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(rename = "primaryContainer", default, skip_serializing_if = "Option::is_none")]
    pub primary_container: Option<ExpressGatewayContainer>,
    #[serde(rename = "taskRoleArn", default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<ExpressGatewayServiceNetworkConfiguration>,
    #[serde(rename = "cpu", default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "scalingTarget", default, skip_serializing_if = "Option::is_none")]
    pub scaling_target: Option<ExpressGatewayScalingTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateExpressGatewayServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<UpdatedExpressGatewayService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateManagedInstancesProviderConfiguration {
    #[serde(rename = "infrastructureRoleArn")]
    pub infrastructure_role_arn: String,
    #[serde(rename = "instanceLaunchTemplate")]
    pub instance_launch_template: InstanceLaunchTemplateUpdate,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateMITags>,
    #[serde(
        rename = "infrastructureOptimization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(rename = "autoRepairConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateServicePrimaryTaskSetRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "primaryTaskSet")]
    pub primary_task_set: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateServicePrimaryTaskSetResponse {
    #[serde(rename = "taskSet", default, skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateServiceRequest {
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "desiredCount", default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "taskDefinition", default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "capacityProviderStrategy", default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "deploymentConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<AvailabilityZoneRebalancing>,
    #[serde(rename = "networkConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "placementConstraints", default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", default, skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "platformVersion", default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "forceNewDeployment", default, skip_serializing_if = "Option::is_none")]
    pub force_new_deployment: Option<bool>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(rename = "deploymentController", default, skip_serializing_if = "Option::is_none")]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(rename = "enableExecuteCommand", default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "loadBalancers", default, skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "propagateTags", default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<PropagateTags>,
    #[serde(rename = "serviceRegistries", default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(
        rename = "serviceConnectConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(rename = "volumeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(rename = "vpcLatticeConfigurations", default, skip_serializing_if = "Option::is_none")]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateServiceResponse {
    #[serde(rename = "service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateTaskProtectionRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "tasks")]
    pub tasks: Vec<String>,
    #[serde(rename = "protectionEnabled")]
    pub protection_enabled: bool,
    #[serde(rename = "expiresInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateTaskProtectionResponse {
    #[serde(rename = "protectedTasks", default, skip_serializing_if = "Option::is_none")]
    pub protected_tasks: Option<Vec<ProtectedTask>>,
    #[serde(rename = "failures", default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateTaskSetRequest {
    #[serde(rename = "cluster")]
    pub cluster: String,
    #[serde(rename = "service")]
    pub service: String,
    #[serde(rename = "taskSet")]
    pub task_set: String,
    #[serde(rename = "scale")]
    pub scale: Scale,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateTaskSetResponse {
    #[serde(rename = "taskSet", default, skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdatedExpressGatewayService {
    #[serde(rename = "serviceArn", default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExpressGatewayServiceStatus>,
    #[serde(rename = "targetConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub target_configuration: Option<ExpressGatewayServiceConfiguration>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VCpuCountRangeRequest {
    #[serde(rename = "min")]
    pub min: i32,
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VersionConsistency {
    #[serde(rename = "enabled")]
    Enabled,
    #[serde(rename = "disabled")]
    Disabled,
}

impl VersionConsistency {
    pub const ALL: &'static [VersionConsistency] = &[Self::Enabled, Self::Disabled];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::Disabled => "disabled",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "enabled" => Some(Self::Enabled),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl std::fmt::Display for VersionConsistency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VersionInfo {
    #[serde(rename = "agentVersion", default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(rename = "agentHash", default, skip_serializing_if = "Option::is_none")]
    pub agent_hash: Option<String>,
    #[serde(rename = "dockerVersion", default, skip_serializing_if = "Option::is_none")]
    pub docker_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Volume {
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "host", default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostVolumeProperties>,
    #[serde(
        rename = "dockerVolumeConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub docker_volume_configuration: Option<DockerVolumeConfiguration>,
    #[serde(rename = "efsVolumeConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub efs_volume_configuration: Option<EFSVolumeConfiguration>,
    #[serde(
        rename = "s3filesVolumeConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub s3files_volume_configuration: Option<S3FilesVolumeConfiguration>,
    #[serde(
        rename = "fsxWindowsFileServerVolumeConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub fsx_windows_file_server_volume_configuration:
        Option<FSxWindowsFileServerVolumeConfiguration>,
    #[serde(rename = "configuredAtLaunch", default, skip_serializing_if = "Option::is_none")]
    pub configured_at_launch: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VolumeFrom {
    #[serde(rename = "sourceContainer", default, skip_serializing_if = "Option::is_none")]
    pub source_container: Option<String>,
    #[serde(rename = "readOnly", default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcLatticeConfiguration {
    #[serde(rename = "roleArn")]
    pub role_arn: String,
    #[serde(rename = "targetGroupArn")]
    pub target_group_arn: String,
    #[serde(rename = "portName")]
    pub port_name: String,
}

/// Every operation of the ECS API, as named in `X-Amz-Target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    ContinueServiceDeployment,
    CreateCapacityProvider,
    CreateCluster,
    CreateDaemon,
    CreateExpressGatewayService,
    CreateService,
    CreateTaskSet,
    DeleteAccountSetting,
    DeleteAttributes,
    DeleteCapacityProvider,
    DeleteCluster,
    DeleteDaemon,
    DeleteDaemonTaskDefinition,
    DeleteExpressGatewayService,
    DeleteService,
    DeleteTaskDefinitions,
    DeleteTaskSet,
    DeregisterContainerInstance,
    DeregisterTaskDefinition,
    DescribeCapacityProviders,
    DescribeClusters,
    DescribeContainerInstances,
    DescribeDaemon,
    DescribeDaemonDeployments,
    DescribeDaemonRevisions,
    DescribeDaemonTaskDefinition,
    DescribeExpressGatewayService,
    DescribeServiceDeployments,
    DescribeServiceRevisions,
    DescribeServices,
    DescribeTaskDefinition,
    DescribeTaskSets,
    DescribeTasks,
    DiscoverPollEndpoint,
    ExecuteCommand,
    GetTaskProtection,
    ListAccountSettings,
    ListAttributes,
    ListClusters,
    ListContainerInstances,
    ListDaemonDeployments,
    ListDaemonTaskDefinitions,
    ListDaemons,
    ListServiceDeployments,
    ListServices,
    ListServicesByNamespace,
    ListTagsForResource,
    ListTaskDefinitionFamilies,
    ListTaskDefinitions,
    ListTasks,
    PutAccountSetting,
    PutAccountSettingDefault,
    PutAttributes,
    PutClusterCapacityProviders,
    RegisterContainerInstance,
    RegisterDaemonTaskDefinition,
    RegisterTaskDefinition,
    RunTask,
    StartTask,
    StopServiceDeployment,
    StopTask,
    SubmitAttachmentStateChanges,
    SubmitContainerStateChange,
    SubmitTaskStateChange,
    TagResource,
    UntagResource,
    UpdateCapacityProvider,
    UpdateCluster,
    UpdateClusterSettings,
    UpdateContainerAgent,
    UpdateContainerInstancesState,
    UpdateDaemon,
    UpdateExpressGatewayService,
    UpdateService,
    UpdateServicePrimaryTaskSet,
    UpdateTaskProtection,
    UpdateTaskSet,
}

impl Operation {
    pub const ALL: &'static [Operation] = &[
        Self::ContinueServiceDeployment,
        Self::CreateCapacityProvider,
        Self::CreateCluster,
        Self::CreateDaemon,
        Self::CreateExpressGatewayService,
        Self::CreateService,
        Self::CreateTaskSet,
        Self::DeleteAccountSetting,
        Self::DeleteAttributes,
        Self::DeleteCapacityProvider,
        Self::DeleteCluster,
        Self::DeleteDaemon,
        Self::DeleteDaemonTaskDefinition,
        Self::DeleteExpressGatewayService,
        Self::DeleteService,
        Self::DeleteTaskDefinitions,
        Self::DeleteTaskSet,
        Self::DeregisterContainerInstance,
        Self::DeregisterTaskDefinition,
        Self::DescribeCapacityProviders,
        Self::DescribeClusters,
        Self::DescribeContainerInstances,
        Self::DescribeDaemon,
        Self::DescribeDaemonDeployments,
        Self::DescribeDaemonRevisions,
        Self::DescribeDaemonTaskDefinition,
        Self::DescribeExpressGatewayService,
        Self::DescribeServiceDeployments,
        Self::DescribeServiceRevisions,
        Self::DescribeServices,
        Self::DescribeTaskDefinition,
        Self::DescribeTaskSets,
        Self::DescribeTasks,
        Self::DiscoverPollEndpoint,
        Self::ExecuteCommand,
        Self::GetTaskProtection,
        Self::ListAccountSettings,
        Self::ListAttributes,
        Self::ListClusters,
        Self::ListContainerInstances,
        Self::ListDaemonDeployments,
        Self::ListDaemonTaskDefinitions,
        Self::ListDaemons,
        Self::ListServiceDeployments,
        Self::ListServices,
        Self::ListServicesByNamespace,
        Self::ListTagsForResource,
        Self::ListTaskDefinitionFamilies,
        Self::ListTaskDefinitions,
        Self::ListTasks,
        Self::PutAccountSetting,
        Self::PutAccountSettingDefault,
        Self::PutAttributes,
        Self::PutClusterCapacityProviders,
        Self::RegisterContainerInstance,
        Self::RegisterDaemonTaskDefinition,
        Self::RegisterTaskDefinition,
        Self::RunTask,
        Self::StartTask,
        Self::StopServiceDeployment,
        Self::StopTask,
        Self::SubmitAttachmentStateChanges,
        Self::SubmitContainerStateChange,
        Self::SubmitTaskStateChange,
        Self::TagResource,
        Self::UntagResource,
        Self::UpdateCapacityProvider,
        Self::UpdateCluster,
        Self::UpdateClusterSettings,
        Self::UpdateContainerAgent,
        Self::UpdateContainerInstancesState,
        Self::UpdateDaemon,
        Self::UpdateExpressGatewayService,
        Self::UpdateService,
        Self::UpdateServicePrimaryTaskSet,
        Self::UpdateTaskProtection,
        Self::UpdateTaskSet,
    ];
    pub fn name(&self) -> &'static str {
        match self {
            Self::ContinueServiceDeployment => "ContinueServiceDeployment",
            Self::CreateCapacityProvider => "CreateCapacityProvider",
            Self::CreateCluster => "CreateCluster",
            Self::CreateDaemon => "CreateDaemon",
            Self::CreateExpressGatewayService => "CreateExpressGatewayService",
            Self::CreateService => "CreateService",
            Self::CreateTaskSet => "CreateTaskSet",
            Self::DeleteAccountSetting => "DeleteAccountSetting",
            Self::DeleteAttributes => "DeleteAttributes",
            Self::DeleteCapacityProvider => "DeleteCapacityProvider",
            Self::DeleteCluster => "DeleteCluster",
            Self::DeleteDaemon => "DeleteDaemon",
            Self::DeleteDaemonTaskDefinition => "DeleteDaemonTaskDefinition",
            Self::DeleteExpressGatewayService => "DeleteExpressGatewayService",
            Self::DeleteService => "DeleteService",
            Self::DeleteTaskDefinitions => "DeleteTaskDefinitions",
            Self::DeleteTaskSet => "DeleteTaskSet",
            Self::DeregisterContainerInstance => "DeregisterContainerInstance",
            Self::DeregisterTaskDefinition => "DeregisterTaskDefinition",
            Self::DescribeCapacityProviders => "DescribeCapacityProviders",
            Self::DescribeClusters => "DescribeClusters",
            Self::DescribeContainerInstances => "DescribeContainerInstances",
            Self::DescribeDaemon => "DescribeDaemon",
            Self::DescribeDaemonDeployments => "DescribeDaemonDeployments",
            Self::DescribeDaemonRevisions => "DescribeDaemonRevisions",
            Self::DescribeDaemonTaskDefinition => "DescribeDaemonTaskDefinition",
            Self::DescribeExpressGatewayService => "DescribeExpressGatewayService",
            Self::DescribeServiceDeployments => "DescribeServiceDeployments",
            Self::DescribeServiceRevisions => "DescribeServiceRevisions",
            Self::DescribeServices => "DescribeServices",
            Self::DescribeTaskDefinition => "DescribeTaskDefinition",
            Self::DescribeTaskSets => "DescribeTaskSets",
            Self::DescribeTasks => "DescribeTasks",
            Self::DiscoverPollEndpoint => "DiscoverPollEndpoint",
            Self::ExecuteCommand => "ExecuteCommand",
            Self::GetTaskProtection => "GetTaskProtection",
            Self::ListAccountSettings => "ListAccountSettings",
            Self::ListAttributes => "ListAttributes",
            Self::ListClusters => "ListClusters",
            Self::ListContainerInstances => "ListContainerInstances",
            Self::ListDaemonDeployments => "ListDaemonDeployments",
            Self::ListDaemonTaskDefinitions => "ListDaemonTaskDefinitions",
            Self::ListDaemons => "ListDaemons",
            Self::ListServiceDeployments => "ListServiceDeployments",
            Self::ListServices => "ListServices",
            Self::ListServicesByNamespace => "ListServicesByNamespace",
            Self::ListTagsForResource => "ListTagsForResource",
            Self::ListTaskDefinitionFamilies => "ListTaskDefinitionFamilies",
            Self::ListTaskDefinitions => "ListTaskDefinitions",
            Self::ListTasks => "ListTasks",
            Self::PutAccountSetting => "PutAccountSetting",
            Self::PutAccountSettingDefault => "PutAccountSettingDefault",
            Self::PutAttributes => "PutAttributes",
            Self::PutClusterCapacityProviders => "PutClusterCapacityProviders",
            Self::RegisterContainerInstance => "RegisterContainerInstance",
            Self::RegisterDaemonTaskDefinition => "RegisterDaemonTaskDefinition",
            Self::RegisterTaskDefinition => "RegisterTaskDefinition",
            Self::RunTask => "RunTask",
            Self::StartTask => "StartTask",
            Self::StopServiceDeployment => "StopServiceDeployment",
            Self::StopTask => "StopTask",
            Self::SubmitAttachmentStateChanges => "SubmitAttachmentStateChanges",
            Self::SubmitContainerStateChange => "SubmitContainerStateChange",
            Self::SubmitTaskStateChange => "SubmitTaskStateChange",
            Self::TagResource => "TagResource",
            Self::UntagResource => "UntagResource",
            Self::UpdateCapacityProvider => "UpdateCapacityProvider",
            Self::UpdateCluster => "UpdateCluster",
            Self::UpdateClusterSettings => "UpdateClusterSettings",
            Self::UpdateContainerAgent => "UpdateContainerAgent",
            Self::UpdateContainerInstancesState => "UpdateContainerInstancesState",
            Self::UpdateDaemon => "UpdateDaemon",
            Self::UpdateExpressGatewayService => "UpdateExpressGatewayService",
            Self::UpdateService => "UpdateService",
            Self::UpdateServicePrimaryTaskSet => "UpdateServicePrimaryTaskSet",
            Self::UpdateTaskProtection => "UpdateTaskProtection",
            Self::UpdateTaskSet => "UpdateTaskSet",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "ContinueServiceDeployment" => Some(Self::ContinueServiceDeployment),
            "CreateCapacityProvider" => Some(Self::CreateCapacityProvider),
            "CreateCluster" => Some(Self::CreateCluster),
            "CreateDaemon" => Some(Self::CreateDaemon),
            "CreateExpressGatewayService" => Some(Self::CreateExpressGatewayService),
            "CreateService" => Some(Self::CreateService),
            "CreateTaskSet" => Some(Self::CreateTaskSet),
            "DeleteAccountSetting" => Some(Self::DeleteAccountSetting),
            "DeleteAttributes" => Some(Self::DeleteAttributes),
            "DeleteCapacityProvider" => Some(Self::DeleteCapacityProvider),
            "DeleteCluster" => Some(Self::DeleteCluster),
            "DeleteDaemon" => Some(Self::DeleteDaemon),
            "DeleteDaemonTaskDefinition" => Some(Self::DeleteDaemonTaskDefinition),
            "DeleteExpressGatewayService" => Some(Self::DeleteExpressGatewayService),
            "DeleteService" => Some(Self::DeleteService),
            "DeleteTaskDefinitions" => Some(Self::DeleteTaskDefinitions),
            "DeleteTaskSet" => Some(Self::DeleteTaskSet),
            "DeregisterContainerInstance" => Some(Self::DeregisterContainerInstance),
            "DeregisterTaskDefinition" => Some(Self::DeregisterTaskDefinition),
            "DescribeCapacityProviders" => Some(Self::DescribeCapacityProviders),
            "DescribeClusters" => Some(Self::DescribeClusters),
            "DescribeContainerInstances" => Some(Self::DescribeContainerInstances),
            "DescribeDaemon" => Some(Self::DescribeDaemon),
            "DescribeDaemonDeployments" => Some(Self::DescribeDaemonDeployments),
            "DescribeDaemonRevisions" => Some(Self::DescribeDaemonRevisions),
            "DescribeDaemonTaskDefinition" => Some(Self::DescribeDaemonTaskDefinition),
            "DescribeExpressGatewayService" => Some(Self::DescribeExpressGatewayService),
            "DescribeServiceDeployments" => Some(Self::DescribeServiceDeployments),
            "DescribeServiceRevisions" => Some(Self::DescribeServiceRevisions),
            "DescribeServices" => Some(Self::DescribeServices),
            "DescribeTaskDefinition" => Some(Self::DescribeTaskDefinition),
            "DescribeTaskSets" => Some(Self::DescribeTaskSets),
            "DescribeTasks" => Some(Self::DescribeTasks),
            "DiscoverPollEndpoint" => Some(Self::DiscoverPollEndpoint),
            "ExecuteCommand" => Some(Self::ExecuteCommand),
            "GetTaskProtection" => Some(Self::GetTaskProtection),
            "ListAccountSettings" => Some(Self::ListAccountSettings),
            "ListAttributes" => Some(Self::ListAttributes),
            "ListClusters" => Some(Self::ListClusters),
            "ListContainerInstances" => Some(Self::ListContainerInstances),
            "ListDaemonDeployments" => Some(Self::ListDaemonDeployments),
            "ListDaemonTaskDefinitions" => Some(Self::ListDaemonTaskDefinitions),
            "ListDaemons" => Some(Self::ListDaemons),
            "ListServiceDeployments" => Some(Self::ListServiceDeployments),
            "ListServices" => Some(Self::ListServices),
            "ListServicesByNamespace" => Some(Self::ListServicesByNamespace),
            "ListTagsForResource" => Some(Self::ListTagsForResource),
            "ListTaskDefinitionFamilies" => Some(Self::ListTaskDefinitionFamilies),
            "ListTaskDefinitions" => Some(Self::ListTaskDefinitions),
            "ListTasks" => Some(Self::ListTasks),
            "PutAccountSetting" => Some(Self::PutAccountSetting),
            "PutAccountSettingDefault" => Some(Self::PutAccountSettingDefault),
            "PutAttributes" => Some(Self::PutAttributes),
            "PutClusterCapacityProviders" => Some(Self::PutClusterCapacityProviders),
            "RegisterContainerInstance" => Some(Self::RegisterContainerInstance),
            "RegisterDaemonTaskDefinition" => Some(Self::RegisterDaemonTaskDefinition),
            "RegisterTaskDefinition" => Some(Self::RegisterTaskDefinition),
            "RunTask" => Some(Self::RunTask),
            "StartTask" => Some(Self::StartTask),
            "StopServiceDeployment" => Some(Self::StopServiceDeployment),
            "StopTask" => Some(Self::StopTask),
            "SubmitAttachmentStateChanges" => Some(Self::SubmitAttachmentStateChanges),
            "SubmitContainerStateChange" => Some(Self::SubmitContainerStateChange),
            "SubmitTaskStateChange" => Some(Self::SubmitTaskStateChange),
            "TagResource" => Some(Self::TagResource),
            "UntagResource" => Some(Self::UntagResource),
            "UpdateCapacityProvider" => Some(Self::UpdateCapacityProvider),
            "UpdateCluster" => Some(Self::UpdateCluster),
            "UpdateClusterSettings" => Some(Self::UpdateClusterSettings),
            "UpdateContainerAgent" => Some(Self::UpdateContainerAgent),
            "UpdateContainerInstancesState" => Some(Self::UpdateContainerInstancesState),
            "UpdateDaemon" => Some(Self::UpdateDaemon),
            "UpdateExpressGatewayService" => Some(Self::UpdateExpressGatewayService),
            "UpdateService" => Some(Self::UpdateService),
            "UpdateServicePrimaryTaskSet" => Some(Self::UpdateServicePrimaryTaskSet),
            "UpdateTaskProtection" => Some(Self::UpdateTaskProtection),
            "UpdateTaskSet" => Some(Self::UpdateTaskSet),
            _ => None,
        }
    }
    /// The model shape of the operation's input.
    pub fn input_shape(&self) -> &'static str {
        match self {
            Self::ContinueServiceDeployment => "ContinueServiceDeploymentRequest",
            Self::CreateCapacityProvider => "CreateCapacityProviderRequest",
            Self::CreateCluster => "CreateClusterRequest",
            Self::CreateDaemon => "CreateDaemonRequest",
            Self::CreateExpressGatewayService => "CreateExpressGatewayServiceRequest",
            Self::CreateService => "CreateServiceRequest",
            Self::CreateTaskSet => "CreateTaskSetRequest",
            Self::DeleteAccountSetting => "DeleteAccountSettingRequest",
            Self::DeleteAttributes => "DeleteAttributesRequest",
            Self::DeleteCapacityProvider => "DeleteCapacityProviderRequest",
            Self::DeleteCluster => "DeleteClusterRequest",
            Self::DeleteDaemon => "DeleteDaemonRequest",
            Self::DeleteDaemonTaskDefinition => "DeleteDaemonTaskDefinitionRequest",
            Self::DeleteExpressGatewayService => "DeleteExpressGatewayServiceRequest",
            Self::DeleteService => "DeleteServiceRequest",
            Self::DeleteTaskDefinitions => "DeleteTaskDefinitionsRequest",
            Self::DeleteTaskSet => "DeleteTaskSetRequest",
            Self::DeregisterContainerInstance => "DeregisterContainerInstanceRequest",
            Self::DeregisterTaskDefinition => "DeregisterTaskDefinitionRequest",
            Self::DescribeCapacityProviders => "DescribeCapacityProvidersRequest",
            Self::DescribeClusters => "DescribeClustersRequest",
            Self::DescribeContainerInstances => "DescribeContainerInstancesRequest",
            Self::DescribeDaemon => "DescribeDaemonRequest",
            Self::DescribeDaemonDeployments => "DescribeDaemonDeploymentsRequest",
            Self::DescribeDaemonRevisions => "DescribeDaemonRevisionsRequest",
            Self::DescribeDaemonTaskDefinition => "DescribeDaemonTaskDefinitionRequest",
            Self::DescribeExpressGatewayService => "DescribeExpressGatewayServiceRequest",
            Self::DescribeServiceDeployments => "DescribeServiceDeploymentsRequest",
            Self::DescribeServiceRevisions => "DescribeServiceRevisionsRequest",
            Self::DescribeServices => "DescribeServicesRequest",
            Self::DescribeTaskDefinition => "DescribeTaskDefinitionRequest",
            Self::DescribeTaskSets => "DescribeTaskSetsRequest",
            Self::DescribeTasks => "DescribeTasksRequest",
            Self::DiscoverPollEndpoint => "DiscoverPollEndpointRequest",
            Self::ExecuteCommand => "ExecuteCommandRequest",
            Self::GetTaskProtection => "GetTaskProtectionRequest",
            Self::ListAccountSettings => "ListAccountSettingsRequest",
            Self::ListAttributes => "ListAttributesRequest",
            Self::ListClusters => "ListClustersRequest",
            Self::ListContainerInstances => "ListContainerInstancesRequest",
            Self::ListDaemonDeployments => "ListDaemonDeploymentsRequest",
            Self::ListDaemonTaskDefinitions => "ListDaemonTaskDefinitionsRequest",
            Self::ListDaemons => "ListDaemonsRequest",
            Self::ListServiceDeployments => "ListServiceDeploymentsRequest",
            Self::ListServices => "ListServicesRequest",
            Self::ListServicesByNamespace => "ListServicesByNamespaceRequest",
            Self::ListTagsForResource => "ListTagsForResourceRequest",
            Self::ListTaskDefinitionFamilies => "ListTaskDefinitionFamiliesRequest",
            Self::ListTaskDefinitions => "ListTaskDefinitionsRequest",
            Self::ListTasks => "ListTasksRequest",
            Self::PutAccountSetting => "PutAccountSettingRequest",
            Self::PutAccountSettingDefault => "PutAccountSettingDefaultRequest",
            Self::PutAttributes => "PutAttributesRequest",
            Self::PutClusterCapacityProviders => "PutClusterCapacityProvidersRequest",
            Self::RegisterContainerInstance => "RegisterContainerInstanceRequest",
            Self::RegisterDaemonTaskDefinition => "RegisterDaemonTaskDefinitionRequest",
            Self::RegisterTaskDefinition => "RegisterTaskDefinitionRequest",
            Self::RunTask => "RunTaskRequest",
            Self::StartTask => "StartTaskRequest",
            Self::StopServiceDeployment => "StopServiceDeploymentRequest",
            Self::StopTask => "StopTaskRequest",
            Self::SubmitAttachmentStateChanges => "SubmitAttachmentStateChangesRequest",
            Self::SubmitContainerStateChange => "SubmitContainerStateChangeRequest",
            Self::SubmitTaskStateChange => "SubmitTaskStateChangeRequest",
            Self::TagResource => "TagResourceRequest",
            Self::UntagResource => "UntagResourceRequest",
            Self::UpdateCapacityProvider => "UpdateCapacityProviderRequest",
            Self::UpdateCluster => "UpdateClusterRequest",
            Self::UpdateClusterSettings => "UpdateClusterSettingsRequest",
            Self::UpdateContainerAgent => "UpdateContainerAgentRequest",
            Self::UpdateContainerInstancesState => "UpdateContainerInstancesStateRequest",
            Self::UpdateDaemon => "UpdateDaemonRequest",
            Self::UpdateExpressGatewayService => "UpdateExpressGatewayServiceRequest",
            Self::UpdateService => "UpdateServiceRequest",
            Self::UpdateServicePrimaryTaskSet => "UpdateServicePrimaryTaskSetRequest",
            Self::UpdateTaskProtection => "UpdateTaskProtectionRequest",
            Self::UpdateTaskSet => "UpdateTaskSetRequest",
        }
    }
    /// The exceptions the model lists for the operation (`operations.<Op>.errors`), sorted.
    pub fn errors(self) -> &'static [ErrorCode] {
        match self {
            Self::ContinueServiceDeployment => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceDeploymentNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::CreateCapacityProvider => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::CreateCluster => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::ServerException,
            ],
            Self::CreateDaemon => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::CreateExpressGatewayService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::PlatformTaskDefinitionIncompatibilityException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::CreateService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::PlatformTaskDefinitionIncompatibilityException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::CreateTaskSet => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::PlatformTaskDefinitionIncompatibilityException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DeleteAccountSetting => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DeleteAttributes => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::TargetNotFoundException,
            ],
            Self::DeleteCapacityProvider => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::DeleteCluster => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterContainsCapacityProviderException,
                ErrorCode::ClusterContainsContainerInstancesException,
                ErrorCode::ClusterContainsServicesException,
                ErrorCode::ClusterContainsTasksException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::DeleteDaemon => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::DaemonNotActiveException,
                ErrorCode::DaemonNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DeleteDaemonTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DeleteExpressGatewayService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DeleteService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotFoundException,
            ],
            Self::DeleteTaskDefinitions => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DeleteTaskSet => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::TaskSetNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DeregisterContainerInstance => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DeregisterTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeCapacityProviders => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeClusters => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeContainerInstances => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeDaemon => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::DaemonNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeDaemonDeployments => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeDaemonRevisions => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeDaemonTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeExpressGatewayService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeServiceDeployments => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeServiceRevisions => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeServices => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DescribeTaskSets => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::DescribeTasks => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::DiscoverPollEndpoint => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ExecuteCommand => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::TargetNotConnectedException,
            ],
            Self::GetTaskProtection => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::ListAccountSettings => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListAttributes => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListClusters => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListContainerInstances => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListDaemonDeployments => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::ListDaemonTaskDefinitions => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListDaemons => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::ListServiceDeployments => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::ListServices => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListServicesByNamespace => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::ServerException,
            ],
            Self::ListTagsForResource => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListTaskDefinitionFamilies => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListTaskDefinitions => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::ListTasks => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotFoundException,
            ],
            Self::PutAccountSetting => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::PutAccountSettingDefault => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::PutAttributes => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::AttributeLimitExceededException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::TargetNotFoundException,
            ],
            Self::PutClusterCapacityProviders => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ResourceInUseException,
                ErrorCode::ServerException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::RegisterContainerInstance => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::RegisterDaemonTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ServerException,
            ],
            Self::RegisterTaskDefinition => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ServerException,
            ],
            Self::RunTask => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::BlockedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::ConflictException,
                ErrorCode::InvalidParameterException,
                ErrorCode::PlatformTaskDefinitionIncompatibilityException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::StartTask => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::StopServiceDeployment => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ConflictException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceDeploymentNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::StopTask => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::SubmitAttachmentStateChanges => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::SubmitContainerStateChange => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::SubmitTaskStateChange => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::TagResource => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
            ],
            Self::UntagResource => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
            ],
            Self::UpdateCapacityProvider => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateCluster => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::ServerException,
            ],
            Self::UpdateClusterSettings => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::UpdateContainerAgent => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::MissingVersionException,
                ErrorCode::NoUpdateAvailableException,
                ErrorCode::ServerException,
                ErrorCode::UpdateInProgressException,
            ],
            Self::UpdateContainerInstancesState => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
            ],
            Self::UpdateDaemon => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::DaemonNotActiveException,
                ErrorCode::DaemonNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateExpressGatewayService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateService => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::NamespaceNotFoundException,
                ErrorCode::PlatformTaskDefinitionIncompatibilityException,
                ErrorCode::PlatformUnknownException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateServicePrimaryTaskSet => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::TaskSetNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateTaskProtection => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::ResourceNotFoundException,
                ErrorCode::ServerException,
                ErrorCode::UnsupportedFeatureException,
            ],
            Self::UpdateTaskSet => &[
                ErrorCode::AccessDeniedException,
                ErrorCode::ClientException,
                ErrorCode::ClusterNotFoundException,
                ErrorCode::InvalidParameterException,
                ErrorCode::LimitExceededException,
                ErrorCode::ServerException,
                ErrorCode::ServiceNotActiveException,
                ErrorCode::ServiceNotFoundException,
                ErrorCode::TaskSetNotFoundException,
                ErrorCode::UnsupportedFeatureException,
            ],
        }
    }
}

/// Every exception shape the model declares.
pub const EXCEPTIONS: &[&str] = &[
    "AccessDeniedException",
    "AttributeLimitExceededException",
    "BlockedException",
    "ClientException",
    "ClusterContainsCapacityProviderException",
    "ClusterContainsContainerInstancesException",
    "ClusterContainsServicesException",
    "ClusterContainsTasksException",
    "ClusterNotFoundException",
    "ConflictException",
    "DaemonNotActiveException",
    "DaemonNotFoundException",
    "InvalidParameterException",
    "LimitExceededException",
    "MissingVersionException",
    "NamespaceNotFoundException",
    "NoUpdateAvailableException",
    "PlatformTaskDefinitionIncompatibilityException",
    "PlatformUnknownException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "ServerException",
    "ServiceDeploymentNotFoundException",
    "ServiceNotActiveException",
    "ServiceNotFoundException",
    "TargetNotConnectedException",
    "TargetNotFoundException",
    "TaskSetNotFoundException",
    "UnsupportedFeatureException",
    "UpdateInProgressException",
];
