//! Translation units from a TSV file, as `audarma tm import` reads them: a header line (skipped, whatever
//! it says; by convention `source_lang  target_lang  source  target`), then one unit per line with those
//! four tab-separated columns. Blank lines are skipped; the source and target are trimmed.
//!
//! Pure: the caller reads and decodes the file and passes its path only to name it in errors.

use crate::TmUnit;
use audarma_core::{Lang, ParseLangError};
use std::path::{Path, PathBuf};

/// Why one line is not a translation unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsvProblem {
    #[error("expected 4 tab-separated columns: source_lang, target_lang, source, target")]
    Columns,
    #[error("source_lang: {0}")]
    SourceLang(ParseLangError),
    #[error("target_lang: {0}")]
    TargetLang(ParseLangError),
    #[error("empty source or target")]
    Empty,
}

/// The first line of a file that is not a unit, shown as `file:line: problem` (lines count from 1,
/// the header included).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {problem}", file.display())]
pub struct TsvError {
    pub file: PathBuf,
    pub line: usize,
    pub problem: TsvProblem,
}

/// The units of `text`, the content of `file`; the first bad line fails the whole file.
pub fn parse(file: &Path, text: &str) -> Result<Vec<TmUnit>, TsvError> {
    let mut units = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |problem| TsvError { file: file.to_path_buf(), line: i + 1, problem };
        let columns: Vec<&str> = line.split('\t').collect();
        let [source_lang, target_lang, source, target] = columns[..] else {
            return Err(bad(TsvProblem::Columns));
        };
        let source_lang: Lang = source_lang.parse().map_err(|e| bad(TsvProblem::SourceLang(e)))?;
        let target_lang: Lang = target_lang.parse().map_err(|e| bad(TsvProblem::TargetLang(e)))?;
        if source.trim().is_empty() || target.trim().is_empty() {
            return Err(bad(TsvProblem::Empty));
        }
        units.push(TmUnit::new(source_lang, target_lang, source.trim(), target.trim()));
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HEADER: &str = "source_lang\ttarget_lang\tsource\ttarget\n";

    fn unit(source_lang: Lang, target_lang: Lang, source: &str, target: &str) -> TmUnit {
        TmUnit::new(source_lang, target_lang, source, target)
    }

    fn error(body: &str) -> String {
        parse(Path::new("dir/memory.tsv"), &format!("{HEADER}{body}")).unwrap_err().to_string()
    }

    #[test]
    fn reads_units_after_the_header_trimming_text_and_skipping_blank_lines() {
        let text = "anything at all\r\nen\tkk\t Yes. \tИә.\r\n\r\n  \nRU\ten\tДа.\tYes.";
        let units = parse(Path::new("m.tsv"), text).unwrap();
        assert_eq!(units, [unit(Lang::En, Lang::Kk, "Yes.", "Иә."), unit(Lang::Ru, Lang::En, "Да.", "Yes.")]);
        assert_eq!(parse(Path::new("m.tsv"), "").unwrap(), []);
        assert_eq!(parse(Path::new("m.tsv"), HEADER).unwrap(), []);
    }

    #[test]
    fn names_the_file_the_line_and_the_problem() {
        assert_eq!(
            error("en\tkk\tYes.\tИә.\n\nen\tkk\tYes."),
            "dir/memory.tsv:4: expected 4 tab-separated columns: source_lang, target_lang, source, target"
        );
        assert_eq!(
            error("en\tkk\ta\tb\tc"),
            "dir/memory.tsv:2: expected 4 tab-separated columns: source_lang, target_lang, source, target"
        );
        assert_eq!(
            error("de\tkk\tJa.\tИә."),
            "dir/memory.tsv:2: source_lang: unknown language \"de\" (expected en, kk or ru)"
        );
        assert_eq!(
            error("en\tfr\tYes.\tOui."),
            "dir/memory.tsv:2: target_lang: unknown language \"fr\" (expected en, kk or ru)"
        );
        assert_eq!(error("en\tkk\tYes.\t "), "dir/memory.tsv:2: empty source or target");
        let e = parse(Path::new("m.tsv"), &format!("{HEADER}en\tkk\t\tИә.")).unwrap_err();
        assert_eq!((e.line, e.problem), (2, TsvProblem::Empty));
    }
}
