#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Byte-for-byte answers of `validate_metadata` over a fixed corpus, against
//! answers recorded before the metadata hot path was optimised (issue 2).
//!
//! The corpus: every metadata vector under its own policy and under each
//! built-in profile, the bench and example documents, hand-written hostile
//! bodies (syntax, numbers, escapes, limits), and deterministic mutations of
//! the vectors (member values swapped for values of other types and tricky
//! URIs, members added and removed, bytes deleted / duplicated / replaced).
//! Each answer's JSON text is hashed (FNV-1a 64) and compared with
//! `tests/metadata_golden.txt`. Any difference in outcome, client, changes,
//! violations, messages, paths or member order fails the test.
//!
//! Regenerate (only when an answer is meant to change):
//! `DCR_GOLDEN_WRITE=1 cargo test --test metadata_golden`.
//! `DCR_GOLDEN_DUMP=<dir>` also writes every answer to `<dir>/<id>.json` for diffing.

use dcr_policy::ProfileId;
use dcr_policy::ffi;
use dcr_policy::metadata::FIELDS;
use serde_json::{Map, Value, json};

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n as u64)) as usize
    }
}

fn tricky_values() -> Vec<Value> {
    let mut v = vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(86400),
        json!(-1),
        json!(1.5),
        json!(""),
        json!([]),
        json!({}),
        json!([1]),
        json!([""]),
        json!("x"),
        json!("none"),
        json!("web"),
        json!("native"),
        json!("public"),
        json!("pairwise"),
        json!("RS256"),
        json!("HS256"),
        json!("PS256"),
        json!("RSA-OAEP"),
        json!("A128CBC-HS256"),
        json!("private_key_jwt"),
        json!("client_secret_jwt"),
        json!("tls_client_auth"),
        json!("self_signed_tls_client_auth"),
        json!("client_secret_basic"),
        json!("openid profile email"),
        json!("openid  bad\"scope"),
        json!("ops@example.com"),
        json!("CN=client,O=Example,C=GB"),
        json!("10.0.0.1"),
        json!("poll"),
        json!("ping"),
        json!(["authorization_code"]),
        json!(["authorization_code", "implicit", "refresh_token"]),
        json!(["client_credentials"]),
        json!(["password", "urn:openid:params:grant-type:ciba"]),
        json!(["code"]),
        json!(["code id_token", "token"]),
        json!(["id_token"]),
        json!(["ops@example.com", "not an email"]),
        json!({"keys": []}),
        json!({"keys": [{"kty": "RSA", "n": "abc", "e": "AQAB", "use": "sig"}, {"kty": "EC", "crv": "P-256", "x": "a", "key_ops": ["sign", "encrypt"]}]}),
        json!({"keys": [{"kty": "oct", "k": "c2VjcmV0", "d": "x"}, "nope", {"x5c": ["MII!"]}]}),
    ];
    for u in [
        "https://app.example.com/cb",
        "https://APP.example.com:443/cb?x=1",
        "https://app.example.com/cb#frag",
        "http://app.example.com/cb",
        "http://localhost:8080/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:5000/cb",
        "https://[::1]/cb",
        "https://localhost/cb",
        "com.example.app:/oauth2redirect",
        "com.example.app://host/cb",
        "myapp:/cb",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "https://*.example.com/cb",
        "https://a b/cb",
        "https://app.example.com/é",
        "https://app.example.com/%zz",
        "https://app.example.com:8x/",
        "https://[nope]/",
        "https://[v1.abc]/cb",
        "https://user:pw@app.example.com/cb",
        "/relative/cb",
        "1http://a",
        "https://10.0.0.5/jwks",
        "https://169.254.169.254/latest",
        "https://metadata.google.internal/x",
        "https://other.example.net/logo.png",
        "https://app.example.com/`tick`",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ] {
        v.push(json!(u));
        v.push(json!([u]));
    }
    v.push(json!(["https://app.example.com/cb", "https://app.example.com/cb", "https://other.example.net/cb"]));
    v.push(json!("a".repeat(80)));
    v.push(json!("\u{1F600} emoji \u{7}control"));
    v
}

