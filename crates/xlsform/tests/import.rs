//! XLSForms in and out, as a coordinator's spreadsheet program writes them:
//! every workbook here is a real `.xlsx` file made in memory.

use std::io::Write;

use walkbook_core::demo::{household_form, household_roster_form, shop_form};
use walkbook_core::form::{Answer, Answers, CompiledForm, Form, ProblemKind, QuestionKind};
use walkbook_core::lang::Lang;
use walkbook_xlsform::{export, import, ImportError, Imported, Problem, Target};

const LANGS: [Lang; 2] = [Lang::ZhHans, Lang::En];

fn target(version: u32) -> Target<'static> {
    Target { form_id: "household", version, languages: &LANGS }
}

/// An `.xlsx` file with these sheets, each given as rows of cells (header first).
fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet().set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn imported(bytes: &[u8]) -> Imported {
    import(bytes, &target(1)).unwrap_or_else(|e| panic!("{e}"))
}

fn problems(bytes: &[u8]) -> Vec<Problem> {
    match import(bytes, &target(1)) {
        Err(ImportError::Problems(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn one_problem(bytes: &[u8]) -> Problem {
    let mut all = problems(bytes);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

/// A household form as a committee would write it: two languages, a group
/// with skip logic, a repeat of people, constraints with messages.
const SURVEY: &[&[&str]] = &[
    &[
        "type",
        "name",
        "label::English (en)",
        "label::中文 (zh)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::English (en)",
        "constraint_message::中文 (zh)",
        "appearance",
    ],
    &["start", "start", "", "", "", "", "", "", "", "", ""],
    &[
        "integer",
        "size",
        "How many live here?",
        "几人居住",
        "Everyone who sleeps here",
        "yes",
        "",
        ". >= 1 and . <= 20",
        "Between 1 and 20",
        "1到20之间",
        "",
    ],
    &["select_one yn", "returned", "Anyone back from travel?", "有人外地返回吗", "", "yes", "", "", "", "", "minimal"],
    &["begin_group", "travel", "Travel", "行程", "", "", "${returned} = 'yes'", "", "", "", "field-list"],
    &["date", "returned_on", "Date of return", "返回日期", "", "yes", "", ". <= today()", "Not after today", "不能晚于今天", ""],
    &["text", "from_where", "From where?", "从哪里返回", "", "", "${returned_on} >= date('2020-01-01')", "", "", "", ""],
    &["end_group", "", "", "", "", "", "", "", "", "", ""],
    &["begin_repeat", "people", "People", "成员", "", "", "${size} > 0", "", "", "", ""],
    &["text", "name", "Name", "姓名", "", "yes", "", "string-length(.) <= 40", "Too long", "太长", ""],
    &["integer", "age", "Age", "年龄", "", "", "", ". >= 0 and . < 130", "", "", ""],
    &["select_multiple symptoms", "symptoms", "Symptoms", "症状", "", "", "${age} >= 0", "", "", "", ""],
    &["note", "fever_note", "Take their temperature", "请测体温", "", "", "selected(${symptoms}, 'fever')", "", "", "", ""],
    &["end_repeat", "", "", "", "", "", "", "", "", "", ""],
];
const CHOICES: &[&[&str]] = &[
    &["list_name", "name", "label::English (en)", "label::中文 (zh)"],
    &["yn", "yes", "Yes", "是"],
    &["yn", "no", "No", "否"],
    &["symptoms", "fever", "Fever", "发烧"],
    &["symptoms", "cough", "Cough", "咳嗽"],
];
const SETTINGS: &[&[&str]] =
    &[&["form_title", "form_id", "version", "default_language"], &["Household", "hh_2024", "2024061501", "English (en)"]];

#[test]
fn a_committee_form_with_groups_a_repeat_skip_logic_and_two_languages() {
    let Imported { form, warnings } = imported(&workbook(&[("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)]));
    let ids: Vec<&str> = form.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["size", "returned", "travel", "returned_on", "from_where", "people"]);
    assert_eq!(form.id, "household");
    assert_eq!(form.version, 1);
    assert_eq!(form.title.get(Lang::En), "Household");

    let size = &form.questions[0];
    assert_eq!(size.kind, QuestionKind::Integer);
    assert!(size.required);
    assert_eq!(size.label.get(Lang::ZhHans), "几人居住");
    assert_eq!(size.label.get(Lang::En), "How many live here?");
    assert_eq!(size.hint.as_ref().map(|h| h.get(Lang::En)), Some("Everyone who sleeps here"));
    let constraint = size.constraint.as_ref().unwrap();
    assert_eq!(constraint.expr, ". >= 1 and . <= 20");
    assert_eq!(constraint.message.get(Lang::ZhHans), "1到20之间");

    // The group's label is a heading shown with the group; its relevance reaches every question inside.
    assert_eq!(form.questions[2].kind, QuestionKind::Note);
    assert_eq!(form.questions[2].relevant.as_deref(), Some("${returned} = 'yes'"));
    assert_eq!(form.questions[3].relevant.as_deref(), Some("${returned} = 'yes'"));
    assert_eq!(form.questions[4].relevant.as_deref(), Some("(${returned} = 'yes') and (${returned_on} >= '2020-01-01')"));

    let QuestionKind::Repeat { questions } = &form.questions[5].kind else { panic!("people is a repeat") };
    assert_eq!(form.questions[5].relevant.as_deref(), Some("${size} > 0"));
    let inner: Vec<(&str, &QuestionKind)> = questions.iter().map(|q| (q.id.as_str(), &q.kind)).collect();
    assert_eq!(inner[0], ("name", &QuestionKind::Text));
    assert!(matches!(inner[2].1, QuestionKind::MultipleChoice { choices } if choices.len() == 2));
    assert_eq!(inner[3], ("fever_note", &QuestionKind::Note));

    assert!(warnings.iter().any(|w| w.contains("'start'") && w.contains("left out")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("appearance")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("form_id 'hh_2024'")), "{warnings:?}");

    // The phone's rules work on it: skip logic prunes the group, the repeat validates per person.
    let compiled = CompiledForm::compile(form).unwrap();
    let mut answers = Answers::new();
    answers.insert("size".into(), Answer::Number(2.0));
    answers.insert("returned".into(), Answer::Text("no".into()));
    answers.insert("returned_on".into(), Answer::Text("2024-01-01".into()));
    let pruned = compiled.prune(&answers, "2024-06-01");
    assert!(!pruned.contains_key("returned_on"), "a question in a hidden group is dropped");
    let person = walkbook_core::form::Entry { id: "p1".into(), answers: Answers::from([("age".into(), Answer::Number(200.0))]) };
    let answers = Answers::from([
        ("size".into(), Answer::Number(1.0)),
        ("returned".into(), Answer::Text("no".into())),
        ("people".into(), Answer::Group(vec![person])),
    ]);
    let problems = compiled.validate(&answers, "2024-06-01");
    let kinds: Vec<(&str, &ProblemKind)> = problems.iter().map(|p| (p.question_id.as_str(), &p.kind)).collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert_eq!(kinds[0], ("people/p1/name", &ProblemKind::Required));
    assert!(matches!(kinds[1], ("people/p1/age", ProblemKind::Constraint(_))));
}

#[test]
fn every_demo_form_exports_and_imports_back_the_same() {
    for form in [household_form(), household_roster_form(), shop_form()] {
        let bytes = export(&form);
        let languages = Lang::ALL;
        let back = import(&bytes, &Target { form_id: &form.id, version: form.version, languages: &languages })
            .unwrap_or_else(|e| panic!("{}: {e}", form.id));
        assert_eq!(back.form, form, "{}", form.id);
        assert!(back.warnings.iter().all(|w| w.contains("version")), "{}: {:?}", form.id, back.warnings);
    }
}

#[test]
fn the_imported_committee_form_exports_and_imports_back_the_same() {
    let form = imported(&workbook(&[("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)])).form;
    assert_eq!(imported(&export(&form)).form, form);
}

#[test]
fn plain_labels_are_in_the_campaigns_first_language_and_older_spellings_are_read() {
    let bytes = workbook(&[
        (
            "Survey",
            &[
                &["Type", "Name", "Label", "Hint"],
                &["select one colours", "colour", "Colour", "Pick one"],
                &["select all that apply from colours", "more", "More", ""],
                &["begin group", "g", "", ""],
                &["int", "n", "N", ""],
                &["end group", "", "", ""],
            ],
        ),
        ("choices", &[&["list name", "name", "label"], &["colours", "1", "Red"], &["colours", "2", "Green"]]),
    ]);
    let Imported { form, .. } = imported(&bytes);
    assert_eq!(form.questions[0].label.0.keys().copied().collect::<Vec<_>>(), [Lang::ZhHans], "taken as the campaign's first language");
    assert!(matches!(&form.questions[0].kind, QuestionKind::SingleChoice { choices } if choices[0].value == "1"));
    assert!(matches!(&form.questions[1].kind, QuestionKind::MultipleChoice { .. }));
    assert_eq!(form.questions[2].id, "n", "an unlabelled group shows no heading");
}

#[test]
fn what_walkbook_cannot_ask_is_refused_where_it_is_and_nothing_is_half_read() {
    let with = |row: &[&str]| {
        let rows: Vec<&[&str]> = vec![&["type", "name", "label", "calculation", "relevant"], &["text", "a", "A", "", ""], row];
        workbook(&[("survey", &rows)])
    };
    let cases: [(&[&str], &str, &str); 9] = [
        (&["calculate", "c", "", "1 + 1", ""], "type", "calculations"),
        (&["geopoint", "where", "Where", "", ""], "type", "locations"),
        (&["image", "photo", "Photo", "", ""], "type", "photos"),
        (&["barcode", "code", "Code", "", ""], "type", "barcode"),
        (&["select_one_from_file streets.csv", "street", "Street", "", ""], "type", "external"),
        (&["select_one missing", "m", "M", "", ""], "type", "no choice list 'missing'"),
        (&["text", "r", "R", "", "regex(${a}, '^[0-9]+$')"], "relevant", "regex()"),
        (&["text", "later", "L", "", "${nowhere} = 'x'"], "relevant", "${nowhere}"),
        (&["text", "a", "Again", "", ""], "name", "used by an earlier row"),
    ];
    for (row, column, says) in cases {
        let problem = one_problem(&with(row));
        assert_eq!(problem.sheet, "survey");
        assert_eq!(problem.row, Some(3), "{problem}");
        assert_eq!(problem.column.as_deref(), Some(column), "{problem}");
        assert!(problem.message.contains(says), "{problem}");
    }
    // The calculation column on a text row is refused as well as the calculate type.
    let problem = &problems(&with(&["text", "t", "T", "${a}", ""]))[0];
    assert_eq!((problem.row, problem.column.as_deref()), (Some(3), Some("calculation")));
}

#[test]
fn a_relevance_reading_a_later_question_is_refused_at_its_row() {
    let bytes = workbook(&[(
        "survey",
        &[&["type", "name", "label", "relevant"], &["text", "first", "First", "${second} = 'x'"], &["text", "second", "Second", ""]],
    )]);
    let problem = one_problem(&bytes);
    assert_eq!((problem.row, problem.column.as_deref()), (Some(2), Some("relevant")));
    assert!(problem.message.contains("not an earlier question"), "{problem}");
}

#[test]
fn a_survey_without_type_or_name_is_refused() {
    let no_type = workbook(&[("survey", &[&["name", "label"], &["a", "A"]])]);
    assert!(one_problem(&no_type).message.contains("no 'type' column"));
    let no_name = workbook(&[("survey", &[&["type", "label"], &["text", "A"]])]);
    assert!(problems(&no_name).iter().any(|p| p.message.contains("no 'name' column")));
    let no_labels = workbook(&[("survey", &[&["type", "name", "label::Français (fr)"], &["text", "a", "A"]])]);
    assert!(problems(&no_labels).iter().any(|p| p.message.contains("no label column in a language Walkbook speaks")));
}

#[test]
fn groups_and_repeats_must_close_and_repeats_do_not_nest() {
    let unclosed = workbook(&[("survey", &[&["type", "name", "label"], &["begin_group", "g", "G"], &["text", "a", "A"]])]);
    let problem = one_problem(&unclosed);
    assert_eq!(problem.row, Some(2));
    assert!(problem.message.contains("has no end_group"), "{problem}");
    let nested = workbook(&[(
        "survey",
        &[
            &["type", "name", "label"],
            &["begin_repeat", "r", "R"],
            &["begin_repeat", "inner", "I"],
            &["text", "a", "A"],
            &["end_repeat", "", ""],
            &["end_repeat", "", ""],
        ],
    )]);
    assert!(problems(&nested).iter().any(|p| p.row == Some(3) && p.message.contains("do not nest")));
    let crossed =
        workbook(&[("survey", &[&["type", "name", "label"], &["begin_repeat", "r", "R"], &["text", "a", "A"], &["end_group", "", ""]])]);
    assert!(problems(&crossed).iter().any(|p| p.row == Some(4) && p.message.contains("end_group closes begin_repeat 'r'")));
}

#[test]
fn files_that_are_not_xlsforms_are_refused_by_what_they_are() {
    let unreadable = |bytes: &[u8]| match import(bytes, &target(1)) {
        Err(ImportError::Unreadable(why)) => why.0,
        other => panic!("expected unreadable, got {other:?}"),
    };
    assert!(unreadable(b"").contains("empty"));
    assert!(unreadable(b"type,name,label\ntext,a,A\n").contains("not a spreadsheet"));
    let mut corrupt = workbook(&[("survey", SURVEY)]);
    corrupt.truncate(corrupt.len() / 2);
    assert!(unreadable(&corrupt).contains("damaged"), "{}", unreadable(&corrupt));
    assert!(unreadable(&vec![0u8; 50 * 1024 * 1024]).contains("at most"));

    let empty = workbook(&[("Sheet1", &[])]);
    assert!(one_problem(&empty).message.contains("no 'survey' sheet"));
    let empty_survey = workbook(&[("survey", &[&["type", "name", "label"]])]);
    assert!(one_problem(&empty_survey).message.contains("no questions"));
}

#[test]
fn a_small_file_that_unpacks_to_gigabytes_is_refused_before_it_is_read() {
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..101 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(bytes.len() < 1024 * 1024, "the bomb is small: {}", bytes.len());
    match import(&bytes, &target(1)) {
        Err(ImportError::Unreadable(why)) => assert!(why.0.contains("unpacks to more than"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn walkbook_kinds_round_trip_only_where_they_fit() {
    let bytes = workbook(&[("survey", &[&["type", "name", "label", "walkbook_kind"], &["integer", "t", "T", "temperature"]])]);
    let problem = one_problem(&bytes);
    assert_eq!(problem.column.as_deref(), Some("walkbook_kind"));
}

#[test]
fn the_form_compiles_as_any_uploaded_form_would() {
    // Every imported form passes the same compiler the JSON upload uses.
    let form: Form = imported(&workbook(&[("survey", SURVEY), ("choices", CHOICES)])).form;
    assert!(CompiledForm::compile(form).is_ok());
}
