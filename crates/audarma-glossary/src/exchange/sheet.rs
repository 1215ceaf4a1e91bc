//! CSV (RFC 4180) and TSV glossaries: one concept per row under a header of [`COLUMNS`].
//!
//! A cell holding several values (terms, forbidden terms, domains, `lint_allow`, alternatives, holdings,
//! exclusions, `kk-Latn` forms) joins them with ` | `;
//! inside a value `\|` is a literal bar and `\\` a backslash. CSV quotes a cell with `,`, `"` or a line
//! break (`"` doubled inside); TSV has no quoting, so a tab or line break in a value cannot be exported.
//! A holding is written `id from..until` (see [`super::format_holding`]). A file without the newer
//! columns (`verbatim` and after) is read as it always was.

use super::{format_holding, parse_bool, parse_date, parse_holding, problem, Draft, ValueError, COLUMNS};
use crate::{Concept, Glossary, LoadError, Problem};
use audarma_core::Lang;
use std::path::Path;

/// The cells of one concept, in [`COLUMNS`] order.
fn cells(c: &Concept) -> Vec<String> {
    let mut row = vec![c.id.clone()];
    row.extend(Lang::ALL.map(|l| join_list(c.terms(l))));
    row.extend(Lang::ALL.map(|l| join_list(c.forbidden(l))));
    row.push(c.note.clone().unwrap_or_default());
    row.push(join_list(&c.domain));
    row.push(c.case_sensitive.map(|b| b.to_string()).unwrap_or_default());
    row.push(if c.dnt { "true".into() } else { String::new() });
    row.push(c.valid.and_then(|v| v.from).map(|d| d.to_string()).unwrap_or_default());
    row.push(c.valid.and_then(|v| v.until).map(|d| d.to_string()).unwrap_or_default());
    row.push(join_list(&c.lint_allow));
    row.push(if c.verbatim { "true".into() } else { String::new() });
    row.push(if c.ambiguous { "true".into() } else { String::new() });
    row.push(join_list(&c.alternatives));
    row.push(join_list(&c.holds.iter().map(format_holding).collect::<Vec<_>>()));
    row.extend(Lang::ALL.map(|l| join_list(c.excluded(l))));
    row.push(join_list(&c.kk_latn));
    row
}

/// Values joined by ` | `, each with `\` and `|` escaped by a backslash.
pub(crate) fn join_list(items: &[String]) -> String {
    items.iter().map(|t| t.replace('\\', "\\\\").replace('|', "\\|")).collect::<Vec<_>>().join(" | ")
}

/// The values of a cell: split at each unescaped `|`, unescaped, trimmed. An empty cell is no values.
pub(crate) fn split_list(cell: &str) -> Result<Vec<String>, ValueError> {
    if cell.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '|')) => current.push(e),
                Some(other) => return Err(ValueError::NotAnEscape(other)),
                None => return Err(ValueError::LoneBackslash),
            },
            '|' => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| {
            let t = s.trim();
            if t.is_empty() {
                Err(ValueError::EmptyItem)
            } else {
                Ok(t.to_string())
            }
        })
        .collect()
}

/// A CSV cell (RFC 4180): quoted, quotes doubled, when it holds a comma, a quote or a line break.
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(super) fn export_csv(g: &Glossary) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for c in &g.concepts {
        out.push_str(&cells(c).iter().map(|s| csv_cell(s)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub(super) fn export_tsv(g: &Glossary) -> Result<String, LoadError> {
    let mut out = COLUMNS.join("\t");
    out.push('\n');
    let mut problems = Vec::new();
    for c in &g.concepts {
        let row = cells(c);
        for (column, value) in COLUMNS.iter().zip(&row) {
            if let Some(ch) = value.chars().find(|ch| matches!(ch, '\t' | '\n' | '\r')) {
                let what = if ch == '\t' { "a tab" } else { "a line break" };
                problems.push(Problem {
                    file: c.file.clone(),
                    line: c.line,
                    message: format!(
                        "concept `{}`: {column} {value:?} holds {what}, which TSV cannot carry (export as CSV)",
                        c.id
                    ),
                });
            }
        }
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(LoadError(problems))
    }
}

/// One row of a sheet and the line it starts on.
#[derive(Debug)]
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// RFC 4180: fields separated by `sep`, records by CRLF or LF; a field in double quotes may hold the
/// separator, line breaks and `""` for a quote.
fn parse_csv(text: &str, sep: char) -> Result<Vec<Record>, (usize, String)> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut record = Record { line, cells: Vec::new() };
    let mut field = String::new();
    // Whether anything (a character or a separator) has been read in this record.
    let mut started = false;
    loop {
        let Some(c) = chars.next() else {
            if started {
                record.cells.push(std::mem::take(&mut field));
                records.push(record);
            }
            return Ok(records);
        };
        match c {
            '"' if field.is_empty() => {
                let opened = line;
                started = true;
                loop {
                    match chars.next() {
                        None => return Err((opened, "a quoted field opened here is never closed".into())),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' {
                                line += 1;
                            }
                            field.push(ch);
                        }
                    }
                }
                match chars.peek() {
                    None | Some('\n' | '\r') => {}
                    Some(&p) if p == sep => {}
                    Some(_) => {
                        return Err((
                            line,
                            "text after the closing quote of a field (inside quotes write `\"\"` for `\"`)".into(),
                        ))
                    }
                }
            }
            c if c == sep => {
                started = true;
                record.cells.push(std::mem::take(&mut field));
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                if started {
                    record.cells.push(std::mem::take(&mut field));
                    records.push(std::mem::replace(&mut record, Record { line, cells: Vec::new() }));
                } else {
                    record.line = line;
                }
                started = false;
            }
            c => {
                started = true;
                field.push(c);
            }
        }
    }
}

