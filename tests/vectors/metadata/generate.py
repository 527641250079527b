#!/usr/bin/env python3
"""Writes the metadata vector files (one JSON file per case) and the list of
Rust test names (tests/metadata_vectors.in). Run from the repo root:
`python3 tests/vectors/metadata/generate.py`. The JSON files are the corpus;
this script only keeps them consistent. Each file:
{description, rules, policy, metadata, expect: {outcome, violations: [{rule, error, path, severity?}],
 changes?: [{path, action}], client?: {...partial...}, client_absent?: [...]}}
`metadata` is a JSON object, or a string sent as the raw request body.
Violations are compared exactly (as a multiset); changes exactly when given."""
import json, os, glob

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = []
M, R = "invalid_client_metadata", "invalid_redirect_uri"
OIDC = {"profile": "oidc"}
RFC = {}
CB = "https://app.example.com/cb"
WEB = {"redirect_uris": [CB]}


def v(rule, path, error=M, severity=None):
    d = {"rule": rule, "error": error, "path": path}
    if severity:
        d["severity"] = severity
    return d


def w(rule, path, error=M):
    return v(rule, path, error, "warning")


def case(name, rules, desc, policy, metadata, violations=(), changes=None, client=None, client_absent=None, outcome=None):
    errors = [x for x in violations if x.get("severity", "error") == "error"]
    exp = {"outcome": outcome or ("rejected" if errors else "accepted"), "violations": list(violations)}
    if changes is not None:
        exp["changes"] = [{"path": p, "action": a} for p, a in changes]
    if client is not None:
        exp["client"] = client
    if client_absent is not None:
        exp["client_absent"] = client_absent
    CASES.append((name, {"description": desc, "rules": rules, "policy": policy, "metadata": metadata, "expect": exp}))


def P(**kw):
    """policy with checks / capabilities shorthands"""
    p = dict(kw)
    return p


def oidc(**kw):
    p = {"profile": "oidc"}
    p.update(kw)
    return p


def caps(profile="oidc", **kw):
    return {"profile": profile, "capabilities": kw}


def chk(profile="oidc", **kw):
    return {"profile": profile, "checks": kw}


# ---------------------------------------------------------------- types, nulls, unknowns, limits
case("rfc7591_meta_04_pass_all_types", ["RFC7591-META-04"], "every field with its right json type is accepted", RFC,
     {"redirect_uris": [CB], "client_name": "App", "contacts": ["ops@example.com"], "jwks_uri": "https://app.example.com/jwks",
      "default_max_age": 3600, "require_auth_time": True, "scope": "openid profile", "software_id": "4NRB1-0XZABZI9E6-5SM3R",
      "software_version": "2.1"}, [])
case("rfc7591_meta_04_fail_wrong_types", ["RFC7591-META-04"], "wrong json types are each reported with their path", RFC,
     {"redirect_uris": CB, "client_name": 5, "contacts": ["ops@example.com", 7], "jwks_uri": [], "software_version": 2.1,
      "client_id_issued_at": -5, "jwks": "keys"},
     [v("RFC7591-META-04", "/redirect_uris", R), v("RFC7591-META-04", "/client_name"), v("RFC7591-META-04", "/contacts/1"),
      v("RFC7591-META-04", "/jwks_uri"), v("RFC7591-META-04", "/software_version"), v("RFC7591-META-04", "/client_id_issued_at"),
      v("RFC7591-JWKS-02", "/jwks")])
case("rfc7591_meta_04_fail_empty_values", ["RFC7591-META-04"], "empty strings, empty grant_types and empty array entries are refused", RFC,
     {"redirect_uris": [CB, ""], "client_name": "", "grant_types": []},
     [v("RFC7591-META-04", "/redirect_uris/1", R), v("RFC7591-META-04", "/client_name"), v("RFC7591-META-04", "/grant_types")])
case("rfc7591_meta_04_null_is_absent", ["RFC7591-META-04", "RFC7591-GRANT-01"], "null members are removed and then defaulted like absent ones", RFC,
     {"redirect_uris": [CB], "client_name": None, "grant_types": None},
     [], changes=[("/client_name", "removed"), ("/grant_types", "removed"), ("/grant_types", "defaulted"),
                  ("/response_types", "defaulted"), ("/token_endpoint_auth_method", "defaulted")],
     client={"grant_types": ["authorization_code"]}, client_absent=["client_name"])
case("rfc7591_meta_04_fail_non_string_array_elements", ["RFC7591-META-04"], "non-string array elements", RFC,
     {"redirect_uris": [CB], "grant_types": ["authorization_code", None, {"a": 1}], "response_types": [["code"]]},
     [v("RFC7591-META-04", "/grant_types/1"), v("RFC7591-META-04", "/grant_types/2"), v("RFC7591-META-04", "/response_types/0")])
case("rfc7591_meta_02_keep_unknown", ["RFC7591-META-02"], "unknown fields are kept by default and never an error", RFC,
     {"redirect_uris": [CB], "example_extension_parameter": {"nested": [1, 2]}, "redirect_uris#en": ["x"]}, [],
     client={"example_extension_parameter": {"nested": [1, 2]}, "redirect_uris#en": ["x"]})
case("rfc7591_meta_02_drop_unknown", ["RFC7591-META-02"], "unknown_fields: drop removes unknown members and records it", {"unknown_fields": "drop"},
     {"redirect_uris": [CB], "example_extension_parameter": "x", "client_name": "App", "client_name#de": "App"}, [],
     changes=[("/example_extension_parameter", "removed"), ("/grant_types", "defaulted"), ("/response_types", "defaulted"),
              ("/token_endpoint_auth_method", "defaulted")],
     client={"client_name#de": "App"}, client_absent=["example_extension_parameter"])
case("rfc7591_endpoint_01_fail_not_object", ["RFC7591-ENDPOINT-01"], "a body that is not a json object", RFC, "[1,2]",
     [v("RFC7591-ENDPOINT-01", "")])
case("rfc7591_endpoint_01_fail_syntax", ["RFC7591-ENDPOINT-01"], "malformed json", RFC, '{"redirect_uris": [',
     [v("RFC7591-ENDPOINT-01", "")])
case("rfc7591_endpoint_01_fail_duplicate_member", ["RFC7591-ENDPOINT-01"], "duplicate member names", RFC,
     '{"client_name":"a","client_name":"b"}', [v("RFC7591-ENDPOINT-01", "/client_name")])
case("rfc7591_endpoint_01_fail_huge_string", ["RFC7591-ENDPOINT-01"], "a string over limits.max_string_bytes",
     {"limits": {"max_string_bytes": 256}}, {"redirect_uris": [CB], "client_name": "x" * 257}, [v("RFC7591-ENDPOINT-01", "/client_name")])
case("rfc7591_endpoint_01_fail_too_many_redirect_uris", ["RFC7591-ENDPOINT-01"], "more redirect uris than limits.max_array_len",
     {"limits": {"max_array_len": 3}}, {"redirect_uris": [CB + str(i) for i in range(4)]}, [v("RFC7591-ENDPOINT-01", "/redirect_uris")])
case("rfc7591_endpoint_01_fail_deep_nesting", ["RFC7591-ENDPOINT-01"], "nesting deeper than limits.max_depth", {"limits": {"max_depth": 4}},
     {"redirect_uris": [CB], "x": {"a": {"b": {"c": {}}}}}, [v("RFC7591-ENDPOINT-01", "/x/a/b/c")])
case("rfc7591_endpoint_01_pass_within_limits", ["RFC7591-ENDPOINT-01"], "a document inside every limit", {"limits": {"max_depth": 4, "max_array_len": 3}},
     {"redirect_uris": [CB], "x": {"a": {"b": 1}}}, [])

# ---------------------------------------------------------------- redirect URIs
case("rfc7591_redirect_01_fail_missing", ["RFC7591-REDIRECT-01"], "authorization_code (default) without redirect uris", RFC,
     {"client_name": "App"}, [v("RFC7591-REDIRECT-01", "/redirect_uris", R)])
case("rfc7591_redirect_01_fail_empty_array", ["RFC7591-REDIRECT-01"], "an empty array counts as missing", RFC,
     {"redirect_uris": []}, [v("RFC7591-REDIRECT-01", "/redirect_uris", R)])
case("rfc7591_redirect_01_pass_client_credentials", ["RFC7591-REDIRECT-01", "RFC7591-RESPTYPE-01"], "a client_credentials client needs no redirect uris and gets no response type", RFC,
     {"grant_types": ["client_credentials"]}, [], changes=[("/token_endpoint_auth_method", "defaulted")], client_absent=["response_types", "redirect_uris"])
case("oidcdcr_redirect_01_fail_missing", ["OIDCDCR-REDIRECT-01"], "oidc: response types without redirect uris", OIDC,
     {"response_types": ["code"]}, [v("OIDCDCR-REDIRECT-01", "/redirect_uris", R)])
case("oidcdcr_redirect_01_pass_no_response_types", ["OIDCDCR-REDIRECT-01"], "oidc: a client_credentials client may omit redirect uris", OIDC,
     {"grant_types": ["client_credentials"]}, [])
case("rfc7591_redirect_02_fail_http_remote", ["RFC7591-REDIRECT-02"], "http to a remote host", RFC,
     {"redirect_uris": ["http://app.example.com/cb"]}, [v("RFC7591-REDIRECT-02", "/redirect_uris/0", R)])
case("rfc7591_redirect_02_pass_http_localhost_https_private", ["RFC7591-REDIRECT-02"], "https, http on the local machine, and a private-use scheme", RFC,
     {"redirect_uris": [CB, "http://localhost:8080/cb", "com.example.app:/cb"]}, [])
