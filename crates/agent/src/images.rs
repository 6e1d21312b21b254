//! When to pull an image and when to use the local copy: the ECS agent's
//! `ECS_IMAGE_PULL_BEHAVIOR`, over any [`Runtime`].
//!
//! - `default`: pull; if the pull fails, use the cached image if there is one.
//! - `always`: pull; a failed pull fails the container.
//! - `once`: pull only the first time this agent uses the image; afterwards use the cached
//!   copy, unless it has disappeared (image cleanup), in which case pull again. A failed pull
//!   fails the container.
//! - `prefer-cached`: use the cached image if there is one, otherwise pull.
//!
//! "This agent" means this process: the set of pulled images is not persisted, so after an
//! agent restart `once` pulls each image once more.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::Mutex;

use crate::runtime::{ImageInfo, Runtime, RuntimeError};

/// `ECS_IMAGE_PULL_BEHAVIOR`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PullBehavior {
    #[default]
    Default,
    Always,
    Once,
    PreferCached,
}

impl PullBehavior {
    pub fn as_str(self) -> &'static str {
        match self {
            PullBehavior::Default => "default",
            PullBehavior::Always => "always",
            PullBehavior::Once => "once",
            PullBehavior::PreferCached => "prefer-cached",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown image pull behavior `{0}`: expected default, always, once or prefer-cached")]
pub struct UnknownPullBehavior(pub String);

impl FromStr for PullBehavior {
    type Err = UnknownPullBehavior;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "default" => Ok(PullBehavior::Default),
            "always" => Ok(PullBehavior::Always),
            "once" => Ok(PullBehavior::Once),
            "prefer-cached" => Ok(PullBehavior::PreferCached),
            _ => Err(UnknownPullBehavior(s.to_string())),
        }
    }
}

impl std::fmt::Display for PullBehavior {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Makes images available according to a [`PullBehavior`]; remembers what it pulled.
#[derive(Debug)]
pub struct ImagePuller {
    behavior: PullBehavior,
    /// Images this agent has pulled successfully (for `once`).
    pulled: Mutex<HashSet<String>>,
}

impl ImagePuller {
    pub fn new(behavior: PullBehavior) -> ImagePuller {
        ImagePuller { behavior, pulled: Mutex::new(HashSet::new()) }
    }

    pub fn behavior(&self) -> PullBehavior {
        self.behavior
    }

    /// Makes `image` present locally, pulling it or not as the behaviour says, and returns the
    /// local image.
    pub async fn ensure(
        &self,
        runtime: &dyn Runtime,
        image: &str,
    ) -> Result<ImageInfo, RuntimeError> {
        match self.behavior {
            PullBehavior::Always => self.pull(runtime, image).await,
            PullBehavior::Default => match self.pull(runtime, image).await {
                Ok(info) => Ok(info),
                Err(pull_error) => match runtime.image(image).await {
                    Ok(Some(cached)) => {
                        tracing::warn!(
                            image,
                            error = %pull_error,
                            "Pull failed, using the cached image."
                        );
                        Ok(cached)
                    }
                    // The pull error says more than "not present" or a second failure.
                    Ok(None) | Err(_) => Err(pull_error),
                },
            },
            PullBehavior::Once => {
                if self.was_pulled(image)
                    && let Some(cached) = runtime.image(image).await?
                {
                    return Ok(cached);
                }
                self.pull(runtime, image).await
            }
            PullBehavior::PreferCached => match runtime.image(image).await? {
                Some(cached) => Ok(cached),
                None => self.pull(runtime, image).await,
            },
        }
    }

    async fn pull(&self, runtime: &dyn Runtime, image: &str) -> Result<ImageInfo, RuntimeError> {
        let info = runtime.pull(image).await?;
        self.pulled
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(image.to_string());
        Ok(info)
    }

    fn was_pulled(&self, image: &str) -> bool {
        self.pulled.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).contains(image)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use futures::stream::BoxStream;

    use super::*;
    use crate::runtime::{
        ContainerSpec, ContainerStats, ContainerStatus, RuntimeEvent, RuntimeInfo, VolumeSpec,
    };

