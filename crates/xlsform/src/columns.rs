//! An XLSForm sheet's header row: which column holds what, and in which
//! language (`label`, `label::English (en)`, `label:english`, `hint::中文 (zh)`).

use walkbook_core::lang::Lang;

use crate::workbook::{Row, Sheet};

/// What a column holds, for the sheets Walkbook reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Type,
    Name,
    Label(Lang),
    Hint(Lang),
    Required,
    Relevant,
    Constraint,
    ConstraintMessage(Lang),
    /// Walkbook's own column: `yes_no` or `temperature`, kinds XLSForm lacks.
    WalkbookKind,
    ListName,
    FormTitle(Lang),
    FormId,
    Version,
    DefaultLanguage,
    /// Read by other tools, changes nothing Walkbook stores: a warning when used.
    Ignored(String),
    /// Means something Walkbook cannot do: a problem when used.
    Refused(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Survey,
    Choices,
    Settings,
}

/// A sheet's columns, resolved once.
pub struct Columns {
    pub fields: Vec<(usize, String, Field)>,
}

impl Columns {
    pub fn new(sheet: &Sheet, kind: SheetKind, default: Lang, warnings: &mut Vec<String>) -> Columns {
        let mut fields = Vec::new();
        for (index, header) in sheet.header.iter().enumerate() {
            if header.is_empty() {
                continue;
            }
            let field = field_of(header, kind, default);
            let used = || sheet.rows.iter().any(|row| row.cells.get(index).is_some_and(|c| !c.is_empty()));
            if let Field::Ignored(why) = &field {
                if used() {
                    warnings.push(format!("{}: column '{header}' is ignored: {why}", sheet.name));
                }
            }
            fields.push((index, header.clone(), field));
        }
        Columns { fields }
    }

    pub fn has(&self, wanted: &Field) -> bool {
        self.fields.iter().any(|(_, _, field)| field == wanted)
    }

    /// The first non-empty cell of `row` under `wanted`.
    pub fn get<'r>(&self, row: &'r Row, wanted: &Field) -> &'r str {
        self.fields
            .iter()
            .filter(|(_, _, field)| field == wanted)
            .find_map(|(index, _, _)| row.cells.get(*index).filter(|c| !c.is_empty()))
            .map_or("", String::as_str)
    }

    /// The header of the column holding `wanted`, to name it in a problem.
    pub fn header(&self, wanted: &Field) -> String {
        self.fields.iter().find(|(_, _, field)| field == wanted).map_or_else(|| format!("{wanted:?}"), |(_, header, _)| header.clone())
    }

    /// Texts per language from the columns `field_in(lang)` names.
    pub fn labels(&self, row: &Row, field_in: fn(Lang) -> Field) -> walkbook_core::labels::Labels {
        let mut labels = walkbook_core::labels::Labels::default();
        for lang in Lang::ALL {
            let text = self.get(row, &field_in(lang));
            if !text.is_empty() {
                labels.0.insert(lang, text.to_string());
            }
        }
        labels
    }

    /// The refused columns `row` uses: (header, why).
    pub fn refused_in<'c>(&'c self, row: &Row) -> impl Iterator<Item = (&'c str, &'c str)> + 'c {
        let used: Vec<bool> = self.fields.iter().map(|(index, _, _)| row.cells.get(*index).is_some_and(|c| !c.is_empty())).collect();
        self.fields.iter().zip(used).filter_map(|((_, header, field), used)| match field {
            Field::Refused(why) if used => Some((header.as_str(), why.as_str())),
            _ => None,
        })
    }
}

/// Splits `label::English (en)` and `label:english` into the column and its
/// language; `bind::relevant` and `control::appearance` into the column.
fn split_header(header: &str) -> (String, Option<String>) {
    let (base, spec) = match header.split_once("::") {
        Some((base, spec)) => (base, Some(spec)),
        None => match header.split_once(':') {
            Some((base, spec)) if TRANSLATABLE.contains(&base.trim().to_lowercase().as_str()) || is_prefix(base) => (base, Some(spec)),
            _ => (header, None),
        },
    };
    let base = base.trim().to_lowercase().replace(' ', "_");
    match (base.as_str(), spec) {
        ("bind" | "control", Some(inner)) => (inner.trim().to_lowercase().replace(' ', "_"), None),
        _ => (base, spec.map(|s| s.trim().to_string())),
    }
}

/// `bind:relevant` and `control:appearance`, older spellings of `bind::` and `control::`.
fn is_prefix(base: &str) -> bool {
    matches!(base.trim().to_lowercase().as_str(), "bind" | "control" | "media")
}

const TRANSLATABLE: [&str; 7] =
    ["label", "hint", "constraint_message", "constraint message", "form_title", "required_message", "guidance_hint"];

/// The language a column's suffix names, if Walkbook speaks it.
pub fn lang_of(spec: &str) -> Option<Lang> {
    let lower = spec.trim().to_lowercase();
    if lower.contains("traditional") || lower.contains('繁') {
        return Some(Lang::ZhHant);
    }
    if let Some(code) = lower.rsplit_once('(').and_then(|(_, rest)| rest.strip_suffix(')')) {
        if let Some(lang) = Lang::match_browser_tag(code.trim()) {
            return Some(lang);
        }
    }
    let name = lower.split('(').next().unwrap_or("").trim();
    match name {
        "english" => Some(Lang::En),
        "chinese" | "中文" | "汉语" | "漢語" | "简体中文" | "简体" | "simplified chinese" | "普通话" => Some(Lang::ZhHans),
        "korean" | "한국어" | "조선어" => Some(Lang::Ko),
        other => Lang::match_browser_tag(other),
    }
}