case("rfc7591_redirect_03_fail_fragment", ["RFC7591-REDIRECT-03"], "a fragment, even an empty one", RFC,
     {"redirect_uris": ["https://app.example.com/cb#x", "https://app.example.com/cb2#"]},
     [v("RFC7591-REDIRECT-03", "/redirect_uris/0", R), v("RFC7591-REDIRECT-03", "/redirect_uris/1", R)])
case("rfc7591_redirect_03_fail_not_absolute", ["RFC7591-REDIRECT-03"], "relative references and non-uris", RFC,
     {"redirect_uris": ["/cb", "https://app example.com/cb", "https://app.example.com/%zz"]},
     [v("RFC7591-REDIRECT-03", "/redirect_uris/0", R), v("RFC7591-REDIRECT-03", "/redirect_uris/1", R), v("RFC7591-REDIRECT-03", "/redirect_uris/2", R)])
case("rfc7591_redirect_03_pass_query", ["RFC7591-REDIRECT-03"], "a query component is fine", RFC,
     {"redirect_uris": ["https://app.example.com/cb?tenant=a"]}, [])
case("rfc7591_redirect_04_fail_dangerous_schemes", ["RFC7591-REDIRECT-04"], "javascript:, data:, file: (case-insensitive)", RFC,
     {"redirect_uris": ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "file:///etc/passwd"]},
     [v("RFC7591-REDIRECT-04", f"/redirect_uris/{i}", R) for i in range(4)])
case("rfc7591_redirect_05_dedup", ["RFC7591-REDIRECT-05"], "duplicate redirect uris are removed, order kept", RFC,
     {"redirect_uris": [CB, "https://app.example.com/b", CB]}, [],
     changes=[("/grant_types", "defaulted"), ("/response_types", "defaulted"), ("/token_endpoint_auth_method", "defaulted"), ("/redirect_uris", "overridden")],
     client={"redirect_uris": [CB, "https://app.example.com/b"]})
case("bcp_redirect_01_fail_wildcard", ["BCP-REDIRECT-01"], "wildcards in host or path", RFC,
     {"redirect_uris": ["https://*.example.com/cb", "https://app.example.com/*"]},
     [v("BCP-REDIRECT-01", "/redirect_uris/0", R), v("BCP-REDIRECT-01", "/redirect_uris/1", R)])
# OIDCDCR-REDIRECT-02 (redirect URIs are never replaced) is enforced when the
# policy loads: `enforce.redirect_uris` is a policy error (tests/policy.rs).

# ---------------------------------------------------------------- application_type
case("oidcdcr_apptype_01_fail_value", ["OIDCDCR-APPTYPE-01"], "application_type must be web or native", OIDC,
     {"redirect_uris": [CB], "application_type": "mobile"}, [v("OIDCDCR-APPTYPE-01", "/application_type")])
case("oidcdcr_apptype_01_default_web", ["OIDCDCR-APPTYPE-01", "OIDCDCR-IDTOK-01", "OIDCDCR-SUBJ-01"], "oidc defaults", OIDC, dict(WEB), [],
     changes=[("/grant_types", "defaulted"), ("/response_types", "defaulted"), ("/token_endpoint_auth_method", "defaulted"),
              ("/application_type", "defaulted"), ("/id_token_signed_response_alg", "defaulted"), ("/subject_type", "defaulted")],
     client={"application_type": "web", "id_token_signed_response_alg": "RS256", "subject_type": "public", "grant_types": ["authorization_code"],
             "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"})
IMPL = {"grant_types": ["implicit"], "response_types": ["id_token"]}
case("oidcdcr_apptype_02_fail_implicit_http_or_localhost", ["OIDCDCR-APPTYPE-02"], "web + implicit: https only, never localhost", OIDC,
     dict(IMPL, redirect_uris=["http://app.example.com/cb", "https://localhost/cb"]),
     [v("OIDCDCR-APPTYPE-02", "/redirect_uris/0", R), v("OIDCDCR-APPTYPE-02", "/redirect_uris/1", R), w("BCP-IMPLICIT-01", "/grant_types/0")])
case("oidcdcr_apptype_02_pass_implicit_https", ["OIDCDCR-APPTYPE-02", "BCP-IMPLICIT-01"], "web + implicit on https is accepted (with the bcp warning)", OIDC,
     dict(IMPL, redirect_uris=[CB]), [w("BCP-IMPLICIT-01", "/grant_types/0")])
NATIVE = {"application_type": "native", "token_endpoint_auth_method": "none"}
case("oidcdcr_apptype_03_fail_native_http_remote", ["OIDCDCR-APPTYPE-03"], "native: http only on loopback", OIDC,
     dict(NATIVE, redirect_uris=["http://app.example.com/cb"]), [v("OIDCDCR-APPTYPE-03", "/redirect_uris/0", R)])
case("oidcdcr_apptype_03_pass_native_options", ["OIDCDCR-APPTYPE-03", "RFC8252-REDIRECT-01"], "native: loopback ip, private-use scheme, claimed https", OIDC,
     dict(NATIVE, redirect_uris=["http://127.0.0.1:5000/cb", "http://[::1]/cb", "com.example.app:/oauth2redirect", "https://app.example.com/native"]), [])
case("oidcdcr_apptype_03_fail_claimed_https_switched_off", ["OIDCDCR-APPTYPE-03"], "native_allow_claimed_https: false", chk(native_allow_claimed_https=False),
     dict(NATIVE, redirect_uris=["https://app.example.com/native"]), [v("OIDCDCR-APPTYPE-03", "/redirect_uris/0", R)])
case("oidcdcr_apptype_04_fail_web_http", ["OIDCDCR-APPTYPE-04"], "oidc web clients may not use http, even on localhost", OIDC,
     {"redirect_uris": ["http://localhost:3000/cb"]}, [v("OIDCDCR-APPTYPE-04", "/redirect_uris/0", R)])
case("oidcdcr_apptype_04_pass_switched_off", ["OIDCDCR-APPTYPE-04"], "refuse_http_redirects: false allows local http", chk(refuse_http_redirects=False),
     {"redirect_uris": ["http://localhost:3000/cb"]}, [])
case("oidcdcr_apptype_05_fail_web_private_scheme", ["OIDCDCR-APPTYPE-05"], "web clients register only web uris", OIDC,
     {"redirect_uris": ["com.example.app:/cb"]}, [v("OIDCDCR-APPTYPE-05", "/redirect_uris/0", R)])
case("rfc8252_redirect_02_fail_scheme_without_dot", ["RFC8252-REDIRECT-02"], "private-use scheme must be a reversed domain", OIDC,
     dict(NATIVE, redirect_uris=["myapp:/cb"]), [v("RFC8252-REDIRECT-02", "/redirect_uris/0", R)])
case("rfc8252_redirect_02_pass_switched_off", ["RFC8252-REDIRECT-02"], "private_use_scheme_needs_dot: false", chk(private_use_scheme_needs_dot=False),
     dict(NATIVE, redirect_uris=["myapp:/cb"]), [])
case("rfc8252_redirect_03_warn_authority", ["RFC8252-REDIRECT-03"], "scheme:// is valid but unusual: warning only", OIDC,
     dict(NATIVE, redirect_uris=["com.example.app://cb"]), [w("RFC8252-REDIRECT-03", "/redirect_uris/0", R)])
case("rfc8252_redirect_04_fail_https_loopback", ["RFC8252-REDIRECT-04"], "loopback redirects use http", OIDC,
     dict(NATIVE, redirect_uris=["https://127.0.0.1:5000/cb"]), [v("RFC8252-REDIRECT-04", "/redirect_uris/0", R)])
case("rfc8252_redirect_05_warn_localhost", ["RFC8252-REDIRECT-05"], "localhost is not recommended: warning", OIDC,
     dict(NATIVE, redirect_uris=["http://localhost:5000/cb"]), [w("RFC8252-REDIRECT-05", "/redirect_uris/0", R)])
case("rfc8252_redirect_05_fail_strict", ["RFC8252-REDIRECT-05"], "native_localhost: reject", chk(native_localhost="reject"),
     dict(NATIVE, redirect_uris=["http://localhost:5000/cb"]), [v("RFC8252-REDIRECT-05", "/redirect_uris/0", R)])
case("rfc8252_implicit_01_warn_native_implicit", ["RFC8252-IMPLICIT-01"], "native apps should not use implicit", OIDC,
     dict(NATIVE, redirect_uris=["com.example.app:/cb"], **IMPL), [w("RFC8252-IMPLICIT-01", "/grant_types/0"), w("BCP-IMPLICIT-01", "/grant_types/0")])

# ---------------------------------------------------------------- grant / response types
case("rfc7591_grant_01_default", ["RFC7591-GRANT-01", "RFC7591-RESPTYPE-01", "RFC7591-AUTH-01"], "rfc 7591 defaults", RFC, dict(WEB), [],
     changes=[("/grant_types", "defaulted"), ("/response_types", "defaulted"), ("/token_endpoint_auth_method", "defaulted")],
     client={"grant_types": ["authorization_code"], "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"},
     client_absent=["application_type", "id_token_signed_response_alg"])
case("rfc7591_grantresp_01_fail_inconsistent", ["RFC7591-GRANTRESP-01"], "token response type without implicit; authorization_code without code", RFC,
     {"redirect_uris": [CB], "grant_types": ["authorization_code"], "response_types": ["token"]},
     [v("RFC7591-GRANTRESP-01", "/response_types/0"), v("RFC7591-GRANTRESP-01", "/grant_types/0"), w("BCP-IMPLICIT-01", "/response_types/0")])