    /// A runtime with only images: a local image store, a registry that may be down, and a log
    /// of calls.
    #[derive(Default)]
    struct FakeImages {
        state: Mutex<FakeState>,
    }

    #[derive(Default)]
    struct FakeState {
        local: HashSet<String>,
        registry_up: bool,
        pulls: usize,
    }

    impl FakeImages {
        fn new(local: &[&str], registry_up: bool) -> FakeImages {
            let state = FakeState {
                local: local.iter().map(|s| s.to_string()).collect(),
                registry_up,
                pulls: 0,
            };
            FakeImages { state: Mutex::new(state) }
        }

        fn pulls(&self) -> usize {
            self.state.lock().unwrap().pulls
        }

        fn set_registry_up(&self, up: bool) {
            self.state.lock().unwrap().registry_up = up;
        }

        fn forget(&self, image: &str) {
            self.state.lock().unwrap().local.remove(image);
        }
    }

    fn info(image: &str, pulled: bool) -> ImageInfo {
        ImageInfo {
            id: format!("sha256:{image}"),
            digest: pulled.then(|| format!("{image}@sha256:d")),
        }
    }

    #[async_trait::async_trait]
    impl Runtime for FakeImages {
        async fn info(&self) -> Result<RuntimeInfo, RuntimeError> {
            unreachable!("not used by the puller")
        }
        async fn image(&self, image: &str) -> Result<Option<ImageInfo>, RuntimeError> {
            Ok(self.state.lock().unwrap().local.contains(image).then(|| info(image, false)))
        }
        async fn pull(&self, image: &str) -> Result<ImageInfo, RuntimeError> {
            let mut state = self.state.lock().unwrap();
            state.pulls += 1;
            if !state.registry_up {
                return Err(RuntimeError::Pull {
                    image: image.to_string(),
                    message: "registry down".to_string(),
                });
            }
            state.local.insert(image.to_string());
            Ok(info(image, true))
        }
        async fn create(&self, _: &ContainerSpec) -> Result<String, RuntimeError> {
            unreachable!()
        }
        async fn network_up(
            &self,
            _: &str,
            _: &std::collections::BTreeMap<String, String>,
            _: &api::agent::TaskNetworkSpec,
        ) -> Result<String, RuntimeError> {
            unreachable!()
        }
        async fn start(&self, _: &str) -> Result<(), RuntimeError> {
            unreachable!()
        }
        async fn stop(&self, _: &str, _: Duration) -> Result<(), RuntimeError> {
            unreachable!()
        }
        async fn remove(&self, _: &str) -> Result<(), RuntimeError> {
            unreachable!()
        }
        async fn inspect(&self, _: &str) -> Result<Option<ContainerStatus>, RuntimeError> {
            unreachable!()
        }
        async fn list(&self, _: &[(&str, &str)]) -> Result<Vec<ContainerStatus>, RuntimeError> {
            unreachable!()
        }
        async fn create_volume(&self, _: &VolumeSpec) -> Result<(), RuntimeError> {
            unreachable!()
        }
        async fn remove_volume(&self, _: &str) -> Result<(), RuntimeError> {
            unreachable!()
        }
        async fn volume(
            &self,
            _: &str,
        ) -> Result<Option<crate::runtime::VolumeInfo>, RuntimeError> {
            unreachable!()
        }
        fn events(
            &self,
            _: &[(&str, &str)],
        ) -> BoxStream<'static, Result<RuntimeEvent, RuntimeError>> {
            unreachable!()
        }
        fn logs(
            &self,
            _: &str,
            _: Option<i64>,
        ) -> BoxStream<'static, Result<crate::runtime::LogLine, RuntimeError>> {
            unreachable!()
        }
        async fn stats(&self, _: &str) -> Result<Option<ContainerStats>, RuntimeError> {
            unreachable!()
        }
    }

    const IMAGE: &str = "registry.example/app:1";

    #[test]
    fn parses_ecs_names() {
        for behavior in [
            PullBehavior::Default,
            PullBehavior::Always,
            PullBehavior::Once,
            PullBehavior::PreferCached,
        ] {
            assert_eq!(behavior.as_str().parse::<PullBehavior>(), Ok(behavior));
            assert_eq!(behavior.to_string(), behavior.as_str());
        }
        assert_eq!("prefer-cached".parse(), Ok(PullBehavior::PreferCached));
        assert_eq!(
            "Always".parse::<PullBehavior>(),
            Err(UnknownPullBehavior("Always".to_string())),
            "ECS values are lower case"
        );
        assert_eq!(PullBehavior::default(), PullBehavior::Default);
    }

    #[tokio::test]
    async fn default_pulls_and_falls_back_to_the_cache() {
        let puller = ImagePuller::new(PullBehavior::Default);
        let runtime = FakeImages::new(&[IMAGE], true);
        assert_eq!(puller.ensure(&runtime, IMAGE).await.unwrap(), info(IMAGE, true));
        assert_eq!(runtime.pulls(), 1, "default pulls even when cached");

        runtime.set_registry_up(false);
        assert_eq!(puller.ensure(&runtime, IMAGE).await.unwrap(), info(IMAGE, false));
        assert_eq!(runtime.pulls(), 2);

        runtime.forget(IMAGE);
        let err = puller.ensure(&runtime, IMAGE).await.unwrap_err();
        assert!(matches!(err, RuntimeError::Pull { .. }), "{err}");
    }

    #[tokio::test]
    async fn always_pulls_and_fails_with_the_pull() {
        let puller = ImagePuller::new(PullBehavior::Always);
        let runtime = FakeImages::new(&[IMAGE], true);
        puller.ensure(&runtime, IMAGE).await.unwrap();
        puller.ensure(&runtime, IMAGE).await.unwrap();
        assert_eq!(runtime.pulls(), 2);
        runtime.set_registry_up(false);
        let err = puller.ensure(&runtime, IMAGE).await.unwrap_err();
        assert!(matches!(err, RuntimeError::Pull { .. }), "cached copy must not be used: {err}");
    }

    #[tokio::test]
    async fn once_pulls_the_first_time_only() {
        let puller = ImagePuller::new(PullBehavior::Once);
        // Present locally but never pulled by this agent: pulled anyway.
        let runtime = FakeImages::new(&[IMAGE], true);
        assert_eq!(puller.ensure(&runtime, IMAGE).await.unwrap(), info(IMAGE, true));
        assert_eq!(runtime.pulls(), 1);
        // Afterwards the cache serves, even with the registry down.
        runtime.set_registry_up(false);
        assert_eq!(puller.ensure(&runtime, IMAGE).await.unwrap(), info(IMAGE, false));
        assert_eq!(runtime.pulls(), 1);
        // Cleaned up behind our back: pulled again (and that pull can fail).
        runtime.forget(IMAGE);
        assert!(matches!(puller.ensure(&runtime, IMAGE).await, Err(RuntimeError::Pull { .. })));
        assert_eq!(runtime.pulls(), 2);
        runtime.set_registry_up(true);
        puller.ensure(&runtime, IMAGE).await.unwrap();
        assert_eq!(runtime.pulls(), 3);

        // A failed first pull does not count as pulled.
        let other = "registry.example/other:1";
        let runtime = FakeImages::new(&[other], false);
        assert!(matches!(puller.ensure(&runtime, other).await, Err(RuntimeError::Pull { .. })));
        runtime.set_registry_up(true);
        puller.ensure(&runtime, other).await.unwrap();
        assert_eq!(runtime.pulls(), 2);
    }

    #[tokio::test]
    async fn prefer_cached_pulls_only_when_missing() {
        let puller = ImagePuller::new(PullBehavior::PreferCached);
        let runtime = FakeImages::new(&[IMAGE], false);
        assert_eq!(puller.ensure(&runtime, IMAGE).await.unwrap(), info(IMAGE, false));
        assert_eq!(runtime.pulls(), 0);

        let missing = "registry.example/missing:1";
        assert!(matches!(puller.ensure(&runtime, missing).await, Err(RuntimeError::Pull { .. })));
        runtime.set_registry_up(true);
        assert_eq!(puller.ensure(&runtime, missing).await.unwrap(), info(missing, true));
        assert_eq!(runtime.pulls(), 2);
    }
}
