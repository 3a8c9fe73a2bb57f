//! XLSForm's expressions (a subset of XPath 1.0 with ODK's functions) into
//! Walkbook's expression language.
//!
//! Walkbook's language was modelled on what XLSForm users write, so most
//! expressions are the same text: `${name}`, `.`, `and`, `or`, `not()`,
//! comparisons, `+ - * div mod`, `selected()`, `count-selected()`,
//! `string-length()`, `if()`, `today()`, `true()`, `false()`. Those come
//! through unchanged (so an exported form imports back to the same text).
//! `date('YYYY-MM-DD')` becomes the date's text, which Walkbook compares in
//! order. Everything else (paths, predicates, other functions, `regex()`)
//! is refused by name: a guessed translation would accept or refuse answers
//! the form's author did not mean to.

/// Walkbook's functions, as XLSForm spells them.
const SAME_FUNCTIONS: [&str; 8] = ["not", "selected", "count-selected", "string-length", "if", "today", "true", "false"];

/// The translation of `source`, or why it has none.
pub fn translate(source: &str) -> Result<String, String> {
    let source = source.trim();
    let tokens = tokenize(source)?;
    let mut translated = String::new();
    let mut copied_to = 0;
    for (index, token) in tokens.iter().enumerate() {
        let Token::Name(name) = &token.kind else { continue };
        if matches!(name.as_str(), "and" | "or" | "div" | "mod") {
            continue;
        }
        let called = matches!(tokens.get(index + 1), Some(TokenAt { kind: Token::Open, .. }));
        if !called {
            return Err(format!(
                "'{name}' is an XPath path; name a question as ${{{name}}} (Walkbook reads answers by question name only)"
            ));
        }
        if SAME_FUNCTIONS.contains(&name.as_str()) {
            continue;
        }
        if name == "date" {
            // date('2020-01-31') is the date itself; any other argument is not a date Walkbook can compare.
            if let [TokenAt { kind: Token::Open, .. }, TokenAt { kind: Token::Text(text), start: text_start, end: text_end }, TokenAt { kind: Token::Close, end: close_end, .. }, ..] =
                &tokens[index + 1..]
            {
                if walkbook_core::dates::day_of_date(text).is_some() {
                    translated.push_str(&source[copied_to..token.start]);
                    translated.push_str(&source[*text_start..*text_end]);
                    copied_to = *close_end;
                    continue;
                }
            }
            return Err("date() is read only with a date 'YYYY-MM-DD' in quotes".into());
        }
        if name == "regex" {
            return Err("regex() has no equivalent in Walkbook's expressions (they have no regular expressions)".into());
        }
        return Err(format!(
            "the function {name}() has no equivalent in Walkbook's expressions (they have {})",
            SAME_FUNCTIONS.iter().chain(&["date"]).map(|f| format!("{f}()")).collect::<Vec<_>>().join(", ")
        ));
    }
    translated.push_str(&source[copied_to..]);
    Ok(translated)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Text(String),
    Open,
    Close,
    /// Anything else Walkbook reads the same: numbers, operators, `${name}`, `.`, commas.
    Same,
}

/// A token and where it is in the source (byte offsets).
struct TokenAt {
    kind: Token,
    start: usize,
    end: usize,
}

fn tokenize(source: &str) -> Result<Vec<TokenAt>, String> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(source.len(), |(at, _)| *at);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let (kind, next) = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '$' => {
                if chars.get(i + 1).map(|(_, c)| *c) != Some('{') {
                    return Err(format!("'$' at character {} is not the start of a ${{name}}", i + 1));
                }
                let close =
                    (i + 2..chars.len()).find(|&j| chars[j].1 == '}').ok_or_else(|| format!("${{ at character {} is not closed", i + 1))?;
                (Token::Same, close + 1)
            }
            '\'' | '"' => {
                let close = (i + 1..chars.len())
                    .find(|&j| chars[j].1 == c)
                    .ok_or_else(|| format!("the text at character {} is not closed", i + 1))?;
                (Token::Text(source[end_of(i + 1)..end_of(close)].to_string()), close + 1)
            }
            '(' => (Token::Open, i + 1),
            ')' => (Token::Close, i + 1),
            '.' if chars.get(i + 1).is_some_and(|(_, c)| *c == '.') => {
                return Err("'..' (the parent in XPath) is not supported; name the question as ${name}".into())
            }
            '/' => return Err("XPath paths ('/data/...') are not supported; name the question as ${name}".into()),
            '[' | ']' => return Err("XPath predicates ('[...]') are not supported".into()),
            '@' => return Err("XPath attributes ('@') are not supported".into()),
            '|' => return Err("XPath unions ('|') are not supported".into()),
            c if c.is_ascii_digit() || c == '.' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].1.is_ascii_digit() || chars[j].1 == '.') {
                    j += 1;
                }
                (Token::Same, j)
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].1.is_alphanumeric() || matches!(chars[j].1, '_' | '-' | ':' | '.')) {
                    j += 1;
                }
                (Token::Name(source[start..end_of(j)].to_string()), j)
            }
            '=' | '<' | '>' | '!' | '+' | '-' | '*' | ',' => (Token::Same, i + 1),
            other => return Err(format!("'{other}' at character {} is not part of an expression", i + 1)),
        };
        tokens.push(TokenAt { kind, start, end: end_of(next) });
        i = next;
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walkbook_expressions_come_through_unchanged() {
        for source in [
            "${age} >= 18 and ${age} < 120",
            ". >= 35 and . <= 43",
            "selected(${symptoms}, 'fever') or count-selected(${symptoms}) > 2",
            "not(${tenure} = 'owner')",
            "string-length(.) <= 11",
            "if(${a} = 'yes', 1, 0) = 1",
            ". <= today()",
            "${x} div 2 mod 3 != -1",
            "${confirm} = true()",
            "${name} != \"\"",
        ] {
            assert_eq!(translate(source).as_deref(), Ok(source), "{source}");
        }
    }

    #[test]
    fn date_literals_become_text() {
        assert_eq!(translate(". >= date('2020-01-31')").as_deref(), Ok(". >= '2020-01-31'"));
        assert!(translate("date(${x})").is_err());
        assert!(translate("date('tomorrow')").is_err());
    }

    #[test]
    fn what_walkbook_cannot_say_is_refused_by_name() {
        let refused = |source: &str| translate(source).unwrap_err();
        assert!(refused("regex(., '^[0-9]{11}$')").contains("regex()"));
        assert!(refused("jr:choice-name(${x}, '${x}')").contains("jr:choice-name()"));
        assert!(refused("concat(${a}, ${b})").contains("concat()"));
        assert!(refused("/data/age > 3").contains("paths"));
        assert!(refused("../age > 3").contains("parent"));
        assert!(refused("${people}[1]").contains("predicates"));
        assert!(refused("age > 3").contains("${age}"));
        assert!(refused("${age > 3").contains("not closed"));
        assert!(refused("'open").contains("not closed"));
        assert!(refused("${a} ; 1").contains("';'"));
    }
}