case("rfc7591_grantresp_01_pass_consistent", ["RFC7591-GRANTRESP-01"], "authorization_code + refresh_token with code", RFC,
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"]}, [])
case("oidcdcr_grant_01_fail_hybrid_without_implicit", ["OIDCDCR-GRANT-01"], "code id_token needs implicit under oidc", OIDC,
     {"redirect_uris": [CB], "grant_types": ["authorization_code"], "response_types": ["code id_token"]}, [v("OIDCDCR-GRANT-01", "/response_types/0")])
case("oidcdcr_grant_01_pass_lenient_hybrid", ["OIDCDCR-GRANT-01"], "grant_response_consistency: lenient_hybrid (uk ob, cdr)", chk(grant_response_consistency="lenient_hybrid"),
     {"redirect_uris": [CB], "grant_types": ["authorization_code"], "response_types": ["code id_token"]}, [])
case("oidcdcr_grant_01_repair", ["OIDCDCR-GRANT-01"], "grant_response_consistency: repair adds implicit and records it", chk(grant_response_consistency="repair"),
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code id_token"]},
     [w("BCP-IMPLICIT-01", "/grant_types/1")],
     changes=[("/token_endpoint_auth_method", "defaulted"), ("/application_type", "defaulted"), ("/id_token_signed_response_alg", "defaulted"),
              ("/subject_type", "defaulted"), ("/grant_types", "overridden")],
     client={"grant_types": ["authorization_code", "implicit", "refresh_token"]})
case("oidcdcr_grant_02_pass_refresh_token", ["OIDCDCR-GRANT-02"], "refresh_token needs no response type", OIDC,
     {"grant_types": ["client_credentials", "refresh_token"]}, [])
case("rfc7591_grant_02_fail_unsupported", ["RFC7591-GRANT-02"], "grant types outside grant_types_supported", caps(grant_types_supported=["authorization_code"]),
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "client_credentials"]}, [v("RFC7591-GRANT-02", "/grant_types/1")])
case("rfc7591_grant_02_pass_supported", ["RFC7591-GRANT-02"], "supported grant types", caps(grant_types_supported=["authorization_code", "refresh_token"]),
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "refresh_token"]}, [])
case("rfc7591_grant_03_fail_code_with_client_credentials", ["RFC7591-GRANT-03"], "refuse_code_with_client_credentials", chk("rfc7591", refuse_code_with_client_credentials=True),
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "client_credentials"]}, [v("RFC7591-GRANT-03", "/grant_types/1")])
case("rfc7591_grant_03_fail_code_with_implicit", ["RFC7591-GRANT-03"], "refuse_code_with_implicit", chk("rfc7591", refuse_code_with_implicit=True, implicit_grant="off"),
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "implicit"], "response_types": ["code", "token"]}, [v("RFC7591-GRANT-03", "/grant_types/1")])
case("rfc7591_grant_03_pass_default_off", ["RFC7591-GRANT-03"], "the switch is off by default", RFC,
     {"redirect_uris": [CB], "grant_types": ["authorization_code", "client_credentials"]}, [])
case("rfc7591_resptype_02_pass_token_sets", ["RFC7591-RESPTYPE-02"], "response types compare as unordered token sets", {"profile": "oidc", "capabilities": {"response_types_supported": ["code", "code id_token"]}, "checks": {"grant_response_consistency": "lenient_hybrid"}},
     {"redirect_uris": [CB], "response_types": ["id_token code"]}, [])
case("rfc7591_resptype_02_fail_unsupported", ["RFC7591-RESPTYPE-02"], "unsupported response type", caps(response_types_supported=["code"]),
     {"redirect_uris": [CB], "grant_types": ["implicit"], "response_types": ["id_token"]},
     [v("RFC7591-RESPTYPE-02", "/response_types/0"), w("BCP-IMPLICIT-01", "/grant_types/0")])
case("bcp_ropc_01_warn_password", ["BCP-ROPC-01"], "the password grant is warned by default", RFC,
     {"grant_types": ["password"]}, [w("BCP-ROPC-01", "/grant_types/0")])
case("bcp_ropc_01_fail_hardened", ["BCP-ROPC-01"], "password_grant: reject", chk("rfc7591", password_grant="reject"),
     {"grant_types": ["password"]}, [v("BCP-ROPC-01", "/grant_types/0")])
case("bcp_implicit_01_fail_hardened", ["BCP-IMPLICIT-01"], "implicit_grant: reject", chk(implicit_grant="reject"),
     dict(IMPL, redirect_uris=[CB]), [v("BCP-IMPLICIT-01", "/grant_types/0")])

# ---------------------------------------------------------------- auth methods
case("rfc7591_auth_02_fail_unknown_method", ["RFC7591-AUTH-02"], "not registered and not an absolute uri", RFC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "magic"}, [v("RFC7591-AUTH-02", "/token_endpoint_auth_method")])
case("rfc7591_auth_02_pass_uri_method", ["RFC7591-AUTH-02"], "an absolute uri may name an unregistered method", RFC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "urn:example:auth:attested"}, [])
case("rfc7591_auth_02_fail_unsupported", ["RFC7591-AUTH-02"], "a method outside token_endpoint_auth_methods_supported", caps(token_endpoint_auth_methods_supported=["private_key_jwt"]),
     {"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_post"}, [v("RFC7591-AUTH-02", "/token_endpoint_auth_method")])
case("rfc7591_auth_01_default_follows_capabilities", ["RFC7591-AUTH-01"], "the default is never one the provider rejects",
     {"capabilities": {"token_endpoint_auth_methods_supported": ["private_key_jwt"]}},
     {"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks"}, [], client={"token_endpoint_auth_method": "private_key_jwt"})
case("rfc7591_sec_01_fail_public_forbidden", ["RFC7591-SEC-01"], "allow_public_clients: false", chk(allow_public_clients=False),
     {"redirect_uris": [CB], "token_endpoint_auth_method": "none"}, [v("RFC7591-SEC-01", "/token_endpoint_auth_method")])
case("rfc7591_sec_01_pass_public_allowed", ["RFC7591-SEC-01", "RFC7591-AUTH-03"], "public clients are allowed by default", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "none"}, [])
case("oidcdcr_auth_02_fail_none_and_mismatch", ["OIDCDCR-AUTH-02"], "none is forbidden; private_key_jwt needs asymmetric", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "HS256", "jwks_uri": "https://app.example.com/jwks"},
     [v("OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg")])
case("oidcdcr_auth_02_fail_none", ["OIDCDCR-AUTH-02"], "none as signing alg", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "none"},
     [v("OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg")])
case("oidcdcr_auth_02_fail_client_secret_jwt_rs256", ["OIDCDCR-AUTH-02"], "client_secret_jwt needs HS*", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "RS256"},
     [v("OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg")])
