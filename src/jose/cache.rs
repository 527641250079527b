//! A small, bounded cache of parsed key sets, owned by a compiled policy.
//!
//! Parsing an RSA JWK costs more than verifying with it (the Montgomery
//! constant `R² mod n` is most of an exponentiation), and hosts send the same
//! directory and software key sets again and again. A [`KeyCache`] keyed by
//! the key set's whole JSON value (compared for equality, never by a hash
//! an attacker could collide: software key sets are attacker-chosen)
//! returns the already-parsed set.
//! It changes no decision: the same text always parses to the same keys, a
//! rotated key set is different text, and the least recently used entry
//! leaves when the cache is full.

use std::collections::VecDeque;

use serde_json::Value;

use super::Jwks;
use crate::error::Violation;

/// Parsed key sets by content; see the module docs.
#[derive(Debug, Clone)]
pub struct KeyCache {
    entries: VecDeque<(Value, Jwks)>,
    capacity: usize,
}

impl Default for KeyCache {
    fn default() -> Self {
        Self::new(16)
    }
}

impl KeyCache {
    /// A cache of at most `capacity` key sets (0 disables caching).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self { entries: VecDeque::with_capacity(capacity), capacity }
    }

    /// Number of cached key sets.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The parsed key set for `value`, from the cache or by
    /// [`Jwks::from_value`] (failures are not cached).
    ///
    /// # Errors
    /// As [`Jwks::from_value`].
    pub fn get_or_parse(&mut self, value: &Value, source_path: &str) -> Result<Jwks, Vec<Violation>> {
        if self.capacity == 0 {
            return Jwks::from_value(value, source_path);
        }
        if let Some(i) = self.entries.iter().position(|(v, _)| v == value)
            && let Some(hit) = self.entries.remove(i)
        {
            let jwks = hit.1.clone();
            self.entries.push_front(hit);
            return Ok(jwks);
        }
        let jwks = Jwks::from_value(value, source_path)?;
        if self.entries.len() >= self.capacity {
            self.entries.pop_back();
        }
        self.entries.push_front((value.clone(), jwks.clone()));
        Ok(jwks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(kid: &str) -> Value {
        let key: Value = serde_json::from_str(include_str!("../../tests/keys/directory-rsa2048.public.jwk.json")).unwrap();
        let mut key = key.as_object().cloned().unwrap();
        key.insert("kid".into(), Value::String(kid.into()));
        serde_json::json!({ "keys": [key] })
    }

    #[test]
    fn hits_by_content_and_evicts_the_least_recently_used() {
        let mut c = KeyCache::new(2);
        assert_eq!(c.get_or_parse(&set("a"), "").unwrap().kids(), vec!["a".to_owned()]);
        assert_eq!(c.get_or_parse(&set("a"), "").unwrap().kids(), vec!["a".to_owned()]);
        assert_eq!(c.len(), 1);
        c.get_or_parse(&set("b"), "").unwrap();
        c.get_or_parse(&set("a"), "").unwrap(); // a is now the most recent
        c.get_or_parse(&set("c"), "").unwrap(); // evicts b
        assert_eq!(c.len(), 2);
        let kids: Vec<_> = c.entries.iter().flat_map(|(_, j)| j.kids()).collect();
        assert_eq!(kids, vec!["c".to_owned(), "a".to_owned()]);
    }

    #[test]
    fn failures_are_not_cached_and_capacity_zero_disables() {
        let mut c = KeyCache::new(4);
        assert!(c.get_or_parse(&serde_json::json!({"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"}]}), "").is_err());
        assert!(c.is_empty());
        let mut off = KeyCache::new(0);
        off.get_or_parse(&set("a"), "").unwrap();
        assert!(off.is_empty());
    }
}