fn member_names() -> Vec<String> {
    // Fields added after the corpus was first recorded are left out, so the
    // seeded mutations keep picking the same members (a longer list would
    // shift every mutation and hide real answer changes among input changes).
    // Each is covered by its own tests (require_pkce: tests/acceptance3.rs).
    const ADDED_LATER: [&str; 1] = ["require_pkce"];
    let mut names: Vec<String> = FIELDS.iter().filter(|f| !ADDED_LATER.contains(&f.name)).map(|f| f.name.to_owned()).collect();
    for extra in [
        "client_name#en",
        "client_name#EN",
        "client_name#ja-Jpan-JP",
        "logo_uri#fr-CA",
        "tos_uri#de",
        "policy_uri#bad tag",
        "client_uri#x-private",
        "redirect_uris#en",
        "x_extension",
        "a/b~c",
    ] {
        names.push(extra.to_owned());
    }
    names
}

fn vectors() -> Vec<(String, String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/metadata");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let metadata = match &v["metadata"] {
                Value::String(raw) => raw.clone(),
                other => other.to_string(),
            };
            (p.file_stem().unwrap().to_str().unwrap().to_owned(), v["policy"].to_string(), metadata)
        })
        .collect()
}

/// (id, metadata text, policy text).
fn corpus() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let profiles: Vec<String> = ProfileId::ALL.iter().map(|p| json!({ "profile": p.as_str() }).to_string()).collect();
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).unwrap();
    for (name, md, pol) in [
        ("bench", read("bench/metadata.json"), read("bench/policy.json")),
        ("example", read("examples/metadata.json"), read("examples/policy.json")),
    ] {
        out.push((name.to_owned(), md.clone(), pol));
        for (i, p) in profiles.iter().enumerate() {
            out.push((format!("{name}-profile{i}"), md.clone(), p.clone()));
        }
    }
    let hostile: Vec<String> = vec![
        String::new(),
        " ".into(),
        "null".into(),
        "[]".into(),
        "\"x\"".into(),
        "1".into(),
        "{".into(),
        "{}".into(),
        " \t\r\n{ } \n".into(),
        "{} {}".into(),
        "{}x".into(),
        "{,}".into(),
        "{\"a\":1,}".into(),
        "{\"a\" 1}".into(),
        "{\"a\":01}".into(),
        "{\"a\":1.}".into(),
        "{\"a\":.5}".into(),
        "{\"a\":-}".into(),
        "{\"a\":-0}".into(),
        "{\"a\":-0.0}".into(),
        "{\"a\":0e0,\"b\":1E+2,\"c\":1e-2,\"d\":12345678901234567890,\"e\":18446744073709551616,\"f\":-9223372036854775808,\"g\":-9223372036854775809}"
            .into(),
        "{\"default_max_age\":1e400}".into(),
        "{\"default_max_age\":86400.0}".into(),
        "{\"default_max_age\":8.64e4}".into(),
        "{\"default_max_age\":-5}".into(),
        "{\"a\":tru}".into(),
        "{\"a\":nul}".into(),
        "{\"a\":True}".into(),
        "{\"client_name\":\"caf\\u00e9 \\ud83d\\ude00 \\/ \\\\ \\\" \\b\\f\\n\\r\\t\"}".into(),
        "{\"client_name\":\"\\ud83d\"}".into(),
        "{\"client_name\":\"\\ude00\"}".into(),
        "{\"client_name\":\"\\ud83dx\"}".into(),
        "{\"client_name\":\"\\u12\"}".into(),
        "{\"client_name\":\"\\x\"}".into(),
        "{\"client_name\":\"a\u{1}b\"}".into(),
        "{\"client_name\":\"a\tb\"}".into(),
        "{\"client_name\":\"\u{7f}\u{80}\u{2028}\"}".into(),
        "{\"client_name\":\"unterminated}".into(),
        "{\"client\\u005fname\":\"escaped key\"}".into(),
        "{\"client_name\":\"a\",\"client_name\":\"b\"}".into(),
        "{\"client_name\":\"a\",\"client\\u005fname\":\"b\"}".into(),
        "{\"jwks\":{\"keys\":[{\"kty\":\"RSA\",\"kty\":\"EC\"}]}}".into(),
        "{\"x\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}".into(),
        "{\"x\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}".into(),
        "{\"x\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":1}}}}}}}}}}}}}}}}"
            .into(),
        format!("{{\"contacts\":[{}]}}", vec!["\"a@b.co\""; 257].join(",")),
        format!("{{\"contacts\":[{}]}}", vec!["\"a@b.co\""; 256].join(",")),
        format!("{{\"client_name\":\"{}\"}}", "a".repeat(16 * 1024 + 1)),
        format!("{{\"client_name\":\"{}\"}}", "a".repeat(16 * 1024)),
        format!("{{\"{}\":1}}", "k".repeat(16 * 1024 + 1)),
        format!("{{{}}}", (0..257).map(|i| format!("\"m{i}\":{i}")).collect::<Vec<_>>().join(",")),
        format!("{{{}}}", (0..256).map(|i| format!("\"m{i}\":{i}")).collect::<Vec<_>>().join(",")),
        format!("{{\"x\":{{{}}}}}", (0..257).map(|i| format!("\"m{i}\":{i}")).collect::<Vec<_>>().join(",")),
        format!("{{\"client_name\":\"{}\"}}", "a".repeat(70 * 1024)),
        format!("{}{}", "[".repeat(300), "]".repeat(300)),
        format!("{{\"x\":{}{}}}", "[".repeat(200), "]".repeat(200)),
        "\u{feff}{}".into(),
        "{\"redirect_uris\":[\"https://a/cb\"],\"a\":1}\u{0}".into(),
    ];
    for (i, h) in hostile.iter().enumerate() {
        out.push((format!("hostile{i}"), h.clone(), profiles[1].clone()));
        out.push((format!("hostile{i}-rfc"), h.clone(), "{}".into()));
    }
    // a tight limits policy: the same documents under small budgets
    let tight = json!({"profile": "oidc", "limits": {"max_body_bytes": 600, "max_depth": 3, "max_array_len": 2, "max_object_members": 12, "max_string_bytes": 40}}).to_string();
    let values = tricky_values();
    let names = member_names();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for (name, pol, md) in vectors() {
        out.push((name.clone(), md.clone(), pol.clone()));
        for (i, p) in profiles.iter().enumerate() {
            out.push((format!("{name}-profile{i}"), md.clone(), p.clone()));
        }
        out.push((format!("{name}-tight"), md.clone(), tight.clone()));
        let Ok(Value::Object(base)) = serde_json::from_str::<Value>(&md) else { continue };
        // semantic mutations: replace, remove, add members
        for k in 0..12 {
            let mut m: Map<String, Value> = base.clone();
            for _ in 0..(1 + rng.below(3)) {
                match rng.below(3) {
                    0 if !m.is_empty() => {
                        let key = m.keys().nth(rng.below(m.len())).unwrap().clone();
                        m.insert(key, values[rng.below(values.len())].clone());
                    }
                    1 if !m.is_empty() => {
                        let key = m.keys().nth(rng.below(m.len())).unwrap().clone();
                        m.shift_remove(&key);
                    }
                    _ => {
                        m.insert(names[rng.below(names.len())].clone(), values[rng.below(values.len())].clone());
                    }
                }
            }
            let text = if k % 2 == 0 { Value::Object(m).to_string() } else { serde_json::to_string_pretty(&Value::Object(m)).unwrap() };
            let policy = if k % 3 == 0 { profiles[rng.below(profiles.len())].clone() } else { pol.clone() };
            out.push((format!("{name}-sem{k}"), text, policy));
        }
        // byte mutations (mostly syntax errors: the error path and its message)
        let bytes = md.as_bytes();
        for k in 0..4 {
            let mut b = bytes.to_vec();
            if b.is_empty() {
                break;
            }
            let at = rng.below(b.len());
            match k {
                0 => {
                    b.remove(at);
                }
                1 => {
                    let c = b[at];
                    b.insert(at, c);
                }
                2 => b[at] = b"{}[]\":,0 \\tn-e.u"[rng.below(16)],
                _ => b.truncate(at),
            }
            out.push((format!("{name}-byte{k}"), String::from_utf8_lossy(&b).into_owned(), pol.clone()));
        }
    }
    out
}

