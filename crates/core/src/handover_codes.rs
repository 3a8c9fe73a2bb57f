//! A handover package as an animated sequence of QR codes, for two phones
//! with no cable, no Bluetooth and no network between them: one shows the
//! codes in turn, the other reads them with its camera in any order, as
//! often as they come round, until it has them all.
//!
//! Each code's text is `WBH1 <set> <i>/<n> <part>`: `set` is a checksum of
//! the whole package text (so codes of two packages never mix, and a package
//! put together wrong is seen before it is parsed), `i` of `n` the part's
//! place. The text is ASCII only (characters beyond it are written as JSON
//! `\u` escapes, which mean the same to a JSON parser), because QR readers
//! do not agree on how to decode other bytes. The package's signatures are
//! checked after it is put together, as for a file.

/// What every code's text starts with.
pub const CODE_PREFIX: &str = "WBH1";
/// Characters of the package per code: with the header, a version 14 QR
/// code at error correction M (73 modules square), which a phone's camera
/// reads from another phone's screen at arm's length.
pub const CODE_PART_CHARS: usize = 340;
/// What a version 14 code at M holds in byte mode: the longest code's text
/// (the part and its header, `WBH1 <8> 500/500 `) fits.
pub const CODE_MAX_BYTES: usize = 362;
/// The most codes one package is shown as (about 170 KB, a few minutes of
/// codes); a bigger package is handed over as a file.
pub const MAX_CODES: usize = 500;

/// The codes' texts for the package `package_json`, in order; `None` when it
/// needs more than [`MAX_CODES`].
pub fn handover_codes(package_json: &str) -> Option<Vec<String>> {
    let text = ascii_json(package_json);
    let parts: Vec<&str> = text.as_bytes().chunks(CODE_PART_CHARS).map(|part| std::str::from_utf8(part).expect("ASCII")).collect();
    if parts.len() > MAX_CODES {
        return None;
    }
    let set = checksum(&text);
    let total = parts.len();
    Some(parts.iter().enumerate().map(|(i, part)| format!("{CODE_PREFIX} {set} {}/{total} {part}", i + 1)).collect())
}

/// What became of one code read by the camera.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeRead {
    /// Not a handover code (another QR code in view).
    NotOurs,
    /// A code of another package than the one being read: ignored.
    OtherPackage,
    /// Read before.
    AlreadyHave,
    /// A new part: how many of how many are read.
    Added { have: usize, total: usize },
}

/// The parts of one package read so far.
#[derive(Debug, Clone, Default)]
pub struct CodeCollector {
    set: String,
    parts: Vec<Option<String>>,
}

impl CodeCollector {
    /// Takes the text of one code read; the first handover code read decides
    /// the package.
    pub fn read(&mut self, code: &str) -> CodeRead {
        let Some((set, place, total, part)) = parse_code(code) else { return CodeRead::NotOurs };
        if self.parts.is_empty() {
            self.set = set.to_string();
            self.parts = vec![None; total];
        }
        if set != self.set || total != self.parts.len() {
            return CodeRead::OtherPackage;
        }
        if self.parts[place - 1].is_some() {
            return CodeRead::AlreadyHave;
        }
        self.parts[place - 1] = Some(part.to_string());
        CodeRead::Added { have: self.have(), total }
    }

    /// How many parts are read, of how many (0 of 0 before the first).
    pub fn progress(&self) -> (usize, usize) {
        (self.have(), self.parts.len())
    }

    fn have(&self) -> usize {
        self.parts.iter().filter(|part| part.is_some()).count()
    }

    /// The package's text once every part is read and it is the package the
    /// codes were made of; `None` before then, or (never with codes read
    /// right) when the parts do not add up to it.
    pub fn package(&self) -> Option<String> {
        if self.parts.is_empty() || self.parts.iter().any(Option::is_none) {
            return None;
        }
        let text: String = self.parts.iter().flatten().map(String::as_str).collect();
        (checksum(&text) == self.set).then_some(text)
    }
}

