//! RFC 4514 distinguished names and the RFC 4517 `distinguishedNameMatch`
//! rule (RFC8705-AUTH-02, BROF-DN-01, BROF-DN-05, BROF-DN-06).
//!
//! Two DNs match when they have the same number of RDNs, in the same order,
//! and each RDN holds the same set of attribute-value assertions (order
//! inside a multi-valued RDN does not matter). Attribute types are compared
//! by OID (`CN` = `cn` = `2.5.4.3` = `OID.2.5.4.3`). Values are compared with
//! `caseIgnoreMatch` after RFC 4518 insignificant-space handling (leading and
//! trailing spaces dropped, inner runs collapsed). Every attribute used in
//! the Open Finance Brasil and OB certificate profiles (`CN`, `O`, `OU`,
//! `C`, `L`, `ST`, `STREET`, `DC`, `UID`, `serialNumber`, `businessCategory`,
//! `jurisdictionCountryName`, `organizationIdentifier`, ...) is string-valued
//! with caseIgnore matching in RFC 4519 / X.520, so one rule serves all.
//!
//! A value written as `#` + hex (the BER encoding, BROF-DN-06) is decoded
//! when it is a string type (UTF8String, PrintableString, IA5String,
//! TeletexString, BMPString, UniversalString) and then compares equal to
//! the same value written as text; the string *type* is not significant
//! for matching. A non-string BER value is compared byte for byte.
//!
//! Simplifications (documented reading): case folding is Unicode
//! `to_lowercase` without NFKC normalisation (RFC 4518 §2.2 mapping and
//! §2.3 normalisation are approximated); RFC 2253 `;` separators are not
//! accepted; spaces around `,`, `+` and `=` are tolerated.

/// One attribute-value assertion after normalisation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ava {
    /// The attribute type as a dotted OID when known, else the lowercased name.
    pub attr: String,
    /// The matching form of the value.
    pub value: AvaValue,
}

/// A normalised attribute value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AvaValue {
    /// A string value, case-folded with insignificant spaces removed.
    Text(String),
    /// A BER value that is not a string type.
    Binary(Vec<u8>),
}

/// A parsed DN: RDNs in the order written, each a sorted set of AVAs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dn {
    rdns: Vec<Vec<Ava>>,
    raw: Vec<Vec<(String, String)>>,
}

impl Dn {
    /// Number of RDNs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rdns.len()
    }

    /// True for the empty DN.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// RFC 4517 `distinguishedNameMatch`.
    #[must_use]
    pub fn matches(&self, other: &Dn) -> bool {
        self.rdns == other.rdns
    }

    /// The text value of the first attribute of this type (name or OID), as
    /// written (BER string values decoded), e.g. `UID` or `2.5.4.97`.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<String> {
        let want = attr_key(name)?;
        self.raw.iter().flatten().find(|(attr, _)| attr_key(attr).as_deref() == Some(want.as_str())).and_then(|(_, v)| raw_text(v))
    }
}

/// Why a DN string did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnError {
    /// One lowercase line.
    pub message: String,
}

impl core::fmt::Display for DnError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

fn err(message: impl Into<String>) -> DnError {
    DnError { message: message.into() }
}

/// Short names of RFC 4514 §3 plus the X.520 / CA-B names the ecosystem
/// certificate profiles use, mapped to OIDs.
const NAMES: [(&str, &str); 26] = [
    ("cn", "2.5.4.3"),
    ("commonname", "2.5.4.3"),
    ("sn", "2.5.4.4"),
    ("surname", "2.5.4.4"),
    ("serialnumber", "2.5.4.5"),
    ("c", "2.5.4.6"),
    ("countryname", "2.5.4.6"),
    ("l", "2.5.4.7"),
    ("localityname", "2.5.4.7"),
    ("st", "2.5.4.8"),
    ("stateorprovincename", "2.5.4.8"),
    ("street", "2.5.4.9"),
    ("o", "2.5.4.10"),
    ("organizationname", "2.5.4.10"),
    ("ou", "2.5.4.11"),
    ("organizationalunitname", "2.5.4.11"),
    ("title", "2.5.4.12"),
    ("businesscategory", "2.5.4.15"),
    ("postalcode", "2.5.4.17"),
    ("givenname", "2.5.4.42"),
    ("organizationidentifier", "2.5.4.97"),
    ("uid", "0.9.2342.19200300.100.1.1"),
    ("dc", "0.9.2342.19200300.100.1.25"),
    ("emailaddress", "1.2.840.113549.1.9.1"),
    ("jurisdictioncountryname", "1.3.6.1.4.1.311.60.2.1.3"),
    ("jurisdictionstateorprovincename", "1.3.6.1.4.1.311.60.2.1.2"),
];

