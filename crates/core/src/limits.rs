//! Every size Walkbook accepts, stated once. The phone, the server and the
//! OpenAPI document read these constants; the server refuses anything past
//! them with a message that names the limit.
//!
//! Why bounds at all: a phone or a coordinator's file is not trusted to be
//! small. An unbounded identifier, answer or expression is memory and disk
//! an attacker (or a careless import) spends on every reader of the
//! campaign, on every phone that pulls it.

/// Characters in an identifier: campaign, form, question, door, building,
/// device, volunteer and person ids, choice values.
pub const MAX_ID_CHARS: usize = 100;

/// Characters in a text answer (a note, a name, a phone number).
pub const MAX_TEXT_ANSWER_CHARS: usize = 2_000;

/// Why a record corrects or withdraws another (`Record::reason`), in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A need's details, or the note of its update, in characters.
pub const MAX_NEED_TEXT_CHARS: usize = 500;

/// Choices ticked in one multiple-choice answer.
pub const MAX_CHOICES_PER_ANSWER: usize = 100;

/// Entries of a repeat group in one record (people in one household).
pub const MAX_GROUP_ENTRIES: usize = 100;

/// Answers in one record (or one entry of a repeat group).
pub const MAX_ANSWERS: usize = 500;

/// Characters of a relevance or constraint expression.
pub const MAX_EXPRESSION_CHARS: usize = 2_000;

/// Nesting of an expression: parentheses, `not(...)`, function calls and
/// unary minus, each one level. The parser stops here instead of
/// recursing without bound.
pub const MAX_EXPRESSION_DEPTH: usize = 32;

/// Questions in one form, repeat groups' questions included.
pub const MAX_FORM_QUESTIONS: usize = 1_000;

/// Doors in one campaign's territory.
pub const MAX_DOORS: usize = 250_000;

/// Buildings in one campaign's territory.
pub const MAX_BUILDINGS: usize = 10_000;

/// Bytes of a territory CSV upload: room for [`MAX_DOORS`] doors, one per line.
pub const MAX_TERRITORY_CSV_BYTES: usize = 16 * 1024 * 1024;

/// An uploaded XLSForm workbook. Real questionnaires are tens of kilobytes;
/// one with its choice lists of every street of a city stays under this.
pub const MAX_XLSFORM_BYTES: usize = 10 * 1024 * 1024;

/// What an XLSForm workbook may unpack to (it is a zip file): bounds a
/// small upload that would expand to gigabytes.
pub const MAX_XLSFORM_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;

/// Doors listed by name on the coverage page (never visited; revisits due):
/// a district has tens of thousands; the counts are always whole.
pub const MAX_COVERAGE_LIST: usize = 100;

/// Bytes of one record's canonical JSON. A record bigger than this is
/// refused (the phone keeps it and shows why).
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Bytes of the records of one pull page (at least one record is always
/// sent, and one record is at most [`MAX_RECORD_BYTES`]).
pub const MAX_PULL_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// Why `value` cannot be an identifier, if it cannot: it must be 1 to
/// [`MAX_ID_CHARS`] characters, none of them a control character or
/// whitespace other than a plain space inside.
pub fn identifier_problem(what: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return Some(format!("the {what} is empty"));
    }
    let chars = value.chars().count();
    if chars > MAX_ID_CHARS {
        return Some(format!("the {what} has {chars} characters (at most {MAX_ID_CHARS})"));
    }
    if value.chars().any(|c| c.is_control() || (c.is_whitespace() && c != ' ')) {
        return Some(format!("the {what} contains a control character"));
    }
    if value.trim() != value {
        return Some(format!("the {what} starts or ends with a space"));
    }
    None
}

/// Why a text answer cannot be stored, if it cannot: at most
/// [`MAX_TEXT_ANSWER_CHARS`] characters, and no control characters but
/// tab and line breaks.
pub fn text_problem(text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_ANSWER_CHARS {
        return Some(format!("the text has {chars} characters (at most {MAX_TEXT_ANSWER_CHARS})"));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Some("the text contains a control character".into());
    }
    None
}

/// A record id as stored: a UUID written lowercase with hyphens
/// (`7a82...-...`), so that one record never gets two spellings.
pub fn is_canonical_record_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_printable_and_bounded() {
        assert_eq!(identifier_problem("door id", "xfl-01-1-101"), None);
        assert_eq!(identifier_problem("name", "Chen Li"), None);
        assert!(identifier_problem("door id", "").unwrap().contains("empty"));
        assert!(identifier_problem("device id", "phone\u{0}1").unwrap().contains("control"));
        assert!(identifier_problem("device id", "phone\n1").unwrap().contains("control"));
        assert!(identifier_problem("device id", "phone\u{2028}1").unwrap().contains("control"));
        assert!(identifier_problem("device id", " phone").unwrap().contains("space"));
        let long = "x".repeat(MAX_ID_CHARS + 1);
        assert!(identifier_problem("person id", &long).unwrap().contains("at most 100"));
        assert_eq!(identifier_problem("person id", &"是".repeat(MAX_ID_CHARS)), None, "characters, not bytes");
    }

    #[test]
    fn text_answers_are_bounded_and_keep_line_breaks() {
        assert_eq!(text_problem("line one\nline two\ttabbed"), None);
        assert!(text_problem("a\u{0}b").is_some());
        assert!(text_problem(&"x".repeat(MAX_TEXT_ANSWER_CHARS + 1)).unwrap().contains("at most 2000"));
        assert_eq!(text_problem(&"x".repeat(MAX_TEXT_ANSWER_CHARS)), None);
    }

    #[test]
    fn record_ids_have_one_spelling() {
        assert!(is_canonical_record_id("0190a0b0-0000-7000-8000-000000000001"));
        assert!(!is_canonical_record_id("0190A0B0-0000-7000-8000-000000000001"));
        assert!(!is_canonical_record_id("urn:uuid:0190a0b0-0000-7000-8000-000000000001"));
        assert!(!is_canonical_record_id("0190a0b000007000800000000000000001"));
        assert!(!is_canonical_record_id("{0190a0b0-0000-7000-8000-000000000001}"));
        assert!(!is_canonical_record_id("0190a0b0-0000-7000-8000-00000000000g"));
    }
}