/// `(set, place, total, part)` of a well-formed code: `place` in `1..=total`,
/// `total` at most [`MAX_CODES`], the part no longer than a code holds.
fn parse_code(code: &str) -> Option<(&str, usize, usize, &str)> {
    let mut fields = code.splitn(4, ' ');
    if fields.next()? != CODE_PREFIX {
        return None;
    }
    let set = fields.next().filter(|set| set.len() == 8 && set.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let (place, total) = fields.next()?.split_once('/')?;
    let (place, total) = (place.parse::<usize>().ok()?, total.parse::<usize>().ok()?);
    let part = fields.next().filter(|part| !part.is_empty() && part.len() <= CODE_PART_CHARS && part.is_ascii())?;
    (1..=MAX_CODES).contains(&total).then_some(())?;
    (1..=total).contains(&place).then_some((set, place, total, part))
}

/// FNV-1a (32 bits) of `text`, as 8 hex digits: enough to tell packages
/// apart and to catch a part misplaced; the signatures guard against
/// anything deliberate.
fn checksum(text: &str) -> String {
    let hash = text.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

/// `json` with every character beyond ASCII written as a `\u` escape (in
/// JSON such characters appear only inside strings, where the escape means
/// the same character).
fn ascii_json(json: &str) -> String {
    let mut ascii = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                ascii.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    ascii
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package_json(len: usize) -> String {
        let name: String = "陈美玲 김민지 🏠 ".chars().cycle().take(len).collect();
        serde_json::json!({ "format": "walkbook-handover/1", "records": [{ "name": name }] }).to_string()
    }

    #[test]
    fn codes_read_in_any_order_and_repeated_give_back_the_package() {
        let json = package_json(900);
        let codes = handover_codes(&json).unwrap();
        assert!(codes.len() > 3, "{} codes", codes.len());
        assert!(codes.iter().all(|code| code.is_ascii() && code.len() <= CODE_MAX_BYTES), "ASCII and short");
        assert!(codes[0].starts_with("WBH1 ") && codes[0].contains(&format!(" 1/{} ", codes.len())));
        let mut collector = CodeCollector::default();
        assert_eq!(collector.progress(), (0, 0));
        // The camera comes in at the third code and sees the last one twice.
        let order = (2..codes.len()).chain([codes.len() - 1]).chain(0..2);
        let mut reads = Vec::new();
        for i in order {
            assert_eq!(collector.package(), None, "not before every part");
            reads.push(collector.read(&codes[i]));
        }
        assert_eq!(reads[codes.len() - 2], CodeRead::AlreadyHave);
        assert_eq!(reads.last(), Some(&CodeRead::Added { have: codes.len(), total: codes.len() }));
        let text = collector.package().expect("whole");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, serde_json::from_str::<serde_json::Value>(&json).unwrap(), "the same package, escapes and all");
    }

    #[test]
    fn other_codes_and_other_packages_are_not_mixed_in() {
        let first = handover_codes(&package_json(700)).unwrap();
        let second = handover_codes(&package_json(701)).unwrap();
        let mut collector = CodeCollector::default();
        assert_eq!(collector.read("https://example.com/menu"), CodeRead::NotOurs);
        assert_eq!(collector.read(&first[0]), CodeRead::Added { have: 1, total: first.len() });
        assert_eq!(collector.read(&second[1]), CodeRead::OtherPackage);
        let set = &first[0][5..13];
        for bad in [
            format!("WBH1 {set} 0/{} x", first.len()),
            format!("WBH1 {set} 9/3 x"),
            format!("WBH1 {set} 1/{} ", first.len()),
            format!("WBH1 {set} 1/501 x"),
            format!("WBH1 zzzzzzzz 1/{} x", first.len()),
            format!("WBH1 {set} 2/{} {}", first.len(), "x".repeat(CODE_PART_CHARS + 1)),
        ] {
            assert_eq!(collector.read(&bad), CodeRead::NotOurs, "{bad}");
        }
        assert_eq!(collector.progress(), (1, first.len()));
    }

    #[test]
    fn a_part_read_wrong_is_caught_by_the_checksum() {
        let codes = handover_codes(&package_json(400)).unwrap();
        let mut collector = CodeCollector::default();
        for code in &codes[1..] {
            collector.read(code);
        }
        collector.read(&codes[0].replacen("\"format\"", "\"fxrmat\"", 1));
        assert_eq!(collector.progress(), (codes.len(), codes.len()));
        assert_eq!(collector.package(), None);
    }

    #[test]
    fn a_package_too_big_for_codes_is_said_so() {
        let biggest = handover_codes(&"x".repeat(CODE_PART_CHARS * MAX_CODES)).unwrap();
        assert!(biggest.iter().all(|code| code.len() <= CODE_MAX_BYTES), "the longest code fits its QR code");
        assert_eq!(biggest.last().unwrap().len(), CODE_MAX_BYTES);
        assert!(handover_codes(&"x".repeat(CODE_PART_CHARS * MAX_CODES + 1)).is_none());
    }
}
