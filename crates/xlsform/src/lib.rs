//! XLSForm in and out: the spreadsheet format of ODK, KoboToolbox and
//! SurveyCTO, read into Walkbook forms and written back.
//!
//! Server side only (the endpoint and its command line): none of it is in
//! the volunteer's app. What Walkbook cannot ask is refused with a
//! [`Problem`] naming the sheet, row and column, never guessed; what changes
//! nothing it stores (metadata questions, appearance) is left out with a
//! warning.

mod columns;
mod export;
mod expression;
mod import;
pub mod workbook;

pub use export::export;
use walkbook_core::form::Form;
use walkbook_core::lang::Lang;
pub use workbook::Unreadable;

/// Where an imported form goes: its id and version, and the campaign's
/// languages (texts without a language are taken as the first).
pub struct Target<'a> {
    pub form_id: &'a str,
    pub version: u32,
    pub languages: &'a [Lang],
}

/// A form read from an XLSForm, with what was left out and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub form: Form,
    pub warnings: Vec<String>,
}

/// One reason the XLSForm cannot be imported, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub sheet: String,
    /// As the spreadsheet numbers rows (the header is usually 1).
    pub row: Option<u32>,
    /// The column's header as written.
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    fn sheet(sheet: &str, message: String) -> Problem {
        Problem { sheet: sheet.to_string(), row: None, column: None, message }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.sheet)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not a spreadsheet that can be read.
    Unreadable(Unreadable),
    /// A spreadsheet, but not an XLSForm Walkbook can use.
    Problems(Vec<Problem>),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Unreadable(why) => write!(f, "The file cannot be read: {why}."),
            ImportError::Problems(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(f, "Nothing was imported. {}.", lines.join("; "))
            }
        }
    }
}

/// Reads an `.xlsx` (or `.xls`) XLSForm into a Walkbook form.
pub fn import(bytes: &[u8], target: &Target) -> Result<Imported, ImportError> {
    let sheets = workbook::read(bytes).map_err(ImportError::Unreadable)?;
    import::import(&sheets, target).map_err(ImportError::Problems)
}
