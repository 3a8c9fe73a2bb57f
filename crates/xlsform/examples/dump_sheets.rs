fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        for sheet in walkbook_xlsform::workbook::read(&bytes).unwrap() {
            println!("[{}] header row {}: {:?}", sheet.name, sheet.header_row, sheet.header);
            for row in sheet.rows.iter().take(4) {
                println!("   {} {:?}", row.number, row.cells);
            }
        }
    }
}