fn attr_key(name: &str) -> Option<String> {
    let t = name.trim();
    let t = t.strip_prefix("OID.").or_else(|| t.strip_prefix("oid.")).unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    if t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        // numericoid: number *( "." number ), no leading zeros (RFC 4512 §1.4).
        let ok = t.split('.').all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && (n == "0" || !n.starts_with('0')));
        return ok.then(|| t.to_owned());
    }
    // descr: ALPHA *( ALPHA / DIGIT / "-" )
    let mut chars = t.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    Some(NAMES.iter().find(|(n, _)| *n == lower).map_or(lower, |(_, oid)| (*oid).to_owned()))
}

/// Parses an RFC 4514 string.
///
/// # Errors
/// A [`DnError`] naming the first syntax problem.
pub fn parse(text: &str) -> Result<Dn, DnError> {
    let mut rdns = Vec::new();
    let mut raw = Vec::new();
    if text.trim().is_empty() {
        return Ok(Dn { rdns, raw });
    }
    for rdn_text in split_unescaped(text, ',') {
        let mut avas = Vec::new();
        let mut raw_avas = Vec::new();
        for ava_text in split_unescaped(&rdn_text, '+') {
            let Some((ty, val)) = ava_text.split_once('=') else {
                return Err(err(format!("`{}` is not of the form type=value", clip(&ava_text))));
            };
            let attr = attr_key(ty).ok_or_else(|| err(format!("`{}` is not an attribute type", clip(ty.trim()))))?;
            let value = normalise_value(val)?;
            raw_avas.push((ty.trim().to_owned(), val.to_owned()));
            avas.push(Ava { attr, value });
        }
        avas.sort();
        rdns.push(avas);
        raw.push(raw_avas);
    }
    Ok(Dn { rdns, raw })
}

/// `distinguishedNameMatch` of two RFC 4514 strings.
///
/// # Errors
/// When either string does not parse.
pub fn dn_match(a: &str, b: &str) -> Result<bool, DnError> {
    Ok(parse(a)?.matches(&parse(b)?))
}

fn clip(s: &str) -> String {
    if s.chars().count() > 60 { s.chars().take(60).collect::<String>() + "…" } else { s.to_owned() }
}

