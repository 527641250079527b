//! Thin skins over [`crate::ffi`]; each behind its own feature.

#[cfg(feature = "wasm-bindgen")]
mod wasm_bindgen;

#[cfg(feature = "component")]
mod component;
