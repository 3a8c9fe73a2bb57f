//! The importer against published XLSForms (tests/public/SOURCES.md): each
//! is imported, imported with warnings, or refused for the reason given.

use walkbook_core::lang::Lang;
use walkbook_xlsform::{import, ImportError, Target};

enum Expect {
    /// Imported; this many top-level questions.
    Imported(usize),
    /// Refused; one of the problems says this.
    Refused(&'static str),
}
use Expect::{Imported, Refused};

const FORMS: [(&str, Expect); 23] = [
    ("text_and_integer.xlsx", Imported(2)),
    ("yes_or_no_question.xlsx", Imported(1)),
    ("tutorial.xls", Imported(1)),
    ("style_settings.xls", Imported(2)),
    ("extra_sheet_names.xlsx", Imported(1)),
    ("choice_name_same_as_select_name.xls", Imported(1)),
    ("allow_comment_rows_test.xls", Imported(1)),
    ("field-list.xlsx", Imported(1)),
    ("badly_named_choices_sheet.xls", Imported(3)),
    ("xlsform_spec_test.xlsx", Refused("regex() has no equivalent")),
    ("group.xlsx", Refused("'phone number': it checks answers with a regular expression")),
    ("specify_other.xlsx", Refused("'or_other' is not supported")),
    ("or_other.xlsx", Refused("'or_other' is not supported")),
    ("loop.xlsx", Refused("loops over a choice list are not supported")),
    ("calculate.xls", Refused("calculations are not supported")),
    ("gps.xls", Refused("locations are not supported")),
    ("widgets.xls", Refused("media (images, audio, video) in forms are not supported")),
    ("hidden.xls", Refused("it holds values nobody answers")),
    ("include.xlsx", Refused("'include': this type is not one Walkbook can ask")),
    ("default_time_demo.xls", Refused("default answers are not supported")),
    ("choice_filter_test.xlsx", Refused("choice filters are not supported")),
    ("case_insensitivity.xlsx", Refused("'EXTERNAL_CHOICES' is not supported")),
    ("survey_no_name.xlsx", Refused("no 'survey' sheet")),
];

#[test]
fn published_forms_are_imported_or_refused_for_what_they_use() {
    let languages = [Lang::ZhHans, Lang::En];
    let target = Target { form_id: "public", version: 1, languages: &languages };
    for (file, expect) in FORMS {
        let path = format!("{}/tests/public/pyxform/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match (import(&bytes, &target), expect) {
            (Ok(imported), Imported(questions)) => assert_eq!(imported.form.questions.len(), questions, "{file}"),
            (Err(ImportError::Problems(problems)), Refused(says)) => {
                assert!(problems.iter().any(|p| p.to_string().contains(says)), "{file}: {problems:?}")
            }
            (outcome, _) => panic!("{file}: unexpected {outcome:?}"),
        }
    }
}

#[test]
fn a_relevance_in_the_older_bind_column_is_kept() {
    let bytes = std::fs::read(format!("{}/tests/public/pyxform/badly_named_choices_sheet.xls", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let form = import(&bytes, &Target { form_id: "f", version: 1, languages: &[Lang::En] }).unwrap().form;
    assert_eq!(form.questions[1].relevant.as_deref(), Some("${age} >= 18"));
}
