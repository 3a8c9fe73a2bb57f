//! Finding a person on the register by what a caller says: a name or part
//! of it, initials, or some digits of a phone number. Typed and stored text
//! are compared in one normal form (case, full-width letters and digits,
//! spaces), so "ＣＨＥＮ", "chen" and "Chen" find the same person.
//!
//! The index is built once from the register and searched on every
//! keystroke: each search is one pass over each field of the whole
//! register, already normalised (a phone's register of 6,000 households is
//! about 15,000 people).

use crate::form::Answer;
use crate::people::Person;

/// The question of a person's phone number in the household form.
pub const PHONE: &str = "phone";

/// Text in the form search compares: a door label's search key (letters
/// lower-cased, full-width ASCII as Chinese and Korean keyboards type it
/// made half-width, spaces and dashes removed), and no other spaces or the
/// punctuation of names and phone numbers either.
pub fn normalise(text: &str) -> String {
    crate::territory::search_key(text).chars().filter(|c| !c.is_whitespace() && !matches!(c, '‐' | '·' | '.' | '(' | ')')).collect()
}

/// The digits of `text`, full-width ones included.
fn digits(text: &str) -> String {
    normalise(text).chars().filter(char::is_ascii_digit).collect()
}

/// Initials of a name: the first letter of each Latin word ("Chen Mei Ling"
/// gives "cml"), and each Hangul syllable's initial consonant ("김민수"
/// gives "ㄱㅁㅅ", as Korean phones search contacts). Names in Chinese
/// characters have none: the characters themselves are typed.
fn initials(name: &str) -> String {
    const CHOSEONG: [char; 19] =
        ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];
    let mut found = String::new();
    let latin_words = name.split(|c: char| c.is_whitespace() || c == '-').filter_map(|word| word.chars().next());
    for first in latin_words.filter(char::is_ascii_alphabetic) {
        found.extend(first.to_lowercase());
    }
    for c in name.chars() {
        if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            found.push(CHOSEONG[(c as usize - 0xAC00) / 588]);
        }
    }
    found
}

/// What the search shows of a person found.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub person_id: String,
    pub door_id: String,
    pub name: String,
    /// The phone number as typed on the form, if any.
    pub phone: Option<String>,
    pub matched: Match,
}

/// What matched, best first (results come in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    WholeName,
    NameStart,
    InName,
    Initials,
    Phone,
}

/// One field of every person, joined in register order by a separator no
/// search key holds (keys have no spaces), so that a search is one pass of
/// one searcher over the whole register: setting a searcher up for each of
/// 15,000 short names cost more than the searching itself.
struct Column {
    text: String,
    /// Where each person's field starts in `text`, and one past the end.
    starts: Vec<usize>,
}

impl Column {
    const SEPARATOR: char = '\n';

    fn new(fields: impl Iterator<Item = String>) -> Column {
        let (mut text, mut starts) = (String::new(), Vec::new());
        for field in fields {
            starts.push(text.len());
            text.push_str(&field);
            text.push(Column::SEPARATOR);
        }
        starts.push(text.len());
        Column { text, starts }
    }

    /// The people whose field holds `key`, in register order, each once,
    /// with where in their field it is first found.
    fn holding<'a>(&'a self, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut last = None;
        self.text.match_indices(key).filter_map(move |(at, _)| {
            let person = self.starts.partition_point(|&start| start <= at) - 1;
            (last != Some(person)).then(|| {
                last = Some(person);
                (person, at - self.starts[person])
            })
        })
    }

    fn len_of(&self, person: usize) -> usize {
        self.starts[person + 1] - self.starts[person] - Column::SEPARATOR.len_utf8()
    }
}

/// The register, ready to search.
pub struct PeopleIndex {
    found: Vec<Found>,
    names: Column,
    initials: Column,
    phone_digits: Column,
}