case("oidcdcr_auth_02_warn_other_method", ["OIDCDCR-AUTH-02"], "meaningless for client_secret_basic: warning", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_signing_alg": "RS256"}, [w("OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg")])
case("oidcdcr_auth_02_pass", ["OIDCDCR-AUTH-02", "OIDCDCR-JWKS-07"], "private_key_jwt with PS256 and a key set", caps(token_endpoint_auth_signing_alg_values_supported=["PS256", "ES256"]),
     {"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256", "jwks_uri": "https://app.example.com/jwks"}, [])
case("oidcdcr_auth_02_fail_unsupported_alg", ["OIDCDCR-AUTH-02"], "alg outside token_endpoint_auth_signing_alg_values_supported", caps(token_endpoint_auth_signing_alg_values_supported=["PS256"]),
     {"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "RS256", "jwks_uri": "https://app.example.com/jwks"},
     [v("OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg")])

# ---------------------------------------------------------------- scope, contacts, display URIs, i18n
case("rfc7591_scope_01_fail_syntax", ["RFC7591-SCOPE-01"], "scope tokens separated by single spaces, no quotes", RFC,
     {"redirect_uris": [CB], "scope": "openid  \"profile\""}, [v("RFC7591-SCOPE-01", "/scope")])
case("rfc7591_scope_01_fail_unsupported", ["RFC7591-SCOPE-01"], "scope outside scopes_supported", caps(scopes_supported=["openid", "profile"]),
     {"redirect_uris": [CB], "scope": "openid admin"}, [v("RFC7591-SCOPE-01", "/scope")])
case("rfc7591_scope_01_pass", ["RFC7591-SCOPE-01"], "supported scopes", caps(scopes_supported=["openid", "profile"]),
     {"redirect_uris": [CB], "scope": "openid profile"}, [])
case("rfc7591_contacts_01_fail_not_email", ["RFC7591-CONTACTS-01"], "contacts must be e-mail addresses", RFC,
     {"redirect_uris": [CB], "contacts": ["ops@example.com", "call me"]}, [v("RFC7591-CONTACTS-01", "/contacts/1")])
case("rfc7591_contacts_01_pass_switched_off", ["RFC7591-CONTACTS-01"], "contacts_must_be_email: false", chk("rfc7591", contacts_must_be_email=False),
     {"redirect_uris": [CB], "contacts": ["call me"]}, [])
case("rfc7591_uri_01_fail_not_web_url", ["RFC7591-URI-01", "RFC7591-I18N-04"], "display urls are absolute http(s) urls; tagged variants too", RFC,
     {"redirect_uris": [CB], "logo_uri": "ftp://app.example.com/logo.png", "tos_uri": "not a url", "policy_uri#fr": "javascript:alert(1)"},
     [v("RFC7591-URI-01", "/logo_uri"), v("RFC7591-URI-01", "/tos_uri"), v("RFC7591-URI-01", "/policy_uri#fr"), w("RFC7591-I18N-05", "/policy_uri")])
case("rfc7591_uri_01_pass", ["RFC7591-URI-01", "RFC7591-URI-02"], "display urls on the redirect host", RFC,
     {"redirect_uris": [CB], "logo_uri": "https://app.example.com/logo.png", "client_uri": "https://app.example.com/", "tos_uri": "https://app.example.com/tos"}, [])
case("rfc7591_uri_02_warn_other_host", ["RFC7591-URI-02", "OIDCDCR-SEC-01"], "display urls on another host are warned", OIDC,
     {"redirect_uris": [CB], "logo_uri": "https://cdn.example.net/logo.png", "tos_uri": "https://legal.example.net/tos"},
     [w("OIDCDCR-SEC-01", "/logo_uri"), w("RFC7591-URI-02", "/tos_uri")])
case("rfc7591_uri_02_fail_strict", ["RFC7591-URI-02"], "display_uri_host_match: reject", chk("rfc7591", display_uri_host_match="reject"),
     {"redirect_uris": [CB], "client_uri": "https://elsewhere.example.net/"}, [v("RFC7591-URI-02", "/client_uri")])
case("rfc7591_i18n_01_pass_tagged_fields", ["RFC7591-I18N-01", "RFC7591-I18N-03", "OIDCDCR-I18N-01"], "language-tagged variants are kept", OIDC,
     {"redirect_uris": [CB], "client_name": "Budget", "client_name#ja-Jpan-JP": "予算", "client_name#en-GB": "Budget", "tos_uri": "https://app.example.com/tos", "tos_uri#de": "https://app.example.com/agb"}, [],
     client={"client_name#ja-Jpan-JP": "予算", "tos_uri#de": "https://app.example.com/agb"})
case("rfc7591_i18n_02_fail_same_tag_twice", ["RFC7591-I18N-02"], "tags compare case-insensitively", RFC,
     {"redirect_uris": [CB], "client_name": "App", "client_name#en": "App", "client_name#EN": "App!"}, [v("RFC7591-I18N-02", "/client_name#EN")])
case("rfc7591_i18n_03_fail_bad_tag", ["RFC7591-I18N-03"], "malformed bcp 47 tags", RFC,
     {"redirect_uris": [CB], "client_name": "App", "client_name#en_US": "App", "client_name#": "App", "client_name#de-419-DE": "App"},
     [v("RFC7591-I18N-03", "/client_name#en_US"), v("RFC7591-I18N-03", "/client_name#"), v("RFC7591-I18N-03", "/client_name#de-419-DE")])
case("rfc7591_i18n_04_fail_variant_type", ["RFC7591-I18N-04"], "a tagged variant has its base field's type", RFC,
     {"redirect_uris": [CB], "client_name": "App", "client_name#fr": 5}, [v("RFC7591-I18N-04", "/client_name#fr")])
case("rfc7591_i18n_05_warn_only_tagged", ["RFC7591-I18N-05"], "tagged variants without an untagged value: warning", RFC,
     {"redirect_uris": [CB], "client_name#fr": "Appli", "client_name#de": "App"}, [w("RFC7591-I18N-05", "/client_name")])

# ---------------------------------------------------------------- keys
RSA = {"kty": "RSA", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw", "e": "AQAB"}
EC = {"kty": "EC", "crv": "P-256", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}
case("rfc7591_jwks_01_fail_both", ["RFC7591-JWKS-01", "OIDCDCR-JWKS-05"], "jwks and jwks_uri together", RFC,
     {"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks", "jwks": {"keys": [RSA]}}, [v("RFC7591-JWKS-01", "/jwks")])
case("rfc7591_jwks_02_fail_shape", ["RFC7591-JWKS-02"], "keys array of jwk objects with their required members", RFC,
     {"redirect_uris": [CB], "jwks": {"keys": [{"n": "x"}, {"kty": "RSA", "n": "x"}, {"kty": "EC", "crv": "P-256", "x": "a"}, "key"]}},
     [v("RFC7591-JWKS-02", "/jwks/keys/0/kty"), v("RFC7591-JWKS-02", "/jwks/keys/1/e"), v("RFC7591-JWKS-02", "/jwks/keys/1/n"),
      v("RFC7591-JWKS-02", "/jwks/keys/2/x"), v("RFC7591-JWKS-02", "/jwks/keys/2/y"), v("RFC7591-JWKS-02", "/jwks/keys/3")])
RSA1024 = {"kty": "RSA", "n": "ocpyM4tciFnQ3ASJ8qKnw7YWlNRUUpeQdH3XLMJZx9pUia25wEqFlCi1VDz3qWzElJEJec_A6By0QZqalh0QcbPaJJF17RLhji6TI2YonX0Gcs0BGxAeBedjALkBQbY1Abhcud1llEOCurvFalgdJD_O7chOdtSRk0OeV4SFTbc", "e": "AQAB"}
case("oidcdcr_idtok_03_fail_unregistered_algorithms", ["OIDCDCR-IDTOK-03", "OIDCDCR-USERINFO-01", "OIDCDCR-REQOBJ-01"], "without a capability list, algorithm names must be registered jose names (case-sensitive)", RFC,
     {"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks", "id_token_signed_response_alg": "rs256", "userinfo_signed_response_alg": "NONE", "request_object_signing_alg": "foo",
      "id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A128CBC"},
     [v("OIDCDCR-IDTOK-03", "/id_token_encrypted_response_enc"), v("OIDCDCR-IDTOK-03", "/id_token_signed_response_alg"),
      v("OIDCDCR-REQOBJ-01", "/request_object_signing_alg"), v("OIDCDCR-USERINFO-01", "/userinfo_signed_response_alg")])
case("oidcdcr_idtok_03_pass_registered_algorithms", ["OIDCDCR-IDTOK-03"], "registered jose names pass without a capability list", RFC,
     {"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks", "id_token_signed_response_alg": "ES256K", "userinfo_signed_response_alg": "none", "request_object_signing_alg": "EdDSA",
      "id_token_encrypted_response_alg": "ECDH-ES+A256KW", "id_token_encrypted_response_enc": "A256GCM"}, [])
case("jwt_key_04_fail_rsa_1024", ["JWT-KEY-04"], "registered rsa keys have at least 2048 bits", RFC,
     {"redirect_uris": [CB], "jwks": {"keys": [RSA1024]}}, [v("JWT-KEY-04", "/jwks/keys/0/n")])
case("jwt_key_04_pass_rsa_2048", ["JWT-KEY-04"], "a 2048-bit rsa key", RFC, {"redirect_uris": [CB], "jwks": {"keys": [RSA]}}, [])
case("rfc7591_jwks_02_fail_key_material", ["RFC7591-JWKS-02"], "coordinates off the curve, short x, padded base64, even modulus", RFC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(EC, y=EC["x"]), dict(EC, x="AAAA"), dict(RSA, e="AQAB="), {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]}},
     [v("RFC7591-JWKS-02", "/jwks/keys/0/x"), v("RFC7591-JWKS-02", "/jwks/keys/1/x"), v("RFC7591-JWKS-02", "/jwks/keys/2/e"), v("RFC7591-JWKS-02", "/jwks/keys/3/x")])
case("rfc7591_jwks_02_pass_encryption_curves", ["RFC7591-JWKS-02"], "x25519 and p-521 encryption keys are registrable", RFC,
     {"redirect_uris": [CB], "jwks": {"keys": [
         {"kty": "OKP", "crv": "X25519", "use": "enc", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
         {"kty": "EC", "crv": "P-521", "use": "enc", "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk", "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}]}}, [])
case("rfc7591_jwks_02_fail_no_keys", ["RFC7591-JWKS-02"], "a jwks without keys", RFC, {"redirect_uris": [CB], "jwks": {}}, [v("RFC7591-JWKS-02", "/jwks/keys")])
case("rfc7591_jwks_02_pass", ["RFC7591-JWKS-02"], "rsa and ec public keys", RFC, {"redirect_uris": [CB], "jwks": {"keys": [RSA, EC]}}, [])
case("oidcdcr_jwks_01_fail_http", ["OIDCDCR-JWKS-01"], "oidc: jwks_uri over https", OIDC, {"redirect_uris": [CB], "jwks_uri": "http://app.example.com/jwks"},
     [v("OIDCDCR-JWKS-01", "/jwks_uri")])
case("oidcdcr_jwks_01_pass_rfc7591_http", ["OIDCDCR-JWKS-01", "RFC7591-URI-01"], "plain rfc 7591 only needs an http(s) url", RFC,
     {"redirect_uris": [CB], "jwks_uri": "http://app.example.com/jwks"}, [])
case("rfc7591_uri_01_fail_jwks_uri_scheme", ["RFC7591-URI-01"], "jwks_uri must be a web url", RFC,
     {"redirect_uris": [CB], "jwks_uri": "file:///keys.json"}, [v("RFC7591-URI-01", "/jwks_uri")])
case("oidcdcr_jwks_02_fail_mixed_use", ["OIDCDCR-JWKS-02"], "when some keys carry use, all must", OIDC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(RSA, use="enc"), EC]}}, [v("OIDCDCR-JWKS-02", "/jwks/keys/1")])
case("oidcdcr_jwks_02_pass_all_use", ["OIDCDCR-JWKS-02"], "every key carries use", OIDC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(RSA, use="enc"), dict(EC, use="sig")]}}, [])
case("oidcdcr_jwks_03_fail_bad_x5c", ["OIDCDCR-JWKS-03"], "x5c must be an array of base64 certificates", OIDC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(RSA, x5c="MIIB"), dict(EC, x5c=[])]}},
     [v("OIDCDCR-JWKS-03", "/jwks/keys/0/x5c"), v("OIDCDCR-JWKS-03", "/jwks/keys/1/x5c")])
