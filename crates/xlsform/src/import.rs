//! An XLSForm's sheets into a Walkbook form.
//!
//! Groups are flattened: a group's label becomes a note (a section heading)
//! and its relevance is joined with `and` to each question inside it, so
//! the phone shows and prunes exactly what ODK Collect would. A repeat
//! becomes a repeat group, as the household's people are.

use std::collections::{HashMap, HashSet};

use walkbook_core::form::{Choice, CompiledForm, Constraint, Form, Question, QuestionKind};
use walkbook_core::labels::Labels;
use walkbook_core::lang::Lang;
use walkbook_core::limits::identifier_problem;

use crate::columns::{lang_of, Columns, Field, SheetKind};
use crate::expression::translate;
use crate::workbook::{Row, Sheet};
use crate::{Imported, Problem, Target};

/// Reads the sheets into a form; every problem at once, in sheet order
/// (survey, choices, settings) and row order.
pub fn import(sheets: &[Sheet], target: &Target) -> Result<Imported, Vec<Problem>> {
    read(sheets, target).map_err(|mut problems| {
        let rank = |sheet: &str| ["survey", "choices", "settings"].iter().position(|s| sheet.eq_ignore_ascii_case(s)).unwrap_or(3);
        problems.sort_by_key(|p| (rank(&p.sheet), p.row));
        problems
    })
}