fn field_of(header: &str, kind: SheetKind, default: Lang) -> Field {
    let (base, spec) = split_header(header);
    let lang = match spec.as_deref() {
        None => Some(default),
        Some(spec) if spec.eq_ignore_ascii_case("default") => Some(default),
        Some(spec) => lang_of(spec),
    };
    let translated = |field: fn(Lang) -> Field| match lang {
        Some(lang) => field(lang),
        None => Field::Ignored(format!(
            "'{}' is not a language Walkbook speaks (简体中文, 繁體中文, English, 한국어)",
            spec.clone().unwrap_or_default()
        )),
    };
    let media = || Field::Refused("media (images, audio, video) in forms are not supported".into());
    match kind {
        SheetKind::Survey => match base.as_str() {
            "type" => Field::Type,
            "name" => Field::Name,
            "label" => translated(Field::Label),
            "hint" => translated(Field::Hint),
            "required" => Field::Required,
            "relevant" | "relevance" => Field::Relevant,
            "constraint" => Field::Constraint,
            "constraint_message" | "jr:constraintmsg" => translated(Field::ConstraintMessage),
            "walkbook_kind" => Field::WalkbookKind,
            "appearance" => Field::Ignored("appearance changes how ODK Collect draws a question; Walkbook draws each kind one way".into()),
            "required_message" | "jr:requiredmsg" => Field::Ignored("Walkbook says \"Required\" in the volunteer's language".into()),
            "guidance_hint" => Field::Ignored("guidance hints are not shown on the phone".into()),
            "autoplay" | "media" | "image" | "audio" | "video" | "big-image" => media(),
            "calculation" => Field::Refused("calculations are not supported: Walkbook stores only what the volunteer answers".into()),
            "default" => Field::Refused("default answers are not supported: every answer is the volunteer's".into()),
            "read_only" | "readonly" => Field::Refused("read-only questions are not supported".into()),
            "repeat_count" | "jr:count" => {
                Field::Refused("a repeat's count is not supported: the volunteer adds entries one by one".into())
            }
            "choice_filter" => Field::Refused("choice filters are not supported: every choice of a list is shown".into()),
            "parameters" => Field::Refused("parameters are not supported".into()),
            "trigger" => Field::Refused("triggers are not supported".into()),
            "save_to" => Field::Refused("entities (save_to) are not supported".into()),
            "body" | "instance" => Field::Refused("body and instance attributes are not supported".into()),
            _ => Field::Ignored("it is not an XLSForm column".into()),
        },
        SheetKind::Choices => match base.as_str() {
            "list_name" => Field::ListName,
            "name" | "value" => Field::Name,
            "label" => translated(Field::Label),
            "media" | "image" | "audio" | "video" | "big-image" => media(),
            _ => Field::Ignored("only list_name, name and label are read (choice filters are not supported)".into()),
        },
        SheetKind::Settings => match base.as_str() {
            "form_title" | "set_form_title" | "title" => translated(Field::FormTitle),
            "form_id" | "set_form_id" | "id_string" => Field::FormId,
            "version" => Field::Version,
            "default_language" => Field::DefaultLanguage,
            "public_key" => {
                Field::Refused("encrypted forms are not supported: records are kept readable by the campaign's coordinators".into())
            }
            "submission_url" => Field::Ignored("phones send their records to this server".into()),
            _ => Field::Ignored("it changes nothing Walkbook stores".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_from_the_column_names_people_write() {
        for (spec, lang) in [
            ("English (en)", Lang::En),
            ("english", Lang::En),
            ("中文 (zh)", Lang::ZhHans),
            ("Chinese (zh-CN)", Lang::ZhHans),
            ("简体中文 (zh-Hans)", Lang::ZhHans),
            ("繁體中文 (zh-Hant)", Lang::ZhHant),
            ("Chinese (Traditional)", Lang::ZhHant),
            ("Chinese (zh-TW)", Lang::ZhHant),
            ("Korean (ko)", Lang::Ko),
            ("한국어", Lang::Ko),
        ] {
            assert_eq!(lang_of(spec), Some(lang), "{spec}");
        }
        assert_eq!(lang_of("French (fr)"), None);
        assert_eq!(lang_of("Swahili"), None);
    }

    #[test]
    fn headers_split_into_column_and_language() {
        assert_eq!(field_of("label::English (en)", SheetKind::Survey, Lang::ZhHans), Field::Label(Lang::En));
        assert_eq!(field_of("label:English", SheetKind::Survey, Lang::ZhHans), Field::Label(Lang::En));
        assert_eq!(field_of("Label", SheetKind::Survey, Lang::Ko), Field::Label(Lang::Ko));
        assert_eq!(field_of("hint::default", SheetKind::Survey, Lang::Ko), Field::Hint(Lang::Ko));
        assert_eq!(field_of("constraint message::中文 (zh)", SheetKind::Survey, Lang::En), Field::ConstraintMessage(Lang::ZhHans));
        assert_eq!(field_of("bind::relevant", SheetKind::Survey, Lang::En), Field::Relevant);
        assert_eq!(field_of("bind:relevant", SheetKind::Survey, Lang::En), Field::Relevant);
        assert_eq!(field_of("bind:jr:constraintMsg", SheetKind::Survey, Lang::En), Field::ConstraintMessage(Lang::En));
        assert_eq!(field_of("list name", SheetKind::Choices, Lang::En), Field::ListName);
        assert!(matches!(field_of("label::Français (fr)", SheetKind::Survey, Lang::En), Field::Ignored(_)));
        assert!(matches!(field_of("media::image::English (en)", SheetKind::Survey, Lang::En), Field::Refused(_)));
        assert!(matches!(field_of("calculation", SheetKind::Survey, Lang::En), Field::Refused(_)));
    }
}