case("oidcdcr_jwks_04_fail_private_and_symmetric", ["OIDCDCR-JWKS-04"], "no private members, no oct keys", OIDC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(EC, d="secret"), {"kty": "oct", "k": "c2VjcmV0"}]}},
     [v("OIDCDCR-JWKS-04", "/jwks/keys/0/d"), v("OIDCDCR-JWKS-04", "/jwks/keys/1/kty")])
case("oidcdcr_jwks_06_warn_dual_use", ["OIDCDCR-JWKS-06"], "one key for signing and encryption: warning", OIDC,
     {"redirect_uris": [CB], "jwks": {"keys": [dict(RSA, key_ops=["verify", "encrypt"])]}}, [w("OIDCDCR-JWKS-06", "/jwks/keys/0/key_ops")])
case("dcr_ssrf_01_fail_internal_fetch_targets", ["DCR-SSRF-01"], "uris the provider fetches must not name internal hosts", OIDC,
     {"redirect_uris": [CB], "jwks_uri": "https://169.254.169.254/latest/meta-data", "request_uris": ["https://app.example.com/r", "https://localhost/r"],
      "sector_identifier_uri": "https://[::1]/s.json"},
     [v("DCR-SSRF-01", "/jwks_uri"), v("DCR-SSRF-01", "/sector_identifier_uri"), v("DCR-SSRF-01", "/request_uris/1")])
case("dcr_ssrf_01_pass_public_hosts_or_switched_off", ["DCR-SSRF-01"], "public hosts pass; checks.internal_fetch_targets: off allows a lab setup",
     chk(internal_fetch_targets="off"), {"redirect_uris": [CB], "jwks_uri": "https://10.0.0.5/jwks", "request_uris": ["https://app.example.com/r"]}, [])
case("oidcdcr_jwks_07_fail_no_keys", ["OIDCDCR-JWKS-07"], "asymmetric client signing needs a key set", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "request_object_signing_alg": "PS256"},
     [v("OIDCDCR-JWKS-07", "/token_endpoint_auth_method"), v("OIDCDCR-JWKS-07", "/request_object_signing_alg")])

# ---------------------------------------------------------------- subject, sector, id token, encryption
case("oidcdcr_subj_01_fail_value", ["OIDCDCR-SUBJ-01"], "public or pairwise", OIDC, {"redirect_uris": [CB], "subject_type": "secret"}, [v("OIDCDCR-SUBJ-01", "/subject_type")])
case("oidcdcr_subj_01_fail_unsupported", ["OIDCDCR-SUBJ-01"], "not in subject_types_supported", caps(subject_types_supported=["public"]),
     {"redirect_uris": [CB], "subject_type": "pairwise"}, [v("OIDCDCR-SUBJ-01", "/subject_type")])
case("oidcdcr_subj_01_default_only_pairwise", ["OIDCDCR-SUBJ-01"], "default follows a pairwise-only provider", caps(subject_types_supported=["pairwise"]),
     {"redirect_uris": [CB]}, [], client={"subject_type": "pairwise"})
case("oidcdcr_sector_01_fail_http", ["OIDCDCR-SECTOR-01"], "sector_identifier_uri over https", OIDC,
     {"redirect_uris": [CB], "sector_identifier_uri": "http://app.example.com/sector.json"}, [v("OIDCDCR-SECTOR-01", "/sector_identifier_uri")])
case("oidcdcr_sector_03_fail_pairwise_two_hosts", ["OIDCDCR-SECTOR-03"], "pairwise across hosts needs a sector identifier", OIDC,
     {"redirect_uris": [CB, "https://other.example.com/cb"], "subject_type": "pairwise"}, [v("OIDCDCR-SECTOR-03", "/sector_identifier_uri")])
case("oidcdcr_sector_03_pass_with_sector", ["OIDCDCR-SECTOR-03", "OIDCDCR-SECTOR-01"], "with an https sector identifier", OIDC,
     {"redirect_uris": [CB, "https://other.example.com/cb"], "subject_type": "pairwise", "sector_identifier_uri": "https://app.example.com/sector.json"}, [])
case("oidcdcr_idtok_01_default_follows_capabilities", ["OIDCDCR-IDTOK-01"], "RS256 unless unsupported; then the first supported alg", caps(id_token_signing_alg_values_supported=["PS256", "ES256"]),
     dict(WEB), [], client={"id_token_signed_response_alg": "PS256"})
case("oidcdcr_idtok_02_fail_none_with_id_token", ["OIDCDCR-IDTOK-02"], "none is refused when id tokens come from the authorization endpoint", chk(grant_response_consistency="lenient_hybrid"),
     {"redirect_uris": [CB], "response_types": ["code id_token"], "id_token_signed_response_alg": "none"}, [v("OIDCDCR-IDTOK-02", "/id_token_signed_response_alg")])
case("oidcdcr_idtok_02_pass_none_with_code", ["OIDCDCR-IDTOK-02"], "none is fine for code only", OIDC,
     {"redirect_uris": [CB], "id_token_signed_response_alg": "none"}, [])
case("oidcdcr_idtok_03_fail_unsupported", ["OIDCDCR-IDTOK-03"], "alg outside id_token_signing_alg_values_supported", caps(id_token_signing_alg_values_supported=["PS256"]),
     {"redirect_uris": [CB], "id_token_signed_response_alg": "RS256"}, [v("OIDCDCR-IDTOK-03", "/id_token_signed_response_alg")])
case("oidcdcr_enc_01_default_enc", ["OIDCDCR-ENC-01"], "enc defaults to A128CBC-HS256 when alg is set", OIDC,
     {"redirect_uris": [CB], "id_token_encrypted_response_alg": "RSA-OAEP-256", "jwks_uri": "https://app.example.com/jwks"}, [],
     client={"id_token_encrypted_response_enc": "A128CBC-HS256"})
case("oidcdcr_enc_02_fail_enc_without_alg", ["OIDCDCR-ENC-02"], "enc alone", OIDC,
     {"redirect_uris": [CB], "id_token_encrypted_response_enc": "A256GCM", "request_object_encryption_enc": "A128GCM"},
     [v("OIDCDCR-ENC-02", "/id_token_encrypted_response_enc"), v("OIDCDCR-ENC-02", "/request_object_encryption_enc")])
case("oidcdcr_enc_03_fail_no_encryption_key", ["OIDCDCR-ENC-03"], "asymmetric encryption needs a client encryption key", OIDC,
     {"redirect_uris": [CB], "id_token_encrypted_response_alg": "RSA-OAEP", "jwks": {"keys": [dict(EC, use="sig")]}},
     [v("OIDCDCR-ENC-03", "/id_token_encrypted_response_alg")])
case("oidcdcr_enc_03_pass_symmetric", ["OIDCDCR-ENC-03"], "symmetric algs use the client secret, no key needed", OIDC,
     {"redirect_uris": [CB], "id_token_encrypted_response_alg": "A128KW"}, [])
case("oidcdcr_enc_04_fail_userinfo_unsigned", ["OIDCDCR-ENC-04"], "userinfo encryption needs signing", OIDC,
     {"redirect_uris": [CB], "userinfo_encrypted_response_alg": "A256KW"}, [v("OIDCDCR-ENC-04", "/userinfo_encrypted_response_alg")])
case("oidcdcr_enc_04_pass_switched_off", ["OIDCDCR-ENC-04"], "userinfo_encryption_requires_signing: false", chk(userinfo_encryption_requires_signing=False),
     {"redirect_uris": [CB], "userinfo_encrypted_response_alg": "A256KW"}, [])
case("oidcdcr_userinfo_01_fail_unsupported", ["OIDCDCR-USERINFO-01"], "userinfo alg outside the supported list", caps(userinfo_signing_alg_values_supported=["RS256"]),
     {"redirect_uris": [CB], "userinfo_signed_response_alg": "HS256"}, [v("OIDCDCR-USERINFO-01", "/userinfo_signed_response_alg")])
case("oidcdcr_reqobj_01_fail_unsupported", ["OIDCDCR-REQOBJ-01"], "request object alg outside the supported list", caps(request_object_signing_alg_values_supported=["PS256"]),
     {"redirect_uris": [CB], "request_object_signing_alg": "HS256"}, [v("OIDCDCR-REQOBJ-01", "/request_object_signing_alg")])
case("oidcdcr_requris_01_fail_http", ["OIDCDCR-REQURIS-01"], "request_uris over https", OIDC,
     {"redirect_uris": [CB], "request_uris": ["https://app.example.com/r#hash", "http://app.example.com/r"]}, [v("OIDCDCR-REQURIS-01", "/request_uris/1")])
case("oidcdcr_maxage_01_fail", ["OIDCDCR-MAXAGE-01"], "non-negative integer seconds", OIDC,
     {"redirect_uris": [CB], "default_max_age": -1}, [v("OIDCDCR-MAXAGE-01", "/default_max_age")])
case("oidcdcr_maxage_01_fail_fraction", ["OIDCDCR-MAXAGE-01"], "fractions are refused", OIDC,
     {"redirect_uris": [CB], "default_max_age": 1.5}, [v("OIDCDCR-MAXAGE-01", "/default_max_age")])
