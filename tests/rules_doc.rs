//! docs/rules.md cannot drift: every rule of the specification digest has a
//! row, every row marked `enforced` / `policy switch` is cited in `src/` (in
//! each file the row names), and every digest-style rule ID cited in `src/`
//! has a row. Regenerate with `python3 scripts/rules_doc.py`.
//!
//! The digest lives outside the crate (`shared/spec/`): it is found through
//! `DCR_SPEC_DIR`, or `../shared/spec` / `../../shared/spec` next to the
//! checkout. Without it the digest comparison is skipped with a notice, unless
//! `DCR_SPEC_DIR` is set (then a missing directory fails).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Row {
    status: String,
}

/// `AAA-BBB-NN`: upper-case letters / digits, two digits at the end.
fn is_rule_id(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        && parts[2].len() == 2
        && parts[2].bytes().all(|b| b.is_ascii_digit())
}

fn rule_ids_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).filter(|t| is_rule_id(t)).map(str::to_owned).collect()
}

fn doc_rows() -> BTreeMap<String, Row> {
    let doc = std::fs::read_to_string(format!("{ROOT}/docs/rules.md")).expect("docs/rules.md exists");
    let mut rows = BTreeMap::new();
    for line in doc.lines() {
        let Some(inner) = line.strip_prefix("| ").and_then(|l| l.strip_suffix(" |")) else { continue };
        let Some((id, rest)) = inner.split_once(" | ") else { continue };
        if !is_rule_id(id) {
            continue;
        }
        let (_, status) = rest.rsplit_once(" | ").expect("four columns");
        assert!(rows.insert(id.to_owned(), Row { status: status.to_owned() }).is_none(), "{id} has two rows in docs/rules.md");
    }
    rows
}

/// `src/` files (relative path → text without the unit-test module).
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default().to_owned();
                let rel = path.strip_prefix(ROOT).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&Path::new(ROOT).join("src"), &mut out);
    out
}

fn digest_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("DCR_SPEC_DIR") {
        assert!(Path::new(&d).join("README.md").is_file(), "DCR_SPEC_DIR={d} holds no digest");
        return Some(d.into());
    }
    ["../shared/spec", "../../shared/spec"].iter().map(|p| Path::new(ROOT).join(p)).find(|p| p.join("README.md").is_file())
}

fn digest_ids(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(first) = line.strip_prefix("| ").and_then(|l| l.split(" |").next())
                && is_rule_id(first.trim())
            {
                ids.insert(first.trim().to_owned());
            }
        }
    }
    ids
}

#[test]
fn rules_doc_statuses_are_backed_by_src() {
    let rows = doc_rows();
    let src = sources();
    let cited: BTreeMap<&String, BTreeSet<String>> = src.iter().map(|(f, t)| (f, rule_ids_in(t))).collect();
    assert!(rows.len() > 400, "docs/rules.md has only {} rule rows", rows.len());
    let mut problems = Vec::new();
    for (id, row) in &rows {
        let kind = ["enforced", "policy switch", "host", "n/a"].into_iter().find(|k| row.status.starts_with(&format!("{k}:")));
        match kind {
            None => problems.push(format!("{id}: unknown status `{}`", row.status)),
            Some("enforced" | "policy switch") => {
                let citing: Vec<&String> = cited.iter().filter(|(_, ids)| ids.contains(id)).map(|(f, _)| *f).collect();
                if citing.is_empty() {
                    problems.push(format!("{id}: marked `{}` but cited nowhere in src/", kind.unwrap_or_default()));
                }
                for named in row.status.split('`').filter(|s| s.starts_with("src/") && s.ends_with(".rs")) {
                    if !citing.iter().any(|f| f.as_str() == named) {
                        problems.push(format!("{id}: docs/rules.md names {named}, which does not cite it"));
                    }
                }
            }
            Some(_) => {}
        }
    }
    // The reverse: a digest-style rule cited in src/ must have a row
    // (project rules such as DCR-SSRF-01 and POLICY-* are not digest rules).
    let prefixes: BTreeSet<&str> = rows.keys().filter_map(|id| id.split('-').next()).collect();
    for (file, ids) in &cited {
        for id in ids {
            if prefixes.contains(id.split('-').next().unwrap_or_default()) && !rows.contains_key(id) {
                problems.push(format!("{file} cites {id}, which docs/rules.md does not list"));
            }
        }
    }
    assert!(problems.is_empty(), "docs/rules.md drifted (run `python3 scripts/rules_doc.py`):\n{}", problems.join("\n"));
}

#[test]
fn rules_doc_lists_every_digest_rule() {
    let Some(dir) = digest_dir() else {
        eprintln!("spec digest not found (set DCR_SPEC_DIR): digest comparison skipped");
        return;
    };
    let want = digest_ids(&dir);
    let have: BTreeSet<String> = doc_rows().into_keys().collect();
    let missing: Vec<&String> = want.difference(&have).collect();
    let extra: Vec<&String> = have.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "docs/rules.md vs the digest at {}: missing {missing:?}, not in the digest {extra:?} (run `python3 scripts/rules_doc.py`)",
        dir.display()
    );
    assert!(want.len() > 400, "digest parse found only {} rules", want.len());
}

#[test]
fn rules_doc_checker_can_fail() {
    // The checks above must be able to fail: a made-up row status and ID shapes.
    assert!(is_rule_id("RFC7591-REDIRECT-01") && is_rule_id("FAPI2MS-JARM-02"));
    assert!(!is_rule_id("RFC7591-REDIRECT-1") && !is_rule_id("rfc7591-redirect-01") && !is_rule_id("DCR-SSRF"));
    assert_eq!(rule_ids_in("// RFC7591-JWKS-01 / OIDCDCR-JWKS-05: x").len(), 2);
    assert!(!rule_ids_in("`RFC7591-OUT-0`").contains("RFC7591-OUT-0"));
    let src = sources();
    assert!(src.keys().any(|f| f == "src/registration.rs"));
    assert!(!src.values().any(|t| t.contains("ukob_err_01_description_is_capped_at_500_chars")), "unit-test modules are not citations");
}

/// Every rule docs/rules.md marks `enforced` or `policy switch` is named by at
/// least one test (Rust, Node or component scenario), so no enforced rule
/// goes without a passing and a failing case (issue #2's coverage promise).
/// This file and the golden hash list do not count.
#[test]
fn every_enforced_rule_is_named_by_a_test() {
    fn walk(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "target" && name != "node_modules" {
                    walk(&path, out);
                }
            } else if ["rs", "mjs", "json", "ts"].iter().any(|e| path.extension().is_some_and(|x| x == *e)) && name != "rules_doc.rs" {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    let mut tests = String::new();
    walk(&Path::new(ROOT).join("tests"), &mut tests);
    let named = rule_ids_in(&tests);
    let missing: Vec<String> = doc_rows()
        .into_iter()
        .filter(|(_, row)| row.status.starts_with("enforced:") || row.status.starts_with("policy switch:"))
        .map(|(id, _)| id)
        .filter(|id| !named.contains(id))
        .collect();
    assert!(missing.is_empty(), "enforced rules no test names: {missing:?}");
}