fn parse_tsv(text: &str) -> Vec<Record> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.is_empty())
        .map(|(line, l)| Record { line, cells: l.split('\t').map(str::to_string).collect() })
        .collect()
}

pub(super) fn import(file: &Path, text: &str, sep: u8) -> (Vec<Concept>, Vec<Problem>) {
    let records = if sep == b'\t' {
        parse_tsv(text)
    } else {
        match parse_csv(text, sep as char) {
            Ok(r) => r,
            Err((line, message)) => return (Vec::new(), vec![problem(file, line, message)]),
        }
    };
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return (Vec::new(), vec![problem(file, 1, format!("no header row (expected {})", COLUMNS.join(",")))]);
    };
    let mut problems = Vec::new();
    // Column index in the file → index in COLUMNS; `None` for a column without a name (spreadsheets
    // add them), whose cells must stay empty.
    let mut columns: Vec<Option<usize>> = Vec::new();
    for name in &header.cells {
        let name = name.trim();
        match COLUMNS.iter().position(|c| *c == name) {
            _ if name.is_empty() => columns.push(None),
            Some(i) if columns.contains(&Some(i)) => {
                problems.push(problem(file, header.line, format!("column {name} twice")))
            }
            Some(i) => columns.push(Some(i)),
            None => problems.push(problem(
                file,
                header.line,
                format!("unknown column {name:?} (the columns are {})", COLUMNS.join(", ")),
            )),
        }
    }
    for required in &COLUMNS[..4] {
        if !header.cells.iter().any(|c| c.trim() == *required) {
            problems.push(problem(file, header.line, format!("no column {required}")));
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut concepts = Vec::new();
    for record in records {
        if record.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.cells.len() != columns.len() {
            problems.push(problem(
                file,
                record.line,
                format!("the row has {} cells but the header has {}", record.cells.len(), columns.len()),
            ));
            continue;
        }
        match concept(file, &record, &columns) {
            Ok(c) => concepts.push(c),
            Err(mut p) => problems.append(&mut p),
        }
    }
    (concepts, problems)
}

fn concept(file: &Path, record: &Record, columns: &[Option<usize>]) -> Result<Concept, Vec<Problem>> {
    let mut draft = Draft::default();
    let mut problems = Vec::new();
    let line = record.line;
    for (i, (cell, &col)) in record.cells.iter().zip(columns).enumerate() {
        let Some(col) = col else {
            if !cell.trim().is_empty() {
                problems.push(problem(file, line, format!("column {} has no name but holds {cell:?}", i + 1)));
            }
            continue;
        };
        let name = COLUMNS[col];
        let mut bad = |message: String| problems.push(problem(file, line, format!("column {name}: {message}")));
        match name {
            "id" => {
                draft.id = cell.trim().to_string();
                if draft.id.is_empty() {
                    bad("the id is empty".into());
                }
            }
            "en" | "kk" | "ru" | "forbidden_en" | "forbidden_kk" | "forbidden_ru" | "exclude_en" | "exclude_kk"
            | "exclude_ru" => {
                let code = name.trim_start_matches("forbidden_").trim_start_matches("exclude_");
                let Ok(lang) = code.parse::<Lang>() else { continue };
                match split_list(cell) {
                    Ok(items) if name.starts_with("forbidden_") => {
                        draft.forbidden.extend(items.into_iter().map(|t| (lang, t)))
                    }
                    Ok(items) if name.starts_with("exclude_") => {
                        draft.exclude.extend(items.into_iter().map(|t| (lang, t)))
                    }
                    Ok(items) => draft.terms.extend(items.into_iter().enumerate().map(|(i, t)| (lang, t, i == 0))),
                    Err(e) => bad(e.to_string()),
                }
            }
            "note" => draft.note = Some(cell.clone()).filter(|n| !n.is_empty()),
            "domain" => match split_list(cell) {
                Ok(items) => draft.domain = items,
                Err(e) => bad(e.to_string()),
            },
            "lint_allow" => match split_list(cell) {
                Ok(items) => draft.lint_allow = items,
                Err(e) => bad(e.to_string()),
            },
            "alternatives" => match split_list(cell) {
                Ok(items) => draft.alternatives = items,
                Err(e) => bad(e.to_string()),
            },
            "kk_latn" => match split_list(cell) {
                Ok(items) => draft.kk_latn = items,
                Err(e) => bad(e.to_string()),
            },
            "holds" => match split_list(cell) {
                Ok(items) => {
                    for item in items {
                        match parse_holding(&item) {
                            Ok(h) => draft.holds.push(h),
                            Err(e) => bad(e.to_string()),
                        }
                    }
                }
                Err(e) => bad(e.to_string()),
            },
            "case_sensitive" | "dnt" | "verbatim" | "ambiguous" if cell.trim().is_empty() => {}
            "case_sensitive" | "dnt" | "verbatim" | "ambiguous" => match parse_bool(cell) {
                Ok(b) if name == "dnt" => draft.dnt = b,
                Ok(b) if name == "verbatim" => draft.verbatim = b,
                Ok(b) if name == "ambiguous" => draft.ambiguous = b,
                Ok(b) => draft.case_sensitive = Some(b),
                Err(e) => bad(e.to_string()),
            },
            "valid_from" | "valid_until" if cell.trim().is_empty() => {}
            "valid_from" | "valid_until" => match parse_date(cell) {
                Ok(d) if name == "valid_from" => draft.valid.from = Some(d),
                Ok(d) => draft.valid.until = Some(d),
                Err(e) => bad(e.to_string()),
            },
            _ => {}
        }
    }
    if !problems.is_empty() || draft.id.is_empty() {
        return Err(problems);
    }
    let id = draft.id.clone();
    draft.finish(file, line, |lang| format!("column {lang}: concept `{id}` has no {lang} term"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lists_escape_bars_and_backslashes() {
        let items = vec!["a | b".to_string(), r"c\d".to_string(), "Қ|".to_string()];
        let cell = join_list(&items);
        assert_eq!(cell, r"a \| b | c\\d | Қ\|");
        assert_eq!(split_list(&cell).unwrap(), items);
        assert_eq!(split_list(" x|y ").unwrap(), ["x", "y"]);
        assert_eq!(split_list(r"a\b"), Err(ValueError::NotAnEscape('b')));
        assert_eq!(
            split_list(r"a\b").unwrap_err().to_string(),
            r"`\b` is not an escape (write `\|` for a bar, `\\` for a backslash)"
        );
        assert_eq!(split_list("a\\").unwrap_err().to_string(), r"ends with a lone `\` (write `\\` for a backslash)");
        assert_eq!(split_list("a | | b"), Err(ValueError::EmptyItem));
        assert_eq!(split_list("a | | b").unwrap_err().to_string(), "an empty value between ` | ` separators");
        assert!(split_list("").unwrap().is_empty());
    }

    #[test]
    fn csv_reads_quotes_separators_and_line_breaks() {
        let text = "a,b\r\n\"x, \"\"y\"\"\",\"1\n2\"\n,\nlast,\"\"";
        let r = parse_csv(text, ',').unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].cells, ["a", "b"]);
        assert_eq!((r[1].line, r[1].cells.clone()), (2, vec!["x, \"y\"".to_string(), "1\n2".to_string()]));
        assert_eq!((r[2].line, r[2].cells.clone()), (4, vec![String::new(), String::new()]));
        // "last" starts on line 5, after the quoted line break.
        assert_eq!((r[3].line, r[3].cells.clone()), (5, vec!["last".to_string(), String::new()]));
        let r = parse_csv("a\n\"b\nc\"\nd\n", ',').unwrap();
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(parse_csv("a\n\"b", ',').unwrap_err().0, 2);
        assert!(parse_csv("\"a\"b", ',').unwrap_err().1.contains("after the closing quote"));
    }
}