case("oidcdcr_maxage_01_pass", ["OIDCDCR-MAXAGE-01", "OIDCDCR-AUTHTIME-01"], "integer seconds, boolean auth time", OIDC,
     {"redirect_uris": [CB], "default_max_age": 3600, "require_auth_time": False}, [])
case("oidcdcr_authtime_01_fail", ["OIDCDCR-AUTHTIME-01"], "a boolean", OIDC, {"redirect_uris": [CB], "require_auth_time": "true"}, [v("OIDCDCR-AUTHTIME-01", "/require_auth_time")])
case("oidcdcr_acr_01_fail", ["OIDCDCR-ACR-01"], "array of strings; supported values", caps(acr_values_supported=["urn:mace:incommon:iap:silver"]),
     {"redirect_uris": [CB], "default_acr_values": ["urn:mace:incommon:iap:silver", "urn:mace:incommon:iap:bronze"]},
     [v("OIDCDCR-ACR-01", "/default_acr_values/1")])
case("oidcdcr_acr_01_fail_type", ["OIDCDCR-ACR-01"], "an array of strings", OIDC,
     {"redirect_uris": [CB], "default_acr_values": ["urn:mace:incommon:iap:silver", 3]}, [v("OIDCDCR-ACR-01", "/default_acr_values/1")])
case("oidcdcr_initlogin_01_fail", ["OIDCDCR-INITLOGIN-01"], "https", OIDC, {"redirect_uris": [CB], "initiate_login_uri": "http://app.example.com/login"},
     [v("OIDCDCR-INITLOGIN-01", "/initiate_login_uri")])
case("oidcdcr_initlogin_01_pass", ["OIDCDCR-INITLOGIN-01"], "https", OIDC, {"redirect_uris": [CB], "initiate_login_uri": "https://app.example.com/login"}, [])

# ---------------------------------------------------------------- mTLS, DPoP, PAR, JAR
TLS = {"redirect_uris": [CB], "token_endpoint_auth_method": "tls_client_auth"}
case("rfc8705_auth_01_fail_none", ["RFC8705-AUTH-01"], "tls_client_auth without a subject parameter", OIDC, dict(TLS), [v("RFC8705-AUTH-01", "/token_endpoint_auth_method")])
case("rfc8705_auth_01_fail_two", ["RFC8705-AUTH-01"], "more than one subject parameter", OIDC,
     dict(TLS, tls_client_auth_subject_dn="CN=client,O=Example", tls_client_auth_san_dns="client.example.com"), [v("RFC8705-AUTH-01", "/tls_client_auth_san_dns")])
case("rfc8705_auth_01_pass_one", ["RFC8705-AUTH-01", "RFC8705-AUTH-02"], "exactly one", OIDC, dict(TLS, tls_client_auth_subject_dn="CN=client,OU=TPP,O=Example Bank,C=GB"), [])
case("rfc8705_auth_02_fail_bad_dn", ["RFC8705-AUTH-02"], "an rfc 4514 dn", OIDC, dict(TLS, tls_client_auth_subject_dn="client certificate"), [v("RFC8705-AUTH-02", "/tls_client_auth_subject_dn")])
case("rfc8705_auth_03_fail_bad_ip", ["RFC8705-AUTH-03"], "an ip address", OIDC, dict(TLS, tls_client_auth_san_ip="300.1.1.1"), [v("RFC8705-AUTH-03", "/tls_client_auth_san_ip")])
case("rfc8705_auth_03_pass_ipv6", ["RFC8705-AUTH-03"], "ipv6 text", OIDC, dict(TLS, tls_client_auth_san_ip="2001:db8::1"), [])
case("rfc8705_auth_04_fail_dns", ["RFC8705-AUTH-04"], "a dns name", OIDC, dict(TLS, tls_client_auth_san_dns="not a host"), [v("RFC8705-AUTH-04", "/tls_client_auth_san_dns")])
case("rfc8705_auth_04_fail_email", ["RFC8705-AUTH-04"], "an e-mail address", OIDC, dict(TLS, tls_client_auth_san_email="nobody"), [v("RFC8705-AUTH-04", "/tls_client_auth_san_email")])
case("rfc8705_auth_04_fail_uri", ["RFC8705-AUTH-04"], "an absolute uri", OIDC, dict(TLS, tls_client_auth_san_uri="/relative"), [v("RFC8705-AUTH-04", "/tls_client_auth_san_uri")])
case("rfc8705_auth_05_drop_stray", ["RFC8705-AUTH-05"], "subject fields are dropped for other methods", RFC,
     {"redirect_uris": [CB], "tls_client_auth_san_dns": "client.example.com"}, [],
     changes=[("/grant_types", "defaulted"), ("/response_types", "defaulted"), ("/token_endpoint_auth_method", "defaulted"), ("/tls_client_auth_san_dns", "removed")],
     client_absent=["tls_client_auth_san_dns"])
case("rfc8705_auth_05_fail_reject_mode", ["RFC8705-AUTH-05"], "stray_tls_subject_fields: reject", chk(stray_tls_subject_fields="reject"),
     {"redirect_uris": [CB], "tls_client_auth_san_dns": "client.example.com"}, [v("RFC8705-AUTH-05", "/tls_client_auth_san_dns")])