impl PeopleIndex {
    pub fn new(people: &[Person]) -> PeopleIndex {
        let found: Vec<Found> = people
            .iter()
            .map(|person| Found {
                person_id: person.id.clone(),
                door_id: person.door_id.clone(),
                name: person.name.clone(),
                phone: match person.answers.get(PHONE) {
                    Some(Answer::Text(phone)) if !phone.trim().is_empty() => Some(phone.trim().to_string()),
                    _ => None,
                },
                matched: Match::InName,
            })
            .collect();
        PeopleIndex {
            names: Column::new(found.iter().map(|person| normalise(&person.name))),
            initials: Column::new(found.iter().map(|person| initials(&person.name))),
            phone_digits: Column::new(found.iter().map(|person| person.phone.as_deref().map(digits).unwrap_or_default())),
            found,
        }
    }

    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The people `typed` finds, best matches first (then in register
    /// order), at most `limit`. Digits match phone numbers from three on
    /// (fewer match half the register); initials need two letters.
    pub fn find(&self, typed: &str, limit: usize) -> Vec<Found> {
        let key = normalise(typed);
        if key.is_empty() {
            return Vec::new();
        }
        let key_digits = digits(typed);
        let by_phone = key_digits.len() >= 3 && key_digits.len() == key.len();
        let by_initials = key.chars().count() >= 2;
        // Each person's best match: the name, else the initials, else the phone.
        let mut best: Vec<Option<Match>> = vec![None; self.found.len()];
        for (person, at) in self.names.holding(&key) {
            best[person] = Some(match at {
                0 if self.names.len_of(person) == key.len() => Match::WholeName,
                0 => Match::NameStart,
                _ => Match::InName,
            });
        }
        if by_initials {
            for (person, _) in self.initials.holding(&key).filter(|&(_, at)| at == 0) {
                best[person].get_or_insert(Match::Initials);
            }
        }
        if by_phone {
            for (person, _) in self.phone_digits.holding(&key_digits) {
                best[person].get_or_insert(Match::Phone);
            }
        }
        // One list per kind of match, each in register order: best first
        // without a sort.
        let mut by_match: [Vec<usize>; 5] = Default::default();
        for (person, matched) in best.into_iter().enumerate() {
            if let Some(matched) = matched {
                by_match[matched as usize].push(person);
            }
        }
        let ranked = [Match::WholeName, Match::NameStart, Match::InName, Match::Initials, Match::Phone]
            .into_iter()
            .flat_map(|matched| by_match[matched as usize].iter().map(move |&person| (matched, person)));
        ranked.take(limit).map(|(matched, person)| Found { matched, ..self.found[person].clone() }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn person(id: &str, door: &str, name: &str, phone: Option<&str>) -> Person {
        let mut answers = BTreeMap::new();
        if let Some(phone) = phone {
            answers.insert(PHONE.to_string(), Answer::Text(phone.into()));
        }
        Person {
            id: id.into(),
            door_id: door.into(),
            name: name.into(),
            health_code: None,
            quarantine_until: None,
            needs_weekly_check: false,
            registered_at: 0,
            answers,
        }
    }

    fn register() -> PeopleIndex {
        PeopleIndex::new(&[
            person("p1", "d-101", "陈美玲", Some("138 0013 8000")),
            person("p2", "d-102", "Chen Mei Ling", Some("+86 139-1234-5678")),
            person("p3", "d-201", "Michael Chen", None),
            person("p4", "d-202", "김민수", Some("010-2345-6789")),
            person("p5", "d-301", "陈", None),
        ])
    }

    fn ids(found: &[Found]) -> Vec<&str> {
        found.iter().map(|f| f.person_id.as_str()).collect()
    }

    #[test]
    fn text_is_compared_without_case_width_or_spaces() {
        assert_eq!(normalise("ＣＨＥＮ　Ｍｅｉ"), "chenmei");
        assert_eq!(normalise(" 138-0013 8000 "), "13800138000");
        assert_eq!(normalise("陈 美玲"), "陈美玲");
        assert_eq!(digits("１３８ ００"), "13800");
    }

    #[test]
    fn names_match_whole_then_from_the_start_then_inside() {
        let index = register();
        assert_eq!(ids(&index.find("陈", 10)), ["p5", "p1"]);
        assert_eq!(ids(&index.find("美玲", 10)), ["p1"]);
        assert_eq!(ids(&index.find("ＣＨＥＮ", 10)), ["p2", "p3"]);
        assert_eq!(index.find("chen mei ling", 10)[0].matched, Match::WholeName);
        assert_eq!(ids(&index.find("  ", 10)), Vec::<&str>::new());
    }

    #[test]
    fn initials_of_latin_and_hangul_names() {
        let index = register();
        let found = index.find("CML", 10);
        assert_eq!(ids(&found), ["p2"]);
        assert_eq!(found[0].matched, Match::Initials);
        assert_eq!(ids(&index.find("ㄱㅁ", 10)), ["p4"]);
        assert_eq!(ids(&index.find("mc", 10)), ["p3"]);
        // One letter is too little to go by initials.
        assert_eq!(ids(&index.find("m", 10)), ["p3", "p2"]);
    }

    #[test]
    fn phone_digits_from_three_on_whatever_the_separators() {
        let index = register();
        assert_eq!(ids(&index.find("8000", 10)), ["p1"]);
        assert_eq!(ids(&index.find("１２３４-５６７８", 10)), ["p2"]);
        assert_eq!(ids(&index.find("6789", 10)), ["p4"]);
        assert!(index.find("13", 10).is_empty(), "two digits match too many phones to be useful");
        assert_eq!(index.find("138 0013 8000", 10)[0].phone.as_deref(), Some("138 0013 8000"));
    }

    #[test]
    fn a_person_is_found_once_and_never_across_two_people() {
        let index = PeopleIndex::new(&[
            person("p1", "d-1", "Anna Annan", None),
            person("p2", "d-2", "Bo", Some("123")),
            person("p3", "d-3", "Li", Some("456")),
        ]);
        assert_eq!(ids(&index.find("an", 10)), ["p1"]);
        // "bo" then "li", "123" then "456": nothing spans two people.
        assert!(index.find("oli", 10).is_empty());
        assert!(index.find("3456", 10).is_empty());
        // Initials count from their start only.
        let index = PeopleIndex::new(&[person("p1", "d-1", "Ivy Moss Tan", None)]);
        assert_eq!(index.find("im", 10)[0].matched, Match::Initials);
        assert!(index.find("mt", 10).is_empty());
    }

    #[test]
    fn results_are_limited_and_ordered_by_match() {
        let index = register();
        let found = index.find("chen", 1);
        assert_eq!(ids(&found), ["p2"]);
        assert_eq!(index.len(), 5);
    }
}
