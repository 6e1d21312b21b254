//! PutAttributes, DeleteAttributes and ListAttributes.

use super::*;

/// Applies `change` to the attributes of the instances the given attributes target, all in one
/// transaction: a call refused for any attribute (an unknown target, a limit) writes nothing.
async fn change_attributes(
    ctx: &Ctx,
    cluster_name: &str,
    attributes: &[Attribute],
    change: impl Fn(&mut Vec<Attribute>, &Attribute) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let target_not_found = |target: &str| {
        ApiError::new(
            ErrorCode::TargetNotFoundException,
            format!("Could not find the target {target}."),
        )
    };
    // Every attribute's instance, in the order of the call.
    let mut targets: Vec<(String, &str, &Attribute)> = Vec::with_capacity(attributes.len());
    for attribute in attributes {
        if attribute.target_type.is_some_and(|t| t != TargetType::ContainerInstance) {
            return Err(ApiError::invalid_parameter(
                "Attributes can only target container instances.",
            ));
        }
        let target = attribute.target_id.as_deref().ok_or_else(|| {
            ApiError::invalid_parameter(format!("Attribute {} needs a targetId.", attribute.name))
        })?;
        let id = instance_id(ctx, cluster_name, target)?.ok_or_else(|| target_not_found(target))?;
        targets.push((id, target, attribute));
    }
    for _ in 0..crate::records::CAS_ATTEMPTS {
        let mut changed: BTreeMap<&str, (InstanceRecord, store::Revision)> = BTreeMap::new();
        for (id, target, attribute) in &targets {
            if !changed.contains_key(id.as_str()) {
                let key = keys::instance(cluster_name, id);
                let current = crate::records::get::<InstanceRecord>(ctx.store(), &key)
                    .await?
                    .ok_or_else(|| target_not_found(target))?;
                changed.insert(id, (current.value, current.mod_revision));
            }
            let (record, _) = changed.get_mut(id.as_str()).expect("read above");
            change(record.instance.attributes.get_or_insert_with(Vec::new), attribute)?;
        }
        let mut txn = Txn::new();
        for (id, (record, revision)) in &changed {
            let key = keys::instance(cluster_name, id);
            txn = txn
                .when(Compare::mod_revision(&key, *revision))
                .then(Op::put(&key, encode(record)));
        }
        let response = ctx.store().txn(txn).await.map_err(internal)?;
        if response.succeeded {
            ctx.state().wait_for(response.revision).await;
            return Ok(());
        }
    }
    Err(crate::records::contention(&keys::instance(cluster_name, "*")))
}

pub(crate) async fn put_attributes(
    ctx: &Ctx,
    req: PutAttributesRequest,
) -> Result<PutAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let limit = ctx.config().quotas.custom_attributes_per_resource;
    for attribute in &req.attributes {
        check_attribute(attribute)?;
        if builtin(&attribute.name) {
            return Err(ApiError::invalid_parameter(format!(
                "Attribute names starting with ecs. or com.amazonaws.ecs. are reserved: {}.",
                attribute.name
            )));
        }
    }
    change_attributes(ctx, &cluster_name, &req.attributes, |list, attribute| {
        match list.iter_mut().find(|a| a.name == attribute.name) {
            Some(existing) => existing.value = attribute.value.clone(),
            None => list.push(Attribute {
                name: attribute.name.clone(),
                value: attribute.value.clone(),
                target_type: None,
                target_id: None,
            }),
        }
        if list.iter().filter(|a| !builtin(&a.name)).count() > limit {
            return Err(ApiError::new(
                ErrorCode::AttributeLimitExceededException,
                format!("A container instance can have at most {limit} custom attributes."),
            ));
        }
        Ok(())
    })
    .await?;
    Ok(PutAttributesResponse { attributes: Some(req.attributes) })
}

pub(crate) async fn delete_attributes(
    ctx: &Ctx,
    req: DeleteAttributesRequest,
) -> Result<DeleteAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    for attribute in &req.attributes {
        if builtin(&attribute.name) {
            return Err(ApiError::invalid_parameter(format!(
                "Attribute {} belongs to ECS and cannot be deleted.",
                attribute.name
            )));
        }
    }
    change_attributes(ctx, &cluster_name, &req.attributes, |list, attribute| {
        list.retain(|a| a.name != attribute.name);
        Ok(())
    })
    .await?;
    Ok(DeleteAttributesResponse { attributes: Some(req.attributes) })
}

pub(crate) async fn list_attributes(
    ctx: &Ctx,
    req: ListAttributesRequest,
) -> Result<ListAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.target_type != TargetType::ContainerInstance {
        return Err(ApiError::invalid_parameter("targetType must be container-instance."));
    }
    if req.attribute_value.is_some() && req.attribute_name.is_none() {
        return Err(ApiError::invalid_parameter(
            "attributeValue can only be given with attributeName.",
        ));
    }
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListAttributes", req.next_token.as_deref())?;
    let mut listed: Vec<(String, Attribute)> = Vec::new();
    {
        let index = ctx.state().read();
        if let Some(cluster) = index.cluster(&cluster_name) {
            for entry in cluster.instances.values() {
                let ci = &entry.record.instance;
                if ci.status == InstanceStatus::Inactive {
                    continue;
                }
                for attribute in ci.attributes.iter().flatten() {
                    if req.attribute_name.as_ref().is_some_and(|n| n != &attribute.name)
                        || req
                            .attribute_value
                            .as_ref()
                            .is_some_and(|v| Some(v) != attribute.value.as_ref())
                    {
                        continue;
                    }
                    listed.push((
                        format!("{}\n{}", entry.record.id, attribute.name),
                        Attribute {
                            name: attribute.name.clone(),
                            value: attribute.value.clone(),
                            target_type: Some(TargetType::ContainerInstance),
                            target_id: ci.container_instance_arn.clone(),
                        },
                    ));
                }
            }
        }
    }
    let (page, next_token) =
        paging::page(listed, |(k, _)| k.clone(), "ListAttributes", after.as_deref(), size, true);
    Ok(ListAttributesResponse {
        attributes: Some(page.into_iter().map(|(_, a)| a).collect()),
        next_token,
    })
}
