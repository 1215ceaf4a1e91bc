//! The workflow reader on any text and on mutations of a valid workflow: a workflow or one error
//! naming the file and a line, never a panic.

use audarma_pipeline::Workflow;
use proptest::prelude::*;
use std::path::Path;

/// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const VALID: &str = r#"name = "demo"
[sources]
paths = ["releases"]
feeds = ["https://www.gov.kz/rss"]
[languages]
targets = ["en", "kk", "ru"]
[glossary]
paths = ["glossaries"]
[backend]
kind = "deepl"
api_key_env = "DEEPL_KEY"
concurrency = 2
rate_limit = "600/min"
[qa.severities]
spelling = "off"
[fetch]
allow_hosts = ["gov.kz"]
"#;

fn check(text: &str) -> Result<(), TestCaseError> {
    match Workflow::parse(Path::new("w.toml"), text) {
        Ok(_) => {}
        Err(e) => {
            let e = e.to_string();
            prop_assert!(e.starts_with("w.toml:"), "names the file: {e}");
            let line: usize = e["w.toml:".len()..].split(':').next().unwrap_or("").parse().unwrap_or(0);
            prop_assert!(line >= 1 && line <= text.lines().count().max(1), "a line of the file: {e}");
            prop_assert!(!e.contains('\n'), "one line: {e}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(200), ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_a_workflow_or_one_error_naming_file_and_line(text in "(\\PC|\n){0,400}") {
        check(&text)?;
    }

    #[test]
    fn a_valid_workflow_cut_or_spliced_anywhere_is_read_or_refused_cleanly(
        at in 0usize..400, len in 0usize..40, insert in "(\\PC|\n){0,20}",
    ) {
        let chars: Vec<char> = VALID.chars().collect();
        let at = at.min(chars.len());
        let end = (at + len).min(chars.len());
        let text: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        check(&text)?;
    }
}
