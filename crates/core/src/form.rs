//! Questionnaires: versioned forms of typed questions with required flags,
//! relevance (skip logic) and constraints, compiled once and then used to
//! decide which questions show and to validate answers.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::expr::{Env, Expr, ParseError, Value};
use crate::labels::Labels;
use crate::lang::Lang;
use crate::limits::{
    identifier_problem, text_problem, MAX_ANSWERS, MAX_CHOICES_PER_ANSWER, MAX_FORM_QUESTIONS, MAX_GROUP_ENTRIES, MAX_TEXT_ANSWER_CHARS,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    /// Grows with every change; a record names the version it was filled in.
    pub version: u32,
    pub title: Labels,
    pub questions: Vec<Question>,
}

/// Serialised flat, XLSForm-like: `{"id", "label", "kind": "integer", ...}`.
/// (serde cannot combine the flattened kind with `deny_unknown_fields`.)
// Read through `QuestionWire`; the API's schema is this shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(!try_from))]
#[serde(try_from = "QuestionWire")]
pub struct Question {
    pub id: String,
    pub label: Labels,
    #[serde(flatten)]
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    /// Shown only when this is true (skip logic). Reads earlier answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
    /// Guidance shown under the label (XLSForm's `hint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Labels>,
}

/// A question as it is read: its kind's fields (`choices`, `questions`)
/// beside the others, in one pass. serde's flatten of the internally tagged
/// kind buffered every field of every question before reading it: most of
/// the time a phone took to read a campaign, and of that code's size.
/// Accepts what the flattened kind accepted, with the same messages.
#[derive(Deserialize)]
struct QuestionWire {
    id: String,
    label: Labels,
    kind: KindName,
    #[serde(default)]
    choices: Option<Vec<Choice>>,
    #[serde(default)]
    questions: Option<Vec<Question>>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    relevant: Option<String>,
    #[serde(default)]
    constraint: Option<Constraint>,
    #[serde(default)]
    hint: Option<Labels>,
}

/// `QuestionKind`'s tags.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    SingleChoice,
    MultipleChoice,
    Integer,
    Decimal,
    Text,
    Date,
    YesNo,
    Temperature,
    Note,
    Repeat,
}

impl TryFrom<QuestionWire> for Question {
    type Error = &'static str;

    fn try_from(wire: QuestionWire) -> Result<Question, &'static str> {
        const NO_CHOICES: &str = "missing field `choices`";
        let kind = match wire.kind {
            KindName::SingleChoice => QuestionKind::SingleChoice { choices: wire.choices.ok_or(NO_CHOICES)? },
            KindName::MultipleChoice => QuestionKind::MultipleChoice { choices: wire.choices.ok_or(NO_CHOICES)? },
            KindName::Integer => QuestionKind::Integer,
            KindName::Decimal => QuestionKind::Decimal,
            KindName::Text => QuestionKind::Text,
            KindName::Date => QuestionKind::Date,
            KindName::YesNo => QuestionKind::YesNo,
            KindName::Temperature => QuestionKind::Temperature,
            KindName::Note => QuestionKind::Note,
            KindName::Repeat => QuestionKind::Repeat { questions: wire.questions.ok_or("missing field `questions`")? },
        };
        let QuestionWire { id, label, required, relevant, constraint, hint, .. } = wire;
        Ok(Question { id, label, kind, required, relevant, constraint, hint })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// Must be true for an answer to be accepted; `.` is the answer itself.
    pub expr: String,
    pub message: Labels,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        choices: Vec<Choice>,
    },
    MultipleChoice {
        choices: Vec<Choice>,
    },
    Integer,
    Decimal,
    Text,
    Date,
    YesNo,
    /// Body temperature in °C, one decimal.
    Temperature,
    /// Text shown to the volunteer, never answered: a section heading or an
    /// instruction (XLSForm's `note`, and the label of a `begin_group`).
    Note,
    /// A group of questions asked once per entry, e.g. per person in a
    /// household. Its questions' expressions read the same entry's answers.
    /// `required`: at least one entry. Groups do not nest.
    Repeat {
        questions: Vec<Question>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: Labels,
}