fn read(sheets: &[Sheet], target: &Target) -> Result<Imported, Vec<Problem>> {
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    let find = |name: &str| sheets.iter().find(|s| s.name.trim().eq_ignore_ascii_case(name));
    let Some(survey) = find("survey") else {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(vec![Problem::sheet("survey", format!("the workbook has no 'survey' sheet (its sheets: {})", names.join(", ")))]);
    };
    for sheet in sheets {
        match sheet.name.trim().to_lowercase().as_str() {
            "survey" | "choices" | "settings" => {}
            "external_choices" | "entities" if !sheet.rows.is_empty() => problems
                .push(Problem::sheet(&sheet.name, format!("'{}' is not supported: choices and entities live in the form", sheet.name))),
            _ if sheet.rows.is_empty() => {}
            _ => warnings.push(format!("sheet '{}' is not part of an XLSForm; it is ignored", sheet.name)),
        }
    }

    let settings = find("settings");
    let default = default_language(settings, target, &mut warnings);
    let survey_columns = Columns::new(survey, SheetKind::Survey, default, &mut warnings);
    for (wanted, name) in [(Field::Type, "type"), (Field::Name, "name")] {
        if !survey_columns.has(&wanted) {
            problems.push(Problem {
                sheet: survey.name.clone(),
                row: Some(survey.header_row),
                column: None,
                message: format!("the survey has no '{name}' column"),
            });
        }
    }
    if !survey_columns.fields.iter().any(|(_, _, f)| matches!(f, Field::Label(_))) {
        problems.push(Problem {
            sheet: survey.name.clone(),
            row: Some(survey.header_row),
            column: None,
            message: "no label column in a language Walkbook speaks: 'label', or 'label::English (en)', 'label::中文 (zh)', 'label::繁體中文 (zh-Hant)', 'label::한국어 (ko)'".into(),
        });
    }
    if survey.rows.is_empty() {
        problems.push(Problem::sheet(&survey.name, "the survey sheet has no questions".into()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let missing: Vec<String> = target
        .languages
        .iter()
        .filter(|lang| !survey_columns.has(&Field::Label(**lang)))
        .map(|lang| format!("{} ({})", lang.endonym(), lang.tag()))
        .collect();
    if !missing.is_empty() {
        warnings.push(format!(
            "the form has no labels in {}, which the campaign speaks: those volunteers read the form in another of its languages",
            missing.join(", ")
        ));
    }

    let choices = find("choices").map(|sheet| read_choices(sheet, default, &mut warnings, &mut problems)).unwrap_or_default();
    let mut reader = SurveyReader { sheet: survey, columns: survey_columns, choices: &choices, problems, warnings, rows: HashMap::new() };
    let questions = reader.questions();
    let SurveyReader { mut problems, mut warnings, rows, .. } = reader;

    let title = settings.map(|sheet| settings_title(sheet, default, target, &mut warnings)).filter(|t| !t.0.is_empty());
    let form = Form {
        id: target.form_id.to_string(),
        version: target.version,
        title: title.unwrap_or_else(|| Labels::same(target.form_id)),
        questions,
    };
    if form.questions.is_empty() && problems.is_empty() {
        problems.push(Problem::sheet(&survey.name, "the survey has no question Walkbook can ask".into()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    match CompiledForm::compile(form.clone()) {
        Ok(_) => Ok(Imported { form, warnings }),
        Err(errors) => {
            problems.extend(errors.into_iter().map(|error| {
                let column = if error.message.starts_with("relevance") {
                    Some("relevant")
                } else if error.message.starts_with("constraint") {
                    Some("constraint")
                } else {
                    Some("name")
                };
                let mut message = error.message;
                if error.question_id.contains('/') && message.contains("which is not an earlier question") {
                    message.push_str(" (inside a repeat, expressions read the answers of the same entry only)");
                }
                Problem {
                    sheet: survey.name.clone(),
                    row: rows.get(&error.question_id).copied(),
                    column: column.map(String::from),
                    message,
                }
            }));
            Err(problems)
        }
    }
}

/// The language of texts in columns that name none: the settings sheet's
/// `default_language`, else the campaign's first.
fn default_language(settings: Option<&Sheet>, target: &Target, warnings: &mut Vec<String>) -> Lang {
    let campaign_first = target.languages.first().copied().unwrap_or(Lang::ZhHans);
    let Some(sheet) = settings else { return campaign_first };
    let columns = Columns::new(sheet, SheetKind::Settings, campaign_first, &mut Vec::new());
    let Some(row) = sheet.rows.first() else { return campaign_first };
    let named = columns.get(row, &Field::DefaultLanguage);
    if named.is_empty() {
        return campaign_first;
    }
    lang_of(named).unwrap_or_else(|| {
        warnings.push(format!(
            "settings: default_language '{named}' is not a language Walkbook speaks; texts without a language are taken as {}",
            campaign_first.endonym()
        ));
        campaign_first
    })
}

fn settings_title(sheet: &Sheet, default: Lang, target: &Target, warnings: &mut Vec<String>) -> Labels {
    let columns = Columns::new(sheet, SheetKind::Settings, default, warnings);
    let Some(row) = sheet.rows.first() else { return Labels::default() };
    let form_id = columns.get(row, &Field::FormId);
    if !form_id.is_empty() && form_id != target.form_id {
        warnings.push(format!("settings: form_id '{form_id}' is not used: the form is stored as '{}'", target.form_id));
    }
    let version = columns.get(row, &Field::Version);
    if !version.is_empty() {
        warnings.push(format!(
            "settings: version '{version}' is not used: Walkbook numbers versions itself (this is version {})",
            target.version
        ));
    }
    columns.labels(row, Field::FormTitle)
}

/// Choice lists by name, in the sheet's order.
fn read_choices(sheet: &Sheet, default: Lang, warnings: &mut Vec<String>, problems: &mut Vec<Problem>) -> HashMap<String, Vec<Choice>> {
    let columns = Columns::new(sheet, SheetKind::Choices, default, warnings);
    let mut lists: HashMap<String, Vec<Choice>> = HashMap::new();
    for row in &sheet.rows {
        let problem = |column: &str, message: String| Problem {
            sheet: sheet.name.clone(),
            row: Some(row.number),
            column: Some(column.into()),
            message,
        };
        for (header, why) in columns.refused_in(row) {
            problems.push(problem(header, why.into()));
        }
        let (list, value) = (columns.get(row, &Field::ListName), columns.get(row, &Field::Name));
        let label = columns.labels(row, Field::Label);
        if list.is_empty() && value.is_empty() && label.0.is_empty() {
            warnings.push(format!("{}: row {} has no list_name, name or label; it is skipped as a comment", sheet.name, row.number));
            continue;
        }
        if list.is_empty() {
            problems.push(problem("list_name", "the choice has no list_name".into()));
            continue;
        }
        if let Some(why) = identifier_problem("choice name", value) {
            problems.push(problem("name", why));
            continue;
        }
        if label.0.is_empty() {
            problems.push(problem("label", format!("choice '{value}' has no label in a language Walkbook speaks")));
        }
        let choices = lists.entry(list.to_string()).or_default();
        if choices.iter().any(|c| c.value == value) {
            problems.push(problem("name", format!("list '{list}' has choice '{value}' twice")));
            continue;
        }
        choices.push(Choice { value: value.to_string(), label });
    }
    lists
}

/// An open `begin_group` or `begin_repeat`.
enum Scope {
    Group { name: String, row: u32, relevant: Option<String> },
    Repeat { question: Question, row: u32, questions: Vec<Question> },
}

impl Scope {
    fn describe(&self) -> String {
        match self {
            Scope::Group { name, row, .. } => format!("begin_group '{name}' (row {row})"),
            Scope::Repeat { question, row, .. } => format!("begin_repeat '{}' (row {row})", question.id),
        }
    }
}

/// What one survey row's type says.
enum RowType {
    Question(QuestionKind),
    /// `select_one LIST` or `select_multiple LIST`: the kind once the list is read.
    Select {
        multiple: bool,
        list: String,
    },
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Metadata,
}

struct SurveyReader<'a> {
    sheet: &'a Sheet,
    columns: Columns,
    choices: &'a HashMap<String, Vec<Choice>>,
    problems: Vec<Problem>,
    warnings: Vec<String>,
    /// The row of each question, by the id the compiler names it with (`repeat/question`).
    rows: HashMap<String, u32>,
}

impl SurveyReader<'_> {
    fn problem(&mut self, row: &Row, column: &str, message: String) {
        self.problems.push(Problem { sheet: self.sheet.name.clone(), row: Some(row.number), column: Some(column.into()), message });
    }

    fn questions(&mut self) -> Vec<Question> {
        let mut top: Vec<Question> = Vec::new();
        let mut stack: Vec<Scope> = Vec::new();
        // Names per level: the form's, and the open repeat's.
        let mut top_names: HashSet<String> = HashSet::new();
        let mut repeat_names: HashSet<String> = HashSet::new();
        for row in &self.sheet.rows {
            let type_text = self.columns.get(row, &Field::Type).split_whitespace().collect::<Vec<_>>().join(" ");
            // A calculate row is refused by its type; its calculation need not be refused again.
            let refused: Vec<(String, String)> = self
                .columns
                .refused_in(row)
                .filter(|(header, _)| !(type_text.eq_ignore_ascii_case("calculate") && header.eq_ignore_ascii_case("calculation")))
                .map(|(h, w)| (h.to_string(), w.to_string()))
                .collect();
            for (header, why) in refused {
                self.problem(row, &header, why);
            }
            let name = self.columns.get(row, &Field::Name).to_string();
            if type_text.is_empty() {
                if name.is_empty() && self.columns.labels(row, Field::Label).0.is_empty() {
                    // pyxform's rule: a row with no type, name or label is a comment.
                    self.warnings
                        .push(format!("{}: row {} has no type, name or label; it is skipped as a comment", self.sheet.name, row.number));
                } else {
                    self.problem(row, "type", "the row has no type".into());
                }
                continue;
            }
            let row_type = match row_type(&type_text) {
                Ok(row_type) => row_type,
                Err(why) => {
                    self.problem(row, "type", format!("'{type_text}': {why}"));
                    continue;
                }
            };
            if matches!(row_type, RowType::Metadata) {
                self.warnings.push(format!(
                    "{}: row {}: '{type_text}' {} is left out: Walkbook records the volunteer, the phone and the time of every record itself",
                    self.sheet.name, row.number, name
                ));
                continue;
            }
            if matches!(row_type, RowType::EndGroup | RowType::EndRepeat) {
                self.close(row, row_type, &mut stack, &mut top, &mut repeat_names);
                continue;
            }
            if let Some(why) = identifier_problem("name", &name) {
                self.problem(row, "name", why);
                continue;
            }
            let in_repeat = stack.iter().any(|s| matches!(s, Scope::Repeat { .. }));
            let names = if in_repeat { &mut repeat_names } else { &mut top_names };
            if !names.insert(name.clone()) {
                self.problem(row, "name", format!("the name '{name}' is used by an earlier row"));
                continue;
            }
            let own_relevant = self.expression(row, Field::Relevant);
            let relevant = joined_relevance(&stack, own_relevant.clone());
            let label = self.columns.labels(row, Field::Label);
            let hint = Some(self.columns.labels(row, Field::Hint)).filter(|h| !h.0.is_empty());
            let base = Question {
                id: name.clone(),
                label: label.clone(),
                kind: QuestionKind::Note,
                required: false,
                relevant,
                constraint: None,
                hint,
            };
            let repeat_prefix = stack.iter().find_map(|s| match s {
                Scope::Repeat { question, .. } => Some(format!("{}/", question.id)),
                _ => None,
            });
            self.rows.insert(format!("{}{name}", repeat_prefix.unwrap_or_default()), row.number);
            match row_type {
                RowType::BeginGroup => {
                    // A labelled group shows its label as a heading.
                    if !label.0.is_empty() {
                        self.push(&mut stack, &mut top, base);
                    }
                    stack.push(Scope::Group { name, row: row.number, relevant: own_relevant });
                }
                RowType::BeginRepeat => {
                    if let Some(open) = stack.iter().find(|s| matches!(s, Scope::Repeat { .. })) {
                        let message = format!("a repeat inside {}: Walkbook's repeats do not nest", open.describe());
                        self.problem(row, "type", message);
                        continue;
                    }
                    let label = if label.0.is_empty() { Labels::same(&name) } else { label };
                    let required = self.required(row);
                    let question = Question { label, required, kind: QuestionKind::Repeat { questions: Vec::new() }, ..base };
                    repeat_names.clear();
                    stack.push(Scope::Repeat { question, row: row.number, questions: Vec::new() });
                }
                RowType::Question(kind) => self.question(row, base, kind, &mut stack, &mut top),
                RowType::Select { multiple, list } => match choice_list(self.choices, &list) {
                    Some(choices) => {
                        let choices = choices.clone();
                        let kind = if multiple { QuestionKind::MultipleChoice { choices } } else { QuestionKind::SingleChoice { choices } };
                        self.question(row, base, kind, &mut stack, &mut top);
                    }
                    None => self.problem(row, "type", format!("there is no choice list '{list}' in the choices sheet")),
                },
                RowType::EndGroup | RowType::EndRepeat | RowType::Metadata => unreachable!("handled above"),
            }
        }
        for open in stack.iter().rev() {
            let (row, missing) = match open {
                Scope::Group { row, .. } => (*row, "end_group"),
                Scope::Repeat { row, .. } => (*row, "end_repeat"),
            };
            self.problems.push(Problem {
                sheet: self.sheet.name.clone(),
                row: Some(row),
                column: Some("type".into()),
                message: format!("{} has no {missing}", open.describe()),
            });
        }
        top
    }

    /// A question (or note) row, finished from `base` and put in its place.
    fn question(&mut self, row: &Row, base: Question, kind: QuestionKind, stack: &mut [Scope], top: &mut Vec<Question>) {
        if base.label.0.is_empty() {
            self.problem(row, "label", format!("'{}' has no label in a language Walkbook speaks", base.id));
            return;
        }
        let kind = match (self.columns.get(row, &Field::WalkbookKind), kind) {
            ("", kind) => kind,
            ("yes_no", QuestionKind::SingleChoice { choices }) if is_yes_no(&choices) => QuestionKind::YesNo,
            ("temperature", QuestionKind::Decimal) => QuestionKind::Temperature,
            (other, _) => {
                let message =
                    format!("walkbook_kind '{other}' fits only 'yes_no' on a select_one of yes and no, or 'temperature' on a decimal");
                self.problem(row, "walkbook_kind", message);
                return;
            }
        };
        let mut required = self.required(row);
        if kind == QuestionKind::Note && required {
            self.warnings
                .push(format!("{}: row {}: note '{}' is never answered; 'required' is ignored", self.sheet.name, row.number, base.id));
            required = false;
        }
        let constraint = self.expression(row, Field::Constraint).map(|expr| {
            let message = self.columns.labels(row, Field::ConstraintMessage);
            let message = if message.0.is_empty() {
                Labels::four("答案不符合要求", "答案不符合要求", "This answer is not allowed here", "허용되지 않는 답입니다")
            } else {
                message
            };
            Constraint { expr, message }
        });
        if kind == QuestionKind::Note && constraint.is_some() {
            self.problem(row, "constraint", "a note is never answered: it cannot have a constraint".into());
            return;
        }
        self.push(stack, top, Question { kind, required, constraint, ..base });
    }

    fn push(&mut self, stack: &mut [Scope], top: &mut Vec<Question>, question: Question) {
        match stack.iter_mut().rev().find_map(|s| match s {
            Scope::Repeat { questions, .. } => Some(questions),
            Scope::Group { .. } => None,
        }) {
            Some(questions) => questions.push(question),
            None => top.push(question),
        }
    }

    fn close(&mut self, row: &Row, row_type: RowType, stack: &mut Vec<Scope>, top: &mut Vec<Question>, repeat_names: &mut HashSet<String>) {
        let closing_repeat = matches!(row_type, RowType::EndRepeat);
        let word = if closing_repeat { "end_repeat" } else { "end_group" };
        match stack.pop() {
            Some(Scope::Group { .. }) if !closing_repeat => {}
            Some(Scope::Repeat { mut question, questions, row: begin_row }) if closing_repeat => {
                if questions.is_empty() {
                    self.problems.push(Problem {
                        sheet: self.sheet.name.clone(),
                        row: Some(begin_row),
                        column: Some("type".into()),
                        message: format!("repeat '{}' has no questions", question.id),
                    });
                }
                question.kind = QuestionKind::Repeat { questions };
                repeat_names.clear();
                self.push(stack, top, question);
            }
            Some(open) => {
                let message = format!("{word} closes {}", open.describe());
                self.problem(row, "type", message);
                stack.push(open);
            }
            None => self.problem(row, "type", format!("{word} without a begin")),
        }
    }

    fn required(&mut self, row: &Row) -> bool {
        match self.columns.get(row, &Field::Required).to_lowercase().as_str() {
            "" | "no" | "false" | "false()" | "0" => false,
            "yes" | "true" | "true()" | "1" => true,
            other => {
                let message = format!("'{other}': required must be yes or no (a condition is not supported)");
                self.problem(row, "required", message);
                false
            }
        }
    }

    /// The row's expression in `field`, translated; `None` when empty or refused.
    fn expression(&mut self, row: &Row, field: Field) -> Option<String> {
        let source = self.columns.get(row, &field);
        if source.is_empty() {
            return None;
        }
        match translate(source) {
            Ok(expr) => Some(expr),
            Err(why) => {
                let header = self.columns.header(&field);
                self.problem(row, &header, format!("'{source}': {why}"));
                None
            }
        }
    }
}

/// A list by its name; else the one list whose name differs only in case
/// (KoboToolbox's own samples write `select_one sex` over a list `Sex`).
fn choice_list<'c>(lists: &'c HashMap<String, Vec<Choice>>, name: &str) -> Option<&'c Vec<Choice>> {
    lists.get(name).or_else(|| {
        let mut same = lists.iter().filter(|(other, _)| other.eq_ignore_ascii_case(name));
        match (same.next(), same.next()) {
            (Some((_, list)), None) => Some(list),
            _ => None,
        }
    })
}

/// Spellings of the types, old and new, as pyxform reads them.
const TEXT: [&str; 4] = ["text", "string", "q string", "add text prompt"];
const INTEGER: [&str; 4] = ["integer", "int", "q int", "add integer prompt"];
const DECIMAL: [&str; 3] = ["decimal", "q decimal", "add decimal prompt"];
const DATE: [&str; 3] = ["date", "q date", "add date prompt"];
const NOTE: [&str; 3] = ["note", "q note", "add note prompt"];
const BEGIN_GROUP: [&str; 2] = ["begin_group", "begin group"];
const END_GROUP: [&str; 2] = ["end_group", "end group"];
const BEGIN_REPEAT: [&str; 4] = ["begin_repeat", "begin repeat", "begin lgroup", "begin looped group"];
const END_REPEAT: [&str; 4] = ["end_repeat", "end repeat", "end lgroup", "end looped group"];
const SELECT_ONE: [&str; 7] =
    ["select_one ", "select1 ", "select one from ", "select one using ", "select one ", "add select one prompt using ", "q select1 "];
const SELECT_MULTIPLE: [&str; 9] = [
    "select_multiple ",
    "select all that apply from ",
    "select all that apply ",
    "select multiple from ",
    "select multiple using ",
    "select multiple ",
    "add select multiple prompt using ",
    "q select ",
    "select ",
];
/// Types that describe the submission (who, when, which device): Walkbook
/// records the volunteer, the phone and the time with every record itself.
const METADATA: [&str; 30] = [
    "start",
    "end",
    "today",
    "deviceid",
    "device id",
    "subscriberid",
    "subscriber id",
    "simserial",
    "sim id",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "imei",
    "start time",
    "end time",
    "get start time",
    "get end time",
    "get today",
    "get device id",
    "get sim id",
    "get phone number",
    "get subscriber id",
    "uri:deviceid",
    "uri:subscriberid",
    "uri:simserial",
    "uri:phonenumber",
    "uri:username",
    "uri:email",
];
/// Types Walkbook cannot ask, with why (matched on the type's start).
const REFUSED: [(&[&str], &str); 11] = [
    (
        &["calculate", "q calculate", "add calculate prompt"],
        "calculations are not supported: Walkbook stores only what the volunteer answers",
    ),
    (
        &[
            "image",
            "photo",
            "q picture",
            "q image",
            "audio",
            "video",
            "file",
            "q audio",
            "q video",
            "add image prompt",
            "add photo prompt",
            "add audio prompt",
            "add video prompt",
            "add file prompt",
            "background-audio",
            "background-video",
        ],
        "photos, recordings and files are not supported",
    ),
    (
        &[
            "geopoint",
            "geotrace",
            "geoshape",
            "gps",
            "location",
            "q geopoint",
            "q location",
            "q geoshape",
            "q geotrace",
            "add location prompt",
            "background-geopoint",
            "osm",
        ],
        "locations are not supported: a record is tied to its door",
    ),
    (&["barcode", "q barcode", "add barcode prompt"], "barcode scanning is not supported"),
    (
        &["time", "datetime", "date time", "q date time", "q datetime", "add date time prompt", "add datetime prompt"],
        "times are not supported (dates are): the phone stamps each record's time itself",
    ),
    (
        &[
            "select_one_from_file",
            "select_multiple_from_file",
            "select one from file",
            "select multiple from file",
            "select_one_external",
            "select one external",
            "cascading select",
            "cascading_select",
        ],
        "choices from a file (external selects) are not supported: put the choices in the choices sheet",
    ),
    (&["begin loop", "end loop", "begin_loop", "end_loop"], "loops over a choice list are not supported (repeats are)"),
    (&["acknowledge", "q acknowledge", "add acknowledge prompt", "trigger"], "acknowledgements are not supported: use a yes/no choice"),
    (&["phone number"], "it checks answers with a regular expression, which Walkbook's expressions cannot: use text"),
    (&["hidden", "xml-external", "csv-external"], "it holds values nobody answers, which Walkbook does not store"),
    (&["range", "rank"], "this kind of question is not supported: use integer or a choice list"),
];

/// What a survey row's type says, or why Walkbook cannot ask it. Keywords
/// are read in any case; a list name keeps its case.
fn row_type(type_text: &str) -> Result<RowType, String> {
    let lower = type_text.to_lowercase();
    let is = |spellings: &[&str]| spellings.contains(&lower.as_str());
    if lower.ends_with(" or_other") || lower.ends_with(" or specify other") {
        return Err("'or_other' is not supported: add an 'other' choice and a text question relevant to it".into());
    }
    if let Some((_, why)) =
        REFUSED.iter().find(|(spellings, _)| spellings.iter().any(|s| lower == *s || lower.starts_with(&format!("{s} "))))
    {
        return Err(why.to_string());
    }
    let select = |prefixes: &[&str], multiple: bool| {
        prefixes.iter().find(|p| lower.starts_with(*p)).map(|p| {
            let list = type_text[p.len()..].trim();
            if list.is_empty() || list.contains(' ') {
                Err(format!("a choice question names one choice list after '{}'", p.trim()))
            } else {
                Ok(RowType::Select { multiple, list: list.to_string() })
            }
        })
    };
    Ok(match () {
        _ if is(&TEXT) => RowType::Question(QuestionKind::Text),
        _ if is(&INTEGER) => RowType::Question(QuestionKind::Integer),
        _ if is(&DECIMAL) => RowType::Question(QuestionKind::Decimal),
        _ if is(&DATE) => RowType::Question(QuestionKind::Date),
        _ if is(&NOTE) => RowType::Question(QuestionKind::Note),
        _ if is(&BEGIN_GROUP) => RowType::BeginGroup,
        _ if is(&END_GROUP) => RowType::EndGroup,
        _ if is(&BEGIN_REPEAT) => RowType::BeginRepeat,
        _ if is(&END_REPEAT) => RowType::EndRepeat,
        _ if is(&METADATA) => RowType::Metadata,
        _ => {
            if let Some(select) = select(&SELECT_ONE, false).or_else(|| select(&SELECT_MULTIPLE, true)) {
                return select;
            }
            return Err("this type is not one Walkbook can ask".into());
        }
    })
}

/// A question's relevance: its own and every enclosing group's inside the
/// innermost repeat (a repeat's entries read only their own answers), joined
/// with `and`.
fn joined_relevance(stack: &[Scope], own: Option<String>) -> Option<String> {
    let inside_repeat = stack.iter().rposition(|s| matches!(s, Scope::Repeat { .. })).map_or(0, |i| i + 1);
    let mut parts: Vec<String> = stack[inside_repeat..]
        .iter()
        .filter_map(|s| match s {
            Scope::Group { relevant, .. } => relevant.clone(),
            Scope::Repeat { .. } => None,
        })
        .collect();
    parts.extend(own);
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" and ")),
    }
}

fn is_yes_no(choices: &[Choice]) -> bool {
    let mut values: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
    values.sort_unstable();
    values == ["no", "yes"]
}