/// Splits on `sep` where it is not escaped with a backslash.
fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == sep {
            out.push(core::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn normalise_value(val: &str) -> Result<AvaValue, DnError> {
    let trimmed = val.trim_start();
    if let Some(hex) = trimmed.strip_prefix('#') {
        let bytes = decode_hex(hex.trim_end()).ok_or_else(|| err(format!("`#{}` is not a hex-encoded ber value", clip(hex))))?;
        return Ok(match ber_string(&bytes) {
            Some(text) => AvaValue::Text(fold(&text)),
            None => AvaValue::Binary(bytes),
        });
    }
    Ok(AvaValue::Text(fold(&unescape(val)?)))
}

fn raw_text(val: &str) -> Option<String> {
    let trimmed = val.trim();
    if let Some(hex) = trimmed.strip_prefix('#') {
        return ber_string(&decode_hex(hex)?);
    }
    unescape(val).ok().map(|s| s.trim().to_owned())
}

/// RFC 4514 §3 string unescaping: `\` + special character, or `\` + two hex
/// digits (one UTF-8 byte).
fn unescape(val: &str) -> Result<String, DnError> {
    let mut bytes = Vec::with_capacity(val.len());
    let mut it = val.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(n) = it.next() else {
            return Err(err("a value ends with a lone `\\`"));
        };
        if n.is_ascii_hexdigit() {
            let Some(m) = it.next().filter(char::is_ascii_hexdigit) else {
                return Err(err("a `\\` hex escape needs two hex digits"));
            };
            let hi = n.to_digit(16).unwrap_or(0);
            let lo = m.to_digit(16).unwrap_or(0);
            bytes.push(u8::try_from(hi * 16 + lo).unwrap_or(0));
        } else {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(n.encode_utf8(&mut buf).as_bytes());
        }
    }
    String::from_utf8(bytes).map_err(|_| err("escaped bytes are not valid utf-8"))
}

/// caseIgnoreMatch preparation: insignificant spaces (RFC 4518 §2.6.1)
/// and case folding.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.is_empty() || !hex.len().is_multiple_of(2) {
        return None;
    }
    let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
    Some(digits.chunks(2).map(|p| p.iter().fold(0u32, |acc, d| acc * 16 + d)).map(|b| u8::try_from(b).unwrap_or(0)).collect())
}

/// Decodes a BER string type (tag, definite length, contents) to text.
fn ber_string(bytes: &[u8]) -> Option<String> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, body) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (len_bytes, body) = rest.split_at(n);
        (len_bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)), body)
    };
    if body.len() != len {
        return None;
    }
    match tag {
        // UTF8String, PrintableString, IA5String, NumericString, VisibleString
        0x0C | 0x13 | 0x16 | 0x12 | 0x1A => String::from_utf8(body.to_vec()).ok(),
        // TeletexString: read as Latin-1 (common practice)
        0x14 => Some(body.iter().map(|b| char::from(*b)).collect()),
        // BMPString: UCS-2 big-endian
        0x1E => {
            if body.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = body.chunks(2).map(|p| p.iter().fold(0u16, |acc, b| (acc << 8) | u16::from(*b))).collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UCS-4 big-endian
        0x1C => {
            if body.len() % 4 != 0 {
                return None;
            }
            body.chunks(4).map(|p| char::from_u32(p.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))).collect()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4517_case_and_space_insensitive() {
        assert!(dn_match("CN=Example Client,O=Bank,C=GB", "cn=example  client, o=BANK ,c=gb").unwrap());
        assert!(!dn_match("CN=a,O=b", "O=b,CN=a").unwrap(), "rdn order is significant");
        assert!(dn_match("CN=a+OU=x,O=b", "OU=x+CN=a,O=b").unwrap(), "ava order inside an rdn is not");
        assert!(dn_match("OID.2.5.4.3=a", "CN=A").unwrap());
    }

    #[test]
    fn brof_dn_06_hex_and_named_forms_are_equal() {
        // 2.5.4.97 as UTF8String "OFBBR-123", businessCategory PrintableString "Private Organization"
        let hex_form = "UID=abc,2.5.4.97=#0C094F464242522D313233,2.5.4.15=#131450726976617465204F7267616E697A6174696F6E,CN=tpp,C=BR";
        let named = "UID=ABC,organizationIdentifier=OFBBR-123,businessCategory=Private Organization,CN=TPP,C=BR";
        assert!(dn_match(hex_form, named).unwrap());
        assert_eq!(parse(hex_form).unwrap().attribute("organizationIdentifier").as_deref(), Some("OFBBR-123"));
    }

    #[test]
    fn escapes() {
        assert!(dn_match(r"CN=a\,b,O=x", r"CN=a\2cb,O=x").unwrap());
        assert!(parse(r"CN=a\").is_err());
        assert!(parse("CN").is_err());
        assert!(parse("1x=a").is_err());
        assert!(parse("2.5.4.3=#zz").is_err());
    }
}