/// One answer, typed by its question's kind: written as the bare value
/// (untagged), read by what the value is (see its `Deserialize`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Answer {
    Bool(bool),
    Number(f64),
    Text(String),
    Choices(Vec<String>),
    /// A repeat group's entries (an empty list reads as `Choices`: both
    /// mean "no answer").
    Group(Vec<Entry>),
}

/// Read by the value's own type in one pass. serde's derived untagged
/// reading tries each variant in turn and makes an error of every miss; in
/// the browser each such error is a JavaScript `Error` with its stack, and
/// reading a register of 15,000 people spent most of a start making them.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Answer, D::Error> {
        use serde::de::{self, MapAccess, SeqAccess, Visitor};

        /// An element of a list: a choice's value or a repeat group's entry.
        enum Item {
            Choice(String),
            Entry(Entry),
        }

        impl<'de> Deserialize<'de> for Item {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
                struct ItemVisitor;
                impl<'de> Visitor<'de> for ItemVisitor {
                    type Value = Item;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a choice's value or a repeat group's entry")
                    }
                    fn visit_str<E: de::Error>(self, value: &str) -> Result<Item, E> {
                        Ok(Item::Choice(value.to_string()))
                    }
                    fn visit_string<E: de::Error>(self, value: String) -> Result<Item, E> {
                        Ok(Item::Choice(value))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                        Entry::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::Entry)
                    }
                }
                deserializer.deserialize_any(ItemVisitor)
            }
        }

        struct AnswerVisitor;
        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer: true or false, a number, a text, a list of choices or a repeat group's entries")
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Answer, E> {
                Ok(Answer::Bool(value))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Answer, E> {
                Ok(Answer::Number(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Answer, E> {
                Ok(Answer::Number(value as f64))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Answer, E> {
                Ok(Answer::Number(value as f64))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_string()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Answer, E> {
                Ok(Answer::Text(value))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let (mut choices, mut entries) = (Vec::new(), Vec::new());
                while let Some(item) = seq.next_element::<Item>()? {
                    match item {
                        Item::Choice(choice) => choices.push(choice),
                        Item::Entry(entry) => entries.push(entry),
                    }
                }
                match (choices.is_empty(), entries.is_empty()) {
                    (_, true) => Ok(Answer::Choices(choices)),
                    (true, false) => Ok(Answer::Group(entries)),
                    (false, false) => Err(de::Error::custom("a list of answers mixes choices and a repeat group's entries")),
                }
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// One entry of a repeat group. The id, made on the phone, stays with the
/// entry through every later version of the record (a person keeps theirs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub answers: Answers,
}

pub type Answers = BTreeMap<String, Answer>;

impl Answer {
    fn is_empty(&self) -> bool {
        match self {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::Choices(c) => c.is_empty(),
            Answer::Group(entries) => entries.is_empty(),
            Answer::Bool(_) | Answer::Number(_) => false,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Answer::Bool(b) => Value::Bool(*b),
            Answer::Number(n) => Value::Number(*n),
            Answer::Text(t) if t.is_empty() => Value::Null,
            Answer::Text(t) => Value::Text(t.clone()),
            Answer::Choices(c) => Value::List(c.clone()),
            // Outside its group, a repeat reads as its number of entries.
            Answer::Group(entries) => Value::Number(entries.len() as f64),
        }
    }
}

/// The ids of the questions `forms` ask, as export columns: the newest
/// version's in its order, then those only older versions asked. `within`
/// names a repeat group to list its questions instead of the top level's.
/// Notes and repeat groups are never answered, so have no column.
pub fn answer_columns<'a>(forms: impl IntoIterator<Item = &'a Form>, within: Option<&str>) -> Vec<String> {
    let mut forms: Vec<&Form> = forms.into_iter().collect();
    forms.sort_by_key(|form| std::cmp::Reverse(form.version));
    let mut columns: Vec<String> = Vec::new();
    for form in forms {
        let questions = match within {
            None => form.questions.as_slice(),
            Some(group) => match form.questions.iter().find(|q| q.id == group).map(|q| &q.kind) {
                Some(QuestionKind::Repeat { questions }) => questions.as_slice(),
                _ => &[],
            },
        };
        for question in questions.iter().filter(|q| !matches!(q.kind, QuestionKind::Note | QuestionKind::Repeat { .. })) {
            if !columns.contains(&question.id) {
                columns.push(question.id.clone());
            }
        }
    }
    columns
}

/// Erases what identifies a person from answers to `questions` (a form's,
/// or a repeat group's): every free-text answer (names, phone numbers,
/// notes), inside each entry of a repeat group too. Choices (a single
/// choice is held as text), numbers,
/// yes/no and dates stay: counts and dates are made of them. Text under an
/// id the questions do not have is erased as well: it cannot be told from
/// a name.
pub fn erase_personal_answers(questions: &[Question], answers: &mut Answers) {
    answers.retain(|id, answer| {
        let kind = questions.iter().find(|q| &q.id == id).map(|q| &q.kind);
        match (answer, kind) {
            (Answer::Text(_), Some(QuestionKind::Date | QuestionKind::SingleChoice { .. })) => true,
            (Answer::Text(_), _) => false,
            (Answer::Group(entries), Some(QuestionKind::Repeat { questions })) => {
                for entry in entries {
                    erase_personal_answers(questions, &mut entry.answers);
                }
                true
            }
            (Answer::Group(_), _) => false,
            _ => true,
        }
    });
}

impl Answer {
    /// The answer as one spreadsheet cell: choices joined by spaces (as
    /// XLSForm tools export them), yes/no as `yes`/`no`.
    pub fn cell(&self) -> String {
        match self {
            Answer::Text(text) => text.clone(),
            Answer::Number(n) => n.to_string(),
            Answer::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Answer::Choices(values) => values.join(" "),
            Answer::Group(entries) => entries.len().to_string(),
        }
    }
}

/// Why a form definition cannot be used; names the question and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub question_id: String,
    pub message: String,
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "question '{}': {}", self.question_id, self.message)
    }
}

/// A form whose expressions have been parsed and checked, ready to use.
#[derive(Debug, Clone)]
pub struct CompiledForm {
    pub form: Form,
    relevant: Vec<Option<Expr>>,
    constraints: Vec<Option<Expr>>,
    /// For each repeat question, its questions compiled as a form of their own.
    groups: Vec<Option<CompiledForm>>,
}

/// What is wrong with one answer, in the volunteer's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub question_id: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    Required,
    /// The answer's type does not fit the question (e.g. text for an integer).
    WrongType,
    NotAChoice(String),
    /// The constraint failed; the form's message for it.
    Constraint(Labels),
    /// A text longer than [`MAX_TEXT_ANSWER_CHARS`].
    TooLong,
    /// More choices, entries or answers than the limits allow.
    TooMany,
    /// An answer to a question this form does not have.
    NotInForm,
}

impl CompiledForm {
    /// Parses every expression once, and checks that each refers only to
    /// questions asked earlier in the form.
    pub fn compile(form: Form) -> Result<CompiledForm, Vec<FormError>> {
        let mut errors = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut relevant = Vec::new();
        let mut constraints = Vec::new();
        let mut groups = Vec::new();
        let question_count: usize =
            form.questions.iter().map(|q| 1 + if let QuestionKind::Repeat { questions } = &q.kind { questions.len() } else { 0 }).sum();
        if question_count > MAX_FORM_QUESTIONS {
            let message = format!("the form has {question_count} questions (at most {MAX_FORM_QUESTIONS})");
            return Err(vec![FormError { question_id: form.id.clone(), message }]);
        }
        for (index, question) in form.questions.iter().enumerate() {
            let error = |message: String| FormError { question_id: question.id.clone(), message };
            if let Some(problem) = identifier_problem("question id", &question.id) {
                errors.push(error(problem));
            }
            groups.push(match &question.kind {
                QuestionKind::Repeat { questions } => {
                    if questions.iter().any(|q| matches!(q.kind, QuestionKind::Repeat { .. })) {
                        errors.push(error("a repeat group cannot hold another repeat group".into()));
                    }
                    let group = Form {
                        id: question.id.clone(),
                        version: form.version,
                        title: question.label.clone(),
                        questions: questions.clone(),
                    };
                    match CompiledForm::compile(group) {
                        Ok(compiled) => Some(compiled),
                        Err(inner) => {
                            errors.extend(
                                inner
                                    .into_iter()
                                    .map(|e| FormError { question_id: format!("{}/{}", question.id, e.question_id), message: e.message }),
                            );
                            None
                        }
                    }
                }
                _ => None,
            });
            if seen.insert(&question.id, index).is_some() {
                errors.push(error("the id is used by an earlier question".into()));
            }
            if question.kind == QuestionKind::Note && (question.required || question.constraint.is_some()) {
                errors.push(error("a note is never answered: it cannot be required or constrained".into()));
            }
            if let QuestionKind::SingleChoice { choices } | QuestionKind::MultipleChoice { choices } = &question.kind {
                if choices.is_empty() {
                    errors.push(error("a choice question needs at least one choice".into()));
                }
                errors.extend(choices.iter().filter_map(|c| identifier_problem("choice value", &c.value)).map(error));
            }
            let mut parse = |what: &str, source: Option<&str>, allow_current: bool| -> Option<Expr> {
                let source = source?;
                match Expr::parse(source) {
                    Ok(expr) => {
                        for name in expr.references() {
                            let earlier = seen.get(name).is_some_and(|&i| i < index);
                            if !earlier {
                                errors.push(error(format!("{what} refers to ${{{name}}}, which is not an earlier question")));
                            }
                        }
                        if !allow_current && contains_current(&expr) {
                            errors.push(error(format!("{what} cannot use '.': there is no answer yet")));
                        }
                        Some(expr)
                    }
                    Err(ParseError { position, message }) => {
                        errors.push(error(format!("{what} '{source}' at character {position}: {message}")));
                        None
                    }
                }
            };
            relevant.push(parse("relevance", question.relevant.as_deref(), false));
            constraints.push(parse("constraint", question.constraint.as_ref().map(|c| c.expr.as_str()), true));
        }
        if errors.is_empty() {
            Ok(CompiledForm { form, relevant, constraints, groups })
        } else {
            Err(errors)
        }
    }

    /// Whether question `index` is shown, given the answers so far.
    pub fn is_relevant(&self, index: usize, answers: &Answers, today: &str) -> bool {
        match &self.relevant[index] {
            None => true,
            Some(expr) => expr.is_true(&AnswerEnv { answers, current: None, today }),
        }
    }

    /// The compiled questions of repeat question `index`, if it is one.
    pub fn group(&self, index: usize) -> Option<&CompiledForm> {
        self.groups.get(index)?.as_ref()
    }

    /// Drops answers to questions that are not relevant any more, so a record
    /// never carries an answer to a question the volunteer could not see.
    /// Inside a repeat group each entry is pruned by itself. An entry stays
    /// even when empty: the volunteer added it, so validation asks for it.
    pub fn prune(&self, answers: &Answers, today: &str) -> Answers {
        let mut kept = Answers::new();
        for (index, question) in self.form.questions.iter().enumerate() {
            if let Some(answer) = answers.get(&question.id) {
                let answer = match (self.group(index), answer) {
                    (Some(group), Answer::Group(entries)) => Answer::Group(
                        entries.iter().map(|entry| Entry { id: entry.id.clone(), answers: group.prune(&entry.answers, today) }).collect(),
                    ),
                    _ => answer.clone(),
                };
                if self.is_relevant(index, &kept, today) && !answer.is_empty() {
                    kept.insert(question.id.clone(), answer);
                }
            }
        }
        kept
    }

    /// Every problem with `answers`, one per question at most, in form order.
    /// Answers must first be pruned; irrelevant questions are not checked.
    pub fn validate(&self, answers: &Answers, today: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        if answers.len() > MAX_ANSWERS {
            problems.push(Problem { question_id: String::new(), kind: ProblemKind::TooMany });
            return problems;
        }
        for question_id in answers.keys().filter(|id| !self.form.questions.iter().any(|q| &q.id == *id)) {
            // The id is the sender's: shown only as far as an id may go.
            let question_id = question_id.chars().take(crate::limits::MAX_ID_CHARS).collect();
            problems.push(Problem { question_id, kind: ProblemKind::NotInForm });
        }
        for (index, question) in self.form.questions.iter().enumerate() {
            if !self.is_relevant(index, answers, today) {
                continue;
            }
            let problem = |kind| Problem { question_id: question.id.clone(), kind };
            let Some(answer) = answers.get(&question.id).filter(|a| !a.is_empty()) else {
                if question.required {
                    problems.push(problem(ProblemKind::Required));
                }
                continue;
            };
            if let Some(kind) = type_problem(&question.kind, answer) {
                problems.push(problem(kind));
                continue;
            }
            if let (Some(group), Answer::Group(entries)) = (self.group(index), answer) {
                // An entry's problems are named `group/entry id/question`.
                if entries.len() > MAX_GROUP_ENTRIES {
                    problems.push(problem(ProblemKind::TooMany));
                    continue;
                }
                let mut ids = std::collections::HashSet::new();
                for entry in entries {
                    if identifier_problem("entry id", &entry.id).is_some() || !ids.insert(entry.id.as_str()) {
                        problems.push(problem(ProblemKind::WrongType));
                        break;
                    }
                    problems.extend(group.validate(&entry.answers, today).into_iter().map(|inner| Problem {
                        question_id: format!("{}/{}/{}", question.id, entry.id, inner.question_id),
                        kind: inner.kind,
                    }));
                }
                continue;
            }
            if let (Some(expr), Some(constraint)) = (&self.constraints[index], &question.constraint) {
                let env = AnswerEnv { answers, current: Some(answer), today };
                if !expr.is_true(&env) {
                    problems.push(problem(ProblemKind::Constraint(constraint.message.clone())));
                }
            }
        }
        problems
    }
}

impl ProblemKind {
    /// The message for the volunteer.
    pub fn message(&self, lang: Lang) -> String {
        let text = |zh_hans: &str, zh_hant: &str, en: &str, ko: &str| Labels::four(zh_hans, zh_hant, en, ko).get(lang).to_string();
        match self {
            ProblemKind::Required => text("必填", "必填", "Required", "필수 항목입니다"),
            ProblemKind::WrongType => text("格式不对", "格式不對", "Not a valid answer here", "올바른 답이 아닙니다"),
            ProblemKind::NotAChoice(value) => {
                format!("{}: {value}", text("不是可选项", "不是可選項", "Not one of the choices", "선택지에 없습니다"))
            }
            ProblemKind::Constraint(message) => message.get(lang).to_string(),
            ProblemKind::TooLong => format!(
                "{} {MAX_TEXT_ANSWER_CHARS}",
                text("太长，最多字数：", "太長，最多字數：", "Too long: the most characters allowed is", "너무 깁니다. 최대 글자 수:")
            ),
            ProblemKind::TooMany => text("项目太多", "項目太多", "Too many items", "항목이 너무 많습니다"),
            ProblemKind::NotInForm => {
                text("问卷里没有这个问题", "問卷裡沒有這個問題", "This form has no such question", "설문지에 없는 질문입니다")
            }
        }
    }
}

fn contains_current(expr: &Expr) -> bool {
    match expr {
        Expr::Current => true,
        Expr::Literal(_) | Expr::Answer(_) => false,
        Expr::Not(inner) | Expr::Negate(inner) => contains_current(inner),
        Expr::Binary(left, _, right) => contains_current(left) || contains_current(right),
        Expr::Call(_, args) => args.iter().any(contains_current),
    }
}

fn type_problem(kind: &QuestionKind, answer: &Answer) -> Option<ProblemKind> {
    let is_date = |t: &str| crate::dates::day_of_date(t).is_some();
    match answer {
        Answer::Text(text) if text.chars().count() > MAX_TEXT_ANSWER_CHARS => return Some(ProblemKind::TooLong),
        Answer::Text(text) if text_problem(text).is_some() => return Some(ProblemKind::WrongType),
        Answer::Choices(values) if values.len() > MAX_CHOICES_PER_ANSWER => return Some(ProblemKind::TooMany),
        _ => {}
    }
    match (kind, answer) {
        (QuestionKind::SingleChoice { choices }, Answer::Text(value)) => {
            (!choices.iter().any(|c| &c.value == value)).then(|| ProblemKind::NotAChoice(value.clone()))
        }
        (QuestionKind::MultipleChoice { choices }, Answer::Choices(values)) => {
            values.iter().find(|value| !choices.iter().any(|c| &c.value == *value)).map(|value| ProblemKind::NotAChoice(value.clone()))
        }
        (QuestionKind::Integer, Answer::Number(n)) => (n.fract() != 0.0).then_some(ProblemKind::WrongType),
        (QuestionKind::Decimal | QuestionKind::Temperature, Answer::Number(n)) => (!n.is_finite()).then_some(ProblemKind::WrongType),
        (QuestionKind::Text, Answer::Text(_)) | (QuestionKind::YesNo, Answer::Bool(_)) => None,
        (QuestionKind::Date, Answer::Text(t)) => (!is_date(t)).then_some(ProblemKind::WrongType),
        (QuestionKind::Repeat { .. }, Answer::Group(_)) => None,
        _ => Some(ProblemKind::WrongType),
    }
}

struct AnswerEnv<'a> {
    answers: &'a Answers,
    current: Option<&'a Answer>,
    today: &'a str,
}