/// The skins' answer text; the generic serde path must give the same bytes.
fn answer(metadata: &str, policy: &str) -> String {
    let answer = ffi::validate_metadata_call(metadata, Some(policy));
    let text = answer.to_json_text();
    assert_eq!(text, ffi::to_json(&answer), "the direct writer and serde disagree for {metadata:?}");
    // The wasm-bindgen skin's ASCII form: the same JSON value.
    let ascii = answer.to_ascii_json_text();
    assert!(ascii.is_ascii());
    assert_eq!(serde_json::from_str::<Value>(&ascii).unwrap(), serde_json::from_str::<Value>(&text).unwrap(), "{metadata:?}");
    text
}

#[test]
fn answers_match_the_recorded_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/metadata_golden.txt");
    let dump = std::env::var("DCR_GOLDEN_DUMP").ok();
    let mut lines = Vec::new();
    for (id, md, pol) in corpus() {
        let a = answer(&md, &pol);
        if let Some(dir) = &dump {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(format!("{dir}/{id}.json"), &a).unwrap();
        }
        lines.push(format!("{id} {:016x}", fnv(&a)));
    }
    let got = lines.join("\n") + "\n";
    if std::env::var("DCR_GOLDEN_WRITE").is_ok() {
        std::fs::write(path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap();
    let mut diffs = Vec::new();
    for (g, w) in got.lines().zip(want.lines()) {
        if g != w {
            diffs.push(format!("got {g}, recorded {w}"));
        }
    }
    assert_eq!(got.lines().count(), want.lines().count(), "corpus size changed");
    assert!(diffs.is_empty(), "{} answers differ (rerun with DCR_GOLDEN_DUMP=dir to see them):\n{}", diffs.len(), diffs.join("\n"));
    assert!(got.lines().count() > 3000, "corpus too small");
}

/// RFC7591-META-03 / UKOB-META-13: every difference between the request and
/// the returned client is visible. Replaying `changes` (by JSON Pointer) on
/// the request must give exactly `client`, for every answer in the corpus
/// that parsed to an object.
#[test]
fn replaying_the_changes_on_the_request_gives_the_client() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (id, md, pol) in corpus() {
        let Ok(Value::Object(mut replay)) = serde_json::from_str::<Value>(&md) else { continue };
        let answer: Value = serde_json::from_str(&ffi::validate_metadata_call(&md, Some(&pol)).to_json_text()).unwrap();
        let Some(client) = answer.get("client").and_then(Value::as_object) else { continue };
        // A document over the size limits (RFC7591-ENDPOINT-01) is refused
        // whole: nothing of it is read, the answer's client is empty.
        if client.is_empty() && answer["violations"].as_array().unwrap().iter().any(|v| v["rule"] == "RFC7591-ENDPOINT-01") {
            continue;
        }
        for change in answer["changes"].as_array().unwrap() {
            let path = change["path"].as_str().unwrap();
            let name = path.strip_prefix('/').unwrap().replace("~1", "/").replace("~0", "~");
            assert!(!path[1..].contains('/'), "{id}: nested change path {path}");
            match change.get("to") {
                Some(to) => replay.insert(name, to.clone()),
                None => replay.shift_remove(&name),
            };
        }
        checked += 1;
        if &replay != client {
            let rules: Vec<_> =
                answer["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap_or("").to_owned()).collect();
            let r: String = Value::Object(replay).to_string().chars().take(200).collect();
            let c: String = Value::Object(client.clone()).to_string().chars().take(200).collect();
            failures.push(format!("{id}: {} {rules:?} replayed {} != client {}", answer["outcome"], r, c));
        }
    }
    assert!(checked > 3000, "only {checked} answers checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} answers:\n{}",
        failures.len(),
        failures.iter().take(60).cloned().collect::<Vec<_>>().join("\n")
    );
}
