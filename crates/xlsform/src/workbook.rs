//! A spreadsheet file as sheets of text cells, read with calamine within
//! bounds: the file's size, what its zip unpacks to, and rows per sheet.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xls, Xlsx};
use walkbook_core::limits::{MAX_XLSFORM_BYTES, MAX_XLSFORM_UNPACKED_BYTES};

/// Rows read from one sheet; a form of 1,000 questions with its choice lists
/// has a few thousand.
pub const MAX_SHEET_ROWS: usize = 100_000;

/// Files inside an `.xlsx`; a workbook has a few dozen.
const MAX_ZIP_ENTRIES: usize = 10_000;

/// One sheet: its header row (the column names) and its rows below, each
/// with its row number as the spreadsheet shows it (1 is the first row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub header_row: u32,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

/// The file is not a spreadsheet that can be read (corrupt, empty, another
/// format, too big): said in words a coordinator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Every sheet of an `.xlsx` (or older `.xls`) file, in the workbook's order.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, Unreadable> {
    if bytes.len() > MAX_XLSFORM_BYTES {
        return Err(Unreadable(format!("the file has {} bytes (at most {MAX_XLSFORM_BYTES})", bytes.len())));
    }
    if bytes.is_empty() {
        return Err(Unreadable("the file is empty".into()));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        check_unpacked_size(bytes)?;
        let workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| Unreadable(format!("the .xlsx file cannot be read: {e}")))?;
        sheets(workbook)
    } else if bytes.starts_with(OLE_MAGIC) {
        let workbook = Xls::new(Cursor::new(bytes)).map_err(|e| Unreadable(format!("the .xls file cannot be read: {e}")))?;
        sheets(workbook)
    } else {
        Err(Unreadable("the file is not a spreadsheet: an XLSForm is an .xlsx (or .xls) file".into()))
    }
}

/// Unpacks every file of the zip into nothing, counting, before calamine
/// unpacks the sheets into memory: the sizes a zip declares can lie.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), Unreadable> {
    let corrupt = |e: zip::result::ZipError| Unreadable(format!("the .xlsx file is damaged: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(Unreadable(format!("the .xlsx file holds {} files (at most {MAX_ZIP_ENTRIES})", archive.len())));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(corrupt)?;
        let budget = MAX_XLSFORM_UNPACKED_BYTES - total;
        let unpacked = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|e| Unreadable(format!("the .xlsx file is damaged: {e}")))?;
        total += unpacked;
        if total > MAX_XLSFORM_UNPACKED_BYTES {
            return Err(Unreadable(format!("the .xlsx file unpacks to more than {MAX_XLSFORM_UNPACKED_BYTES} bytes")));
        }
    }
    Ok(())
}

fn sheets<R: Read + std::io::Seek, W: Reader<R>>(mut workbook: W) -> Result<Vec<Sheet>, Unreadable>
where
    W::Error: std::fmt::Display,
{
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(Unreadable("the workbook has no sheets".into()));
    }
    names
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).map_err(|e| Unreadable(format!("sheet '{name}' cannot be read: {e}")))?;
            let (first_row, _) = range.start().unwrap_or((0, 0));
            let mut rows = range
                .rows()
                .enumerate()
                .map(|(offset, cells)| Row { number: first_row + offset as u32 + 1, cells: cells.iter().map(cell_text).collect() })
                .filter(|row| row.cells.iter().any(|c| !c.is_empty()));
            let Some(header) = rows.next() else { return Ok(Sheet { name, ..Sheet::default() }) };
            let rows: Vec<Row> = rows.take(MAX_SHEET_ROWS + 1).collect();
            if rows.len() > MAX_SHEET_ROWS {
                return Err(Unreadable(format!("sheet '{name}' has more than {MAX_SHEET_ROWS} rows")));
            }
            Ok(Sheet { name, header: header.cells, header_row: header.number, rows })
        })
        .collect()
}

/// A cell as the text a person typed: whole numbers without ".0" (choice
/// names are often 1, 2, 3), booleans as `true`/`false`, ends trimmed.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.trim().to_string(),
        Data::Float(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Data::Float(n) => n.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string().trim().to_string(),
    }
}