case("rfc8705_auth_06_fail_no_keys", ["RFC8705-AUTH-06"], "self-signed certificates live in the key set", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "self_signed_tls_client_auth"}, [v("RFC8705-AUTH-06", "/token_endpoint_auth_method")])
case("rfc8705_auth_06_fail_no_x5c", ["RFC8705-AUTH-06"], "a jwks without x5c", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": {"keys": [RSA]}}, [v("RFC8705-AUTH-06", "/jwks")])
case("rfc8705_auth_06_pass", ["RFC8705-AUTH-06"], "a key with x5c", OIDC,
     {"redirect_uris": [CB], "token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": {"keys": [dict(RSA, x5c=["MIIBszCCAVmgAwIBAgIU"])]}}, [])
case("rfc8705_bound_01_fail_type", ["RFC8705-BOUND-01"], "a boolean", OIDC, {"redirect_uris": [CB], "tls_client_certificate_bound_access_tokens": "yes"},
     [v("RFC8705-BOUND-01", "/tls_client_certificate_bound_access_tokens")])
case("rfc8705_bound_01_fail_unsupported", ["RFC8705-BOUND-01"], "provider without certificate-bound tokens", caps(tls_client_certificate_bound_access_tokens=False),
     {"redirect_uris": [CB], "tls_client_certificate_bound_access_tokens": True}, [v("RFC8705-BOUND-01", "/tls_client_certificate_bound_access_tokens")])
case("rfc8705_bound_02_fail_front_channel_token", ["RFC8705-BOUND-02"], "bound tokens never via the front channel", chk(implicit_grant="off"),
     {"redirect_uris": [CB], "grant_types": ["implicit"], "response_types": ["id_token token"], "tls_client_certificate_bound_access_tokens": True},
     [v("RFC8705-BOUND-02", "/response_types/0")])
case("rfc9449_meta_01_fail_type", ["RFC9449-META-01"], "a boolean", OIDC, {"redirect_uris": [CB], "dpop_bound_access_tokens": 1}, [v("RFC9449-META-01", "/dpop_bound_access_tokens")])
case("rfc9449_meta_02_fail_both_bound", ["RFC9449-META-02"], "one sender constraint only", OIDC,
     {"redirect_uris": [CB], "dpop_bound_access_tokens": True, "tls_client_certificate_bound_access_tokens": True}, [v("RFC9449-META-02", "/dpop_bound_access_tokens")])
case("rfc9449_meta_02_pass_one", ["RFC9449-META-02", "RFC9449-META-01"], "dpop alone", OIDC, {"redirect_uris": [CB], "dpop_bound_access_tokens": True}, [])
case("rfc9126_meta_01_fail_type", ["RFC9126-META-01"], "a boolean", OIDC, {"redirect_uris": [CB], "require_pushed_authorization_requests": "true"},
     [v("RFC9126-META-01", "/require_pushed_authorization_requests")])
case("rfc9126_meta_01_fail_unsupported", ["RFC9126-META-01"], "provider without par", caps(pushed_authorization_request_endpoint=False),
     {"redirect_uris": [CB], "require_pushed_authorization_requests": True}, [v("RFC9126-META-01", "/require_pushed_authorization_requests")])
case("rfc9126_meta_02_enforce_par", ["RFC9126-META-02"], "a profile forces par through enforce", oidc(enforce={"require_pushed_authorization_requests": True}),
     {"redirect_uris": [CB], "require_pushed_authorization_requests": False}, [], client={"require_pushed_authorization_requests": True})
case("rfc9101_meta_01_fail_type", ["RFC9101-META-01"], "a boolean", OIDC, {"redirect_uris": [CB], "require_signed_request_object": "no"},
     [v("RFC9101-META-01", "/require_signed_request_object")])
case("rfc9101_meta_02_fail_none", ["RFC9101-META-02"], "signed request objects required, none registered", OIDC,
     {"redirect_uris": [CB], "require_signed_request_object": True, "request_object_signing_alg": "none"}, [v("RFC9101-META-02", "/request_object_signing_alg")])
case("rfc9101_meta_02_pass", ["RFC9101-META-02", "OIDCDCR-REQOBJ-01"], "none is allowed without the requirement", OIDC,
     {"redirect_uris": [CB], "request_object_signing_alg": "none"}, [])

# ---------------------------------------------------------------- JARM
case("jarm_meta_01_fail_none", ["JARM-META-01"], "none is not allowed", OIDC, {"redirect_uris": [CB], "authorization_signed_response_alg": "none"},
     [v("JARM-META-01", "/authorization_signed_response_alg")])
case("jarm_meta_01_default_when_supported", ["JARM-META-01"], "default RS256 when the provider does jarm", caps(authorization_signing_alg_values_supported=["RS256", "PS256"]),
     dict(WEB), [], client={"authorization_signed_response_alg": "RS256"})
case("jarm_meta_01_no_default_without_jarm", ["JARM-META-01"], "no jarm default for providers without jarm", OIDC, dict(WEB), [], client_absent=["authorization_signed_response_alg"])
case("jarm_meta_02_fail_enc_without_alg", ["JARM-META-02"], "enc alone", OIDC, {"redirect_uris": [CB], "authorization_encrypted_response_enc": "A128GCM"},
     [v("JARM-META-02", "/authorization_encrypted_response_enc")])
case("jarm_meta_02_default_enc", ["JARM-META-02", "JARM-META-01"], "enc and signing alg defaults", OIDC,
     {"redirect_uris": [CB], "authorization_encrypted_response_alg": "dir"}, [],
     client={"authorization_encrypted_response_enc": "A128CBC-HS256", "authorization_signed_response_alg": "RS256"})
case("jarm_meta_03_fail_no_key", ["JARM-META-03"], "asymmetric jarm encryption needs a client key", OIDC,
     {"redirect_uris": [CB], "authorization_encrypted_response_alg": "ECDH-ES"}, [v("JARM-META-03", "/authorization_encrypted_response_alg")])

# ---------------------------------------------------------------- logout
case("logout_bcl_01_fail_fragment", ["LOGOUT-BCL-01"], "absolute, no fragment", OIDC, {"redirect_uris": [CB], "backchannel_logout_uri": "https://app.example.com/bcl#x"},
     [v("LOGOUT-BCL-01", "/backchannel_logout_uri")])
case("logout_bcl_01_fail_unsupported", ["LOGOUT-BCL-01"], "provider without back-channel logout", caps(backchannel_logout_supported=False),
     {"redirect_uris": [CB], "backchannel_logout_uri": "https://app.example.com/bcl"}, [v("LOGOUT-BCL-01", "/backchannel_logout_uri")])
case("logout_bcl_02_fail_http", ["LOGOUT-BCL-02"], "https unless the server permits http for confidential clients", OIDC,
     {"redirect_uris": [CB], "backchannel_logout_uri": "http://app.example.com/bcl"}, [v("LOGOUT-BCL-02", "/backchannel_logout_uri")])
case("logout_bcl_02_pass_http_allowed", ["LOGOUT-BCL-02", "LOGOUT-BCL-03"], "allow_http_logout_uris for a confidential client", chk(allow_http_logout_uris=True),
     {"redirect_uris": [CB], "backchannel_logout_uri": "http://app.example.com/bcl?x=1", "backchannel_logout_session_required": True}, [])
case("logout_bcl_03_fail_type", ["LOGOUT-BCL-03"], "a boolean", OIDC, {"redirect_uris": [CB], "backchannel_logout_session_required": "true"},
     [v("LOGOUT-BCL-03", "/backchannel_logout_session_required")])
case("logout_fcl_01_fail_fragment", ["LOGOUT-FCL-01"], "no fragment", OIDC, {"redirect_uris": [CB], "frontchannel_logout_uri": "https://app.example.com/fcl#x"},
     [v("LOGOUT-FCL-01", "/frontchannel_logout_uri")])
case("logout_fcl_02_fail_other_origin", ["LOGOUT-FCL-02"], "scheme, host and port of a redirect uri", OIDC,
     {"redirect_uris": [CB], "frontchannel_logout_uri": "https://app.example.com:8443/fcl"}, [v("LOGOUT-FCL-02", "/frontchannel_logout_uri")])
case("logout_fcl_02_pass_same_origin", ["LOGOUT-FCL-02", "LOGOUT-FCL-03"], "same origin (default port made explicit)", OIDC,
     {"redirect_uris": [CB], "frontchannel_logout_uri": "https://app.example.com:443/fcl?x=1", "frontchannel_logout_session_required": True}, [])
case("logout_fcl_03_fail_http_and_type", ["LOGOUT-FCL-03"], "https; boolean session flag", OIDC,
     {"redirect_uris": ["https://app.example.com/cb"], "frontchannel_logout_uri": "http://app.example.com/fcl", "frontchannel_logout_session_required": "yes"},
     [v("LOGOUT-FCL-03", "/frontchannel_logout_session_required"), v("LOGOUT-FCL-03", "/frontchannel_logout_uri"), v("LOGOUT-FCL-02", "/frontchannel_logout_uri")])
case("logout_rpi_01_fail_http", ["LOGOUT-RPI-01"], "post-logout uris use https", OIDC,
     {"redirect_uris": [CB], "post_logout_redirect_uris": ["http://app.example.com/bye"]}, [v("LOGOUT-RPI-01", "/post_logout_redirect_uris/0")])
case("logout_rpi_01_pass_http_allowed", ["LOGOUT-RPI-01"], "http for a confidential client when allowed", chk(allow_http_logout_uris=True),
     {"redirect_uris": [CB], "post_logout_redirect_uris": ["http://app.example.com/bye"]}, [])
case("logout_rpi_02_fail_redirect_rules", ["LOGOUT-RPI-02"], "post-logout uris follow the redirect uri rules, with invalid_client_metadata", OIDC,
     {"redirect_uris": [CB], "post_logout_redirect_uris": ["javascript:alert(1)", "https://app.example.com/bye#x", "https://app.example.com/bye"]},
     [v("LOGOUT-RPI-02", "/post_logout_redirect_uris/0"), v("LOGOUT-RPI-02", "/post_logout_redirect_uris/1")])

# ---------------------------------------------------------------- CIBA
CIBA = "urn:openid:params:grant-type:ciba"
CIB = {"grant_types": [CIBA], "jwks_uri": "https://app.example.com/jwks", "token_endpoint_auth_method": "private_key_jwt"}
case("ciba_meta_01_fail_missing_mode", ["CIBA-META-01"], "the ciba grant needs a delivery mode", OIDC, dict(CIB), [v("CIBA-META-01", "/backchannel_token_delivery_mode")])
case("ciba_meta_01_fail_bad_or_unsupported_mode", ["CIBA-META-01"], "poll, ping or push, as supported", caps(backchannel_token_delivery_modes_supported=["poll"]),
     dict(CIB, backchannel_token_delivery_mode="push", backchannel_client_notification_endpoint="https://app.example.com/notify"),
     [v("CIBA-META-01", "/backchannel_token_delivery_mode")])
case("ciba_meta_01_pass_poll", ["CIBA-META-01", "CIBA-META-05"], "poll mode", OIDC, dict(CIB, backchannel_token_delivery_mode="poll", backchannel_user_code_parameter=False), [])
case("ciba_meta_02_fail_ping_without_endpoint", ["CIBA-META-02"], "ping needs an https notification endpoint", OIDC,
     dict(CIB, backchannel_token_delivery_mode="ping"), [v("CIBA-META-02", "/backchannel_client_notification_endpoint")])
case("ciba_meta_02_fail_http_endpoint", ["CIBA-META-02"], "https only", OIDC,
     dict(CIB, backchannel_token_delivery_mode="ping", backchannel_client_notification_endpoint="http://app.example.com/notify"),
     [v("CIBA-META-02", "/backchannel_client_notification_endpoint")])
case("ciba_meta_03_fail_none", ["CIBA-META-03"], "never none", OIDC,
     dict(CIB, backchannel_token_delivery_mode="poll", backchannel_authentication_request_signing_alg="none"),
     [v("CIBA-META-03", "/backchannel_authentication_request_signing_alg")])
case("ciba_meta_03_pass_ps256", ["CIBA-META-03"], "PS256 with a key set", OIDC,
     dict(CIB, backchannel_token_delivery_mode="poll", backchannel_authentication_request_signing_alg="PS256"), [])
case("ciba_meta_04_warn_without_grant", ["CIBA-META-04"], "ciba fields without the grant: warning", OIDC,
     {"redirect_uris": [CB], "backchannel_token_delivery_mode": "poll"}, [w("CIBA-META-04", "/backchannel_token_delivery_mode")])
case("ciba_meta_05_fail_type", ["CIBA-META-05"], "a boolean", OIDC, dict(CIB, backchannel_token_delivery_mode="poll", backchannel_user_code_parameter="no"),
     [v("CIBA-META-05", "/backchannel_user_code_parameter")])
case("ciba_meta_07_fail_pairwise_without_jwks_uri", ["CIBA-META-07"], "pairwise ciba clients need jwks_uri", OIDC,
     {"grant_types": [CIBA], "backchannel_token_delivery_mode": "poll", "subject_type": "pairwise"}, [v("CIBA-META-07", "/jwks_uri")])
case("ciba_meta_08_fail_type", ["CIBA-META-08"], "an array of strings", OIDC,
     dict(CIB, backchannel_token_delivery_mode="poll", backchannel_endpoint_login_hint_token_types="jwt"), [v("CIBA-META-08", "/backchannel_endpoint_login_hint_token_types")])

# ---------------------------------------------------------------- policy data
case("policy_default_wins", ["POLICY-DEFAULT"], "policy defaults win over rfc / oidc defaults", oidc(defaults={"id_token_signed_response_alg": "PS256", "token_endpoint_auth_method": "private_key_jwt"}),
     {"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks"}, [],
     changes=[("/id_token_signed_response_alg", "defaulted"), ("/token_endpoint_auth_method", "defaulted"), ("/grant_types", "defaulted"),
              ("/response_types", "defaulted"), ("/application_type", "defaulted"), ("/subject_type", "defaulted")],
     client={"id_token_signed_response_alg": "PS256", "token_endpoint_auth_method": "private_key_jwt"})
case("policy_enforce_overrides", ["POLICY-ENFORCE"], "enforced values replace what was sent", {"enforce": {"token_endpoint_auth_method": "private_key_jwt", "tls_client_certificate_bound_access_tokens": True}},
     {"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_basic", "jwks_uri": "https://app.example.com/jwks"}, [],
     changes=[("/token_endpoint_auth_method", "overridden"), ("/tls_client_certificate_bound_access_tokens", "overridden"), ("/grant_types", "defaulted"), ("/response_types", "defaulted")],
     client={"token_endpoint_auth_method": "private_key_jwt", "tls_client_certificate_bound_access_tokens": True})
case("policy_allowed_fail", ["POLICY-ALLOWED"], "each value / element / scope token must be allowed",
     {"allowed": {"grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": ["private_key_jwt", "tls_client_auth"], "scope": ["openid", "accounts"], "redirect_uris": [CB]}},
     {"redirect_uris": [CB, "https://app.example.com/other"], "grant_types": ["authorization_code", "client_credentials"], "scope": "openid payments"},
     [v("POLICY-ALLOWED", "/redirect_uris/1", R), v("POLICY-ALLOWED", "/grant_types/1"), v("POLICY-ALLOWED", "/token_endpoint_auth_method"), v("POLICY-ALLOWED", "/scope")])
case("policy_allowed_pass", ["POLICY-ALLOWED"], "allowed values pass", {"allowed": {"response_types": ["code", "code id_token"], "application_type": ["web"]}, "profile": "oidc", "checks": {"grant_response_consistency": "lenient_hybrid"}},
     {"redirect_uris": [CB], "response_types": ["id_token code"]}, [])
case("policy_required_fail", ["POLICY-REQUIRED"], "required fields after defaults", {"required": ["client_name", "jwks_uri", "grant_types", "contacts"]},
     {"redirect_uris": [CB], "contacts": []}, [v("POLICY-REQUIRED", "/client_name"), v("POLICY-REQUIRED", "/jwks_uri"), v("POLICY-REQUIRED", "/contacts")])
case("policy_required_pass_tagged", ["POLICY-REQUIRED"], "a language-tagged variant satisfies a required i18n field", {"required": ["client_name"]},
     {"redirect_uris": [CB], "client_name#en": "App"}, [w("RFC7591-I18N-05", "/client_name")])
case("policy_forbidden_fail", ["POLICY-FORBIDDEN"], "forbidden fields (and their tagged variants) must not be sent", {"forbidden": ["jwks", "logo_uri"]},
     {"redirect_uris": [CB], "jwks": {"keys": [RSA]}, "logo_uri#en": "https://app.example.com/l.png", "logo_uri": "https://app.example.com/l.png"},
     [v("POLICY-FORBIDDEN", "/jwks"), v("POLICY-FORBIDDEN", "/logo_uri#en"), v("POLICY-FORBIDDEN", "/logo_uri")])
case("policy_forbidden_pass_null", ["POLICY-FORBIDDEN", "RFC7591-META-04"], "a null forbidden field counts as absent", {"forbidden": ["jwks"]},
     {"redirect_uris": [CB], "jwks": None}, [])
case("policy_invalid_call", ["POLICY-LOAD-01"], "an invalid policy is the host's mistake", {"profil": "oidc"}, dict(WEB), [], outcome="invalid_call")

# ---------------------------------------------------------------- realistic documents
case("realistic_oidc_web_client_accepted", ["RFC7591-META-04", "OIDCDCR-APPTYPE-01"], "a complete, valid oidc web client",
     {"profile": "oidc", "capabilities": {"grant_types_supported": ["authorization_code", "refresh_token"], "response_types_supported": ["code"],
      "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"], "id_token_signing_alg_values_supported": ["RS256", "PS256"],
      "scopes_supported": ["openid", "profile", "email", "offline_access"], "subject_types_supported": ["public", "pairwise"]}},
     {"application_type": "web", "redirect_uris": [CB, "https://app.example.com/cb2"], "client_name": "Budget App", "client_name#ja-Jpan-JP": "予算アプリ",
      "logo_uri": "https://app.example.com/logo.png", "client_uri": "https://app.example.com/", "policy_uri": "https://app.example.com/privacy",
      "tos_uri": "https://app.example.com/tos", "contacts": ["ops@example.com"], "grant_types": ["authorization_code", "refresh_token"],
      "response_types": ["code"], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
      "jwks_uri": "https://app.example.com/jwks.json", "id_token_signed_response_alg": "PS256", "scope": "openid profile email offline_access",
      "default_max_age": 86400, "require_auth_time": True, "post_logout_redirect_uris": ["https://app.example.com/bye"],
      "software_id": "budget-app", "software_version": "4.2.0", "example_extension_parameter": "kept"}, [], changes=[("/subject_type", "defaulted")])
