#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), warn(missing_docs))]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod change;
pub mod credentials;
pub mod error;
pub mod ffi;
pub mod host;
pub mod jose;
pub mod limits;
pub mod management;
pub mod metadata;
pub mod pointer;
pub mod policy;
pub mod profiles;
pub mod registration;
pub mod rules;

mod bindings;

pub use change::{Change, ChangeAction};
pub use error::{ErrorCode, Report, Severity, Source, Violation};
pub use host::{Context, RandomSource, SeededRandom, SystemRandom};
pub use limits::Limits;
pub use metadata::{MetadataOutcome, validate_metadata};
pub use policy::{Policy, ProfileId};
