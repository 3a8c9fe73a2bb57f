//! A Walkbook form as an XLSForm workbook that imports back to the same form.
//!
//! Every text column names its language (`label::English (en)`), each choice
//! question has its own list, and the two kinds XLSForm lacks are written as
//! what other tools understand plus Walkbook's own column: a yes/no question
//! is `select_one yes_no` with `walkbook_kind` = `yes_no`, a temperature is
//! a `decimal` with `walkbook_kind` = `temperature`.

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use walkbook_core::form::{Choice, Form, Question, QuestionKind};
use walkbook_core::labels::Labels;
use walkbook_core::lang::Lang;

const YES_NO_LIST: &str = "yes_no";

/// The workbook's bytes (`.xlsx`).
pub fn export(form: &Form) -> Vec<u8> {
    let tables = tables(form);
    write(&tables).expect("writing a workbook to memory does not fail")
}

/// A sheet as rows of text, the header first.
pub struct Table {
    pub name: &'static str,
    pub rows: Vec<Vec<String>>,
}

pub fn tables(form: &Form) -> [Table; 3] {
    let langs = languages(form);
    let text_columns = |column: &str| langs.iter().map(|lang| format!("{column}::{}", language_column(*lang))).collect::<Vec<_>>();
    let mut survey_header = vec!["type".to_string(), "name".to_string()];
    survey_header.extend(text_columns("label"));
    survey_header.extend(text_columns("hint"));
    survey_header.extend(["required", "relevant", "constraint"].map(String::from));
    survey_header.extend(text_columns("constraint_message"));
    survey_header.push("walkbook_kind".into());
    let mut choices_header = vec!["list_name".to_string(), "name".to_string()];
    choices_header.extend(text_columns("label"));

    let mut writer = Writer { langs: &langs, survey: vec![survey_header], choices: vec![choices_header], lists: BTreeSet::new() };
    for question in &form.questions {
        writer.question(question);
    }
    let mut settings_header: Vec<String> = text_columns("form_title");
    settings_header.extend(["form_id", "version"].map(String::from));
    let mut settings_row = texts(&form.title, &langs);
    settings_row.extend([form.id.clone(), form.version.to_string()]);
    [
        Table { name: "survey", rows: writer.survey },
        Table { name: "choices", rows: writer.choices },
        Table { name: "settings", rows: vec![settings_header, settings_row] },
    ]
}

/// `English (en)`, `简体中文 (zh-Hans)`: the language by name and by tag,
/// as XLSForm tools and people read it.
fn language_column(lang: Lang) -> String {
    format!("{} ({})", lang.endonym(), lang.tag())
}

/// Every language any text of the form is in, in Walkbook's order.
fn languages(form: &Form) -> Vec<Lang> {
    fn visit(questions: &[Question], found: &mut BTreeSet<Lang>) {
        for question in questions {
            let mut labels = vec![&question.label];
            labels.extend(&question.hint);
            labels.extend(question.constraint.as_ref().map(|c| &c.message));
            match &question.kind {
                QuestionKind::SingleChoice { choices } | QuestionKind::MultipleChoice { choices } => {
                    labels.extend(choices.iter().map(|c| &c.label))
                }
                QuestionKind::Repeat { questions } => visit(questions, found),
                _ => {}
            }
            found.extend(labels.into_iter().flat_map(|l| l.0.keys().copied()));
        }
    }
    let mut found: BTreeSet<Lang> = form.title.0.keys().copied().collect();
    visit(&form.questions, &mut found);
    found.into_iter().collect()
}

fn texts(labels: &Labels, langs: &[Lang]) -> Vec<String> {
    langs.iter().map(|lang| labels.0.get(lang).cloned().unwrap_or_default()).collect()
}

struct Writer<'a> {
    langs: &'a [Lang],
    survey: Vec<Vec<String>>,
    choices: Vec<Vec<String>>,
    lists: BTreeSet<String>,
}

impl Writer<'_> {
    fn question(&mut self, question: &Question) {
        let (type_text, walkbook_kind) = match &question.kind {
            QuestionKind::SingleChoice { choices } => (format!("select_one {}", self.list(&question.id, choices)), ""),
            QuestionKind::MultipleChoice { choices } => (format!("select_multiple {}", self.list(&question.id, choices)), ""),
            QuestionKind::Integer => ("integer".into(), ""),
            QuestionKind::Decimal => ("decimal".into(), ""),
            QuestionKind::Text => ("text".into(), ""),
            QuestionKind::Date => ("date".into(), ""),
            QuestionKind::Note => ("note".into(), ""),
            QuestionKind::YesNo => (format!("select_one {}", self.yes_no_list()), "yes_no"),
            QuestionKind::Temperature => ("decimal".into(), "temperature"),
            QuestionKind::Repeat { .. } => ("begin_repeat".into(), ""),
        };
        let mut row = vec![type_text, question.id.clone()];
        row.extend(texts(&question.label, self.langs));
        row.extend(texts(question.hint.as_ref().unwrap_or(&Labels::default()), self.langs));
        row.push(if question.required { "yes" } else { "" }.into());
        row.push(question.relevant.clone().unwrap_or_default());
        row.push(question.constraint.as_ref().map(|c| c.expr.clone()).unwrap_or_default());
        row.extend(texts(question.constraint.as_ref().map_or(&Labels::default(), |c| &c.message), self.langs));
        row.push(walkbook_kind.into());
        self.survey.push(row);
        if let QuestionKind::Repeat { questions } = &question.kind {
            for inner in questions {
                self.question(inner);
            }
            self.survey.push(vec!["end_repeat".into(), question.id.clone()]);
        }
    }

    /// A list of its own for a question's choices, named after it.
    fn list(&mut self, question_id: &str, choices: &[Choice]) -> String {
        let name = self.unused_list_name(question_id);
        for choice in choices {
            let mut row = vec![name.clone(), choice.value.clone()];
            row.extend(texts(&choice.label, self.langs));
            self.choices.push(row);
        }
        name
    }

    /// One yes/no list for every yes/no question.
    fn yes_no_list(&mut self) -> String {
        if !self.lists.contains(YES_NO_LIST) {
            self.lists.insert(YES_NO_LIST.into());
            for (value, label) in [("yes", Labels::four("是", "是", "Yes", "예")), ("no", Labels::four("否", "否", "No", "아니요"))]
            {
                let mut row = vec![YES_NO_LIST.to_string(), value.to_string()];
                row.extend(texts(&label, self.langs));
                self.choices.push(row);
            }
        }
        YES_NO_LIST.into()
    }

    fn unused_list_name(&mut self, wanted: &str) -> String {
        let name = (1..)
            .map(|n| if n == 1 { wanted.to_string() } else { format!("{wanted}_{n}") })
            .find(|n| !self.lists.contains(n) && n != YES_NO_LIST);
        let name = name.expect("some suffix is free");
        self.lists.insert(name.clone());
        name
    }
}

fn write(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet().set_name(table.name)?;
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
                if r == 0 {
                    sheet.write_string_with_format(r as u32, c as u16, cell, &bold)?;
                } else {
                    sheet.write_string(r as u32, c as u16, cell)?;
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}