case("realistic_many_violations_all_reported", ["RFC7591-REDIRECT-03", "RFC7591-REDIRECT-04", "RFC7591-JWKS-01", "OIDCDCR-JWKS-04"], "every violation is reported, not only the first", OIDC,
     {"redirect_uris": ["https://app.example.com/cb#frag", "javascript:alert(1)"], "jwks_uri": "https://app.example.com/jwks", "jwks": {"keys": [dict(RSA, d="x")]},
      "client_name": 42},
     [v("RFC7591-META-04", "/client_name"), v("RFC7591-REDIRECT-03", "/redirect_uris/0", R), v("RFC7591-REDIRECT-04", "/redirect_uris/1", R),
      v("RFC7591-JWKS-01", "/jwks"), v("OIDCDCR-JWKS-04", "/jwks/keys/0/d")])

# ---------------------------------------------------------------- rule coverage (docs/rules.md)
# (profile-coded rules such as FAPI1-KEY-03 and UKOB-CIBA-02 run in the registration
# pipeline only: tests/acceptance.rs)
F1 = {"profile": "fapi1-advanced"}
F2 = {"profile": "fapi2"}
FAPI_MD = {"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"}
case("fapi1_key_03_fail_http_jwks_uri", ["FAPI1-KEY-03", "OIDCDCR-JWKS-01"], "fapi 1: a jwks_uri not served over tls is refused", F1,
     dict(FAPI_MD, jwks_uri="http://app.example.com/jwks"), [v("OIDCDCR-JWKS-01", "/jwks_uri")])
case("fapi2_jwks_01_fail_http_jwks_uri", ["FAPI2-JWKS-01", "OIDCDCR-JWKS-01"], "fapi 2: a jwks_uri not served over tls is refused", F2,
     dict(FAPI_MD, jwks_uri="http://app.example.com/jwks"), [v("OIDCDCR-JWKS-01", "/jwks_uri")])
CIBA_G = "urn:openid:params:grant-type:ciba"
CIBA_MD = dict(FAPI_MD, grant_types=["authorization_code", CIBA_G], backchannel_authentication_request_signing_alg="PS256")
case("ciba_meta_06_pass_fapi1_poll", ["CIBA-META-06"], "fapi-ciba: `poll` delivery is accepted", F1,
     dict(CIBA_MD, backchannel_token_delivery_mode="poll"), [])
case("ciba_meta_06_pass_fapi2_ping", ["CIBA-META-06"], "fapi-ciba: `ping` delivery with a notification endpoint is accepted under fapi 2", F2,
     dict(CIBA_MD, backchannel_token_delivery_mode="ping", backchannel_client_notification_endpoint="https://app.example.com/ciba"), [])
case("ciba_meta_06_fail_fapi1_push", ["CIBA-META-06"], "fapi-ciba: `push` delivery is refused under fapi 1", F1,
     dict(CIBA_MD, backchannel_token_delivery_mode="push", backchannel_client_notification_endpoint="https://app.example.com/ciba"),
     [v("CIBA-META-06", "/backchannel_token_delivery_mode")])
case("ciba_meta_06_fail_fapi2_push", ["CIBA-META-06"], "fapi-ciba: `push` delivery is refused under fapi 2", F2,
     dict(CIBA_MD, backchannel_token_delivery_mode="push", backchannel_client_notification_endpoint="https://app.example.com/ciba"),
     [v("CIBA-META-06", "/backchannel_token_delivery_mode")])
case("ciba_meta_06_fail_fapi1_rs256", ["CIBA-META-06", "FAPI1-ALG-01"], "fapi-ciba: signed authentication requests use PS256 / ES256 only", F1,
     dict(CIBA_MD, backchannel_token_delivery_mode="poll", backchannel_authentication_request_signing_alg="RS256"),
     [v("FAPI1-ALG-01", "/backchannel_authentication_request_signing_alg")])

def main():
    for f in glob.glob(os.path.join(HERE, "*.json")):
        os.remove(f)
    names = []
    for name, body in CASES:
        assert name not in names, name
        names.append(name)
        with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(body, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    root = os.path.dirname(os.path.dirname(HERE))
    with open(os.path.join(root, "metadata_vectors.in"), "w") as fh:
        fh.write("// generated by tests/vectors/metadata/generate.py: one test per vector file\n")
        for n in names:
            fh.write(f"vector!({n});\n")
    print(f"{len(names)} vectors")


main()
