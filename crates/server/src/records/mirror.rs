//! `mirror!`: a record type that holds every member of an ECS shape, some of them typed.

/// Declares `$name`, a record holding the members of `api::$api`: each plain member as in the
/// ECS shape (left out of the JSON when unset), each `typed` member as a state enum written as
/// its ECS name, and `extra` members of Berth's own. `into_api` gives the ECS shape (extras
/// dropped); `From<api::$api>` reads one (typed members leniently, extras empty). The member
/// lists are the model's: `into_api` names every member of the ECS shape, so a list that misses
/// one (after the model is regenerated, say) does not compile, and no member is dropped on a
/// read-modify-write.
macro_rules! mirror {
    (
        $(#[$doc:meta])*
        $name:ident = api::$api:ident {
            typed { $($typed:ident: $typed_ty:ty,)* }
            $($(#[$attr:meta])* $field:ident: $field_ty:ty,)*
        }
        extra { $($(#[$extra_doc:meta])* $extra:ident: $extra_ty:ty,)* }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub(crate) struct $name {
            $(
                #[serde(default)]
                pub(crate) $typed: $typed_ty,
            )*
            $(
                $(#[$attr])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub(crate) $field: $field_ty,
            )*
            $(
                $(#[$extra_doc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub(crate) $extra: $extra_ty,
            )*
        }

        impl $name {
            /// In ECS's shape.
            pub(crate) fn into_api(self) -> api::$api {
                api::$api {
                    $($typed: Some(self.$typed.as_str().to_owned()),)*
                    $($field: self.$field,)*
                }
            }
        }

        /// ECS's shape as Berth would store it, its states read leniently.
        impl From<api::$api> for $name {
            fn from(value: api::$api) -> $name {
                $name {
                    $(
                        $typed: value
                            .$typed
                            .as_deref()
                            .map_or_else(Default::default, <$typed_ty>::from_name),
                    )*
                    $($field: value.$field,)*
                    $($extra: Default::default(),)*
                }
            }
        }
    };
}

pub(crate) use mirror;