impl Env for AnswerEnv<'_> {
    fn answer(&self, question_id: &str) -> Value {
        self.answers.get(question_id).map_or(Value::Null, Answer::to_value)
    }
    fn current(&self) -> Value {
        self.current.map_or(Value::Null, Answer::to_value)
    }
    fn today(&self) -> String {
        self.today.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::{Answer, Constraint, Entry, Labels, Question, QuestionKind};

    /// A question read as it was before `QuestionWire`: the kind flattened.
    #[derive(Deserialize)]
    struct FlattenedQuestion {
        id: String,
        label: Labels,
        #[serde(flatten)]
        kind: QuestionKind,
        #[serde(default)]
        required: bool,
        #[serde(default)]
        relevant: Option<String>,
        #[serde(default)]
        constraint: Option<Constraint>,
        #[serde(default)]
        hint: Option<Labels>,
    }

    fn read_flattened(value: serde_json::Value) -> Result<Question, String> {
        let FlattenedQuestion { id, label, kind, required, relevant, constraint, hint } =
            serde_json::from_value(value).map_err(|e| e.to_string())?;
        Ok(Question { id, label, kind, required, relevant, constraint, hint })
    }

    #[test]
    fn questions_read_as_they_did_with_the_kind_flattened() {
        let label = json!({"en": "Q"});
        let choices = json!([{"value": "a", "label": {"en": "A"}}]);
        let cases = [
            json!({"id": "n", "label": label, "kind": "integer"}),
            json!({"id": "c", "label": label, "kind": "single_choice", "choices": choices, "required": true,
                   "relevant": "${n} > 1", "constraint": {"expr": ". != 'a'", "message": label}, "hint": label}),
            json!({"id": "m", "label": label, "kind": "multiple_choice", "choices": choices}),
            json!({"id": "r", "label": label, "kind": "repeat", "questions": [
                {"id": "name", "label": label, "kind": "text"},
                {"id": "c", "label": label, "kind": "single_choice", "choices": choices}]}),
            // Fields another kind would have, or none has, are let through.
            json!({"id": "t", "label": label, "kind": "text", "unknown": 1}),
            json!({"id": "t", "label": label, "kind": "note", "choices": choices, "questions": []}),
            // Refused, with the same message.
            json!({"id": "m", "label": label, "kind": "multiple_choice"}),
            json!({"id": "r", "label": label, "kind": "repeat"}),
            json!({"id": "r", "label": label, "kind": "repeat", "questions": [{"id": "x", "label": label}]}),
            json!({"id": "s", "label": label, "kind": "slider"}),
            json!({"id": "s", "label": label}),
            json!({"label": label, "kind": "date"}),
            json!({"id": "c", "label": label, "kind": "single_choice", "choices": [{"value": "a"}]}),
        ];
        let mut accepted = 0;
        for case in &cases {
            let read = serde_json::from_value::<Question>(case.clone()).map_err(|e| e.to_string());
            assert_eq!(read, read_flattened(case.clone()), "{case}");
            accepted += usize::from(read.is_ok());
        }
        assert_eq!(accepted, 6, "six of the cases are questions, the others are refused");
        assert_eq!(serde_json::from_value::<Question>(cases[6].clone()).unwrap_err().to_string(), "missing field `choices`");
    }

    /// An answer read as serde's untagged derive read it, variant by variant.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum UntaggedAnswer {
        Bool(bool),
        Number(f64),
        Text(String),
        Choices(Vec<String>),
        Group(Vec<Entry>),
    }

    impl From<UntaggedAnswer> for Answer {
        fn from(answer: UntaggedAnswer) -> Answer {
            match answer {
                UntaggedAnswer::Bool(value) => Answer::Bool(value),
                UntaggedAnswer::Number(value) => Answer::Number(value),
                UntaggedAnswer::Text(value) => Answer::Text(value),
                UntaggedAnswer::Choices(value) => Answer::Choices(value),
                UntaggedAnswer::Group(value) => Answer::Group(value),
            }
        }
    }

    #[test]
    fn answers_read_as_they_did_untagged() {
        let cases = [
            json!(true),
            json!(3),
            json!(-2.5),
            json!(18446744073709551615u64),
            json!("text"),
            json!(""),
            json!([]),
            json!(["a", "b"]),
            json!([{"id": "p1", "answers": {"name": "Chen", "age": 40, "tags": ["x"], "kids": [{"id": "k", "answers": {}}]}}]),
            // Refused.
            json!(null),
            json!({"id": "p1", "answers": {}}),
            json!(["a", {"id": "p1", "answers": {}}]),
            json!([{"id": "p1", "answers": {}}, "a"]),
            json!([{"id": "p1"}]),
            json!([{"id": "p1", "answers": {}, "extra": 1}]),
            json!([1]),
            json!([null]),
        ];
        let mut accepted = 0;
        for case in &cases {
            let read = serde_json::from_value::<Answer>(case.clone()).ok();
            let untagged = serde_json::from_value::<UntaggedAnswer>(case.clone()).ok().map(Answer::from);
            assert_eq!(read, untagged, "{case}");
            accepted += usize::from(read.is_some());
            if let Some(read) = read {
                assert_eq!(
                    serde_json::from_value::<Answer>(serde_json::to_value(&read).unwrap()).unwrap(),
                    read,
                    "{case} written and read again"
                );
            }
        }
        assert_eq!(accepted, 9, "nine of the cases are answers, the others are refused");
        assert!(serde_json::from_value::<Answer>(json!(null)).unwrap_err().to_string().contains("expected an answer"));
    }
}
