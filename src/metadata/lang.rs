//! BCP 47 (RFC 5646 §2.1) language-tag syntax, for language-tagged member
//! names such as `client_name#ja-Jpan-JP` (RFC7591-I18N-03). Syntax only:
//! subtags are not checked against the IANA registry.

/// True when `tag` is a well-formed RFC 5646 `Language-Tag`
/// (`langtag`, `privateuse` or a `grandfathered` tag).
#[must_use]
pub fn is_well_formed(tag: &str) -> bool {
    if tag.is_empty() || tag.len() > 255 || !tag.is_ascii() {
        return false;
    }
    // Lowercased on the stack (at most 255 ASCII bytes): this runs for every
    // language-tagged member, and two heap allocations cost more than the check.
    let mut buf = [0u8; 255];
    let Some(bytes) = buf.get_mut(..tag.len()) else { return false };
    bytes.copy_from_slice(tag.as_bytes());
    bytes.make_ascii_lowercase();
    let Ok(lower) = core::str::from_utf8(bytes) else { return false };
    if GRANDFATHERED.contains(&lower) {
        return true;
    }
    if lower.split('-').any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return false;
    }
    let mut it = lower.split('-').peekable();
    let Some(first) = it.next() else { return false };
    if first == "x" {
        // privateuse = "x" 1*("-" (1*8alphanum))
        return it.peek().is_some();
    }
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
    if !first.bytes().all(|c| c.is_ascii_alphabetic()) || first.len() < 2 {
        return false;
    }
    if first.len() <= 3 {
        // extlang = 3ALPHA *2("-" 3ALPHA)
        for _ in 0..3 {
            match it.peek() {
                Some(s) if s.len() == 3 && s.bytes().all(|c| c.is_ascii_alphabetic()) => {
                    it.next();
                }
                _ => break,
            }
        }
    }
    // script = 4ALPHA
    if let Some(s) = it.peek()
        && s.len() == 4
        && s.bytes().all(|c| c.is_ascii_alphabetic())
    {
        it.next();
    }
    // region = 2ALPHA / 3DIGIT
    if let Some(s) = it.peek()
        && ((s.len() == 2 && s.bytes().all(|c| c.is_ascii_alphabetic())) || (s.len() == 3 && s.bytes().all(|c| c.is_ascii_digit())))
    {
        it.next();
    }
    // variant = 5*8alphanum / (DIGIT 3alphanum)
    let mut variants: Vec<&str> = Vec::new();
    while let Some(s) = it.peek() {
        let is_variant = (5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes().first().is_some_and(u8::is_ascii_digit));
        if !is_variant {
            break;
        }
        if variants.contains(s) {
            return false; // RFC 5646 §2.2.5: no repeated variant
        }
        variants.push(s);
        it.next();
    }
    // extension = singleton 1*("-" (2*8alphanum)); privateuse at the end
    let mut singletons: Vec<&str> = Vec::new();
    while let Some(s) = it.next() {
        if s == "x" {
            return it.next().is_some(); // rest is private use (already checked 1*8alphanum)
        }
        if s.len() != 1 || singletons.contains(&s) {
            return false;
        }
        singletons.push(s);
        let mut count = 0;
        while let Some(e) = it.peek() {
            if e.len() < 2 {
                break;
            }
            it.next();
            count += 1;
        }
        if count == 0 {
            return false;
        }
    }
    true
}

/// RFC 5646 §2.1 `grandfathered` tags (lowercase).
const GRANDFATHERED: [&str; 26] = [
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

#[cfg(test)]
mod tests {
    use super::is_well_formed;

    #[test]
    fn rfc5646_examples() {
        for ok in [
            "en",
            "ja-Jpan-JP",
            "zh-Hant",
            "sr-Latn-RS",
            "es-419",
            "de-CH-1901",
            "sl-rozaj-biske",
            "en-US-x-twain",
            "x-whatever",
            "zh-yue-HK",
            "i-klingon",
            "en-a-bbb-x-a-ccc",
            "fr-CA",
        ] {
            assert!(is_well_formed(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "en-",
            "-en",
            "en--US",
            "de-419-DE",
            "a-DE",
            "ar-a-aaa-b-bbb-a-ccc",
            "de-1901-1901",
            "toolongtag",
            "en_US",
            "ja-JP-\u{3042}",
            "en-x",
            "1en",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn case_folding_and_length_edges() {
        // Grandfathered tags and repeated variants compare lowercased.
        assert!(is_well_formed("I-KLINGON"));
        assert!(!is_well_formed("DE-1901-1901"));
        assert!(!is_well_formed("de-1901-1901".to_uppercase().as_str()));
        assert!(is_well_formed("EN-us"));
        // The 255-byte bound: the longest accepted length, then one more.
        let long = format!("x{}", "-abcdefgh".repeat(28));
        assert_eq!(long.len(), 253);
        assert!(is_well_formed(&long));
        assert!(is_well_formed(&format!("{long}-a")));
        assert!(!is_well_formed(&format!("{long}-ab")));
    }
}
