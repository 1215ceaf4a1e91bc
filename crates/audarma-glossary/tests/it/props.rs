//! Property tests of the glossary readers: whatever text a glossary file holds (arbitrary Unicode,
//! TOML-like fragments, a shipped file or an export mangled by edits), loading or importing it gives a
//! glossary or problems each naming the file and a line of it, and never panics; a glossary that
//! loads can be linted, matched against, verified and exported.

use audarma_core::Lang;
use audarma_glossary::exchange::{export, import};
use audarma_glossary::{lint, verify, Format, Glossary, LoadError, Matcher};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Fragments of the TOML glossary format, of the exchange formats, and of what breaks parsers.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[[concept]]\n".to_string()),
        Just("[concept]\n".to_string()),
        Just("id = \"osce\"\n".to_string()),
        "(id|en|kk|ru|note|domain|dnt|verbatim|ambiguous|case_sensitive|lint_allow|alternatives) = ",
        Just("forbidden = { en = [\"".to_string()),
        Just("exclude = { ru = [\"главы государств\"], xx = [] }\n".to_string()),
        Just("valid = { from = \"2019-03-23\", until = \"2022-09-17\" }\n".to_string()),
        Just("valid = { from = \"2019-13-45\" }\n".to_string()),
        Just("holds = [{ id = \"head-of-state\", from = \"2019-03-20\" }]\n".to_string()),
        Just("true".to_string()),
        "[\\[\\]{}=,\"'#\\\\\n. ]{1,3}",
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("\\u{0}".to_string()),
        Just("\\uD800".to_string()),
        "\"[a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ .-]{0,12}\"",
        "[a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ0-9 -]{1,12}",
        Just("<conceptEntry id=\"x\"><langSec xml:lang=\"kk\"><termSec><term>".to_string()),
        Just("</term></termSec></langSec></conceptEntry>".to_string()),
        Just("<tbx type=\"TBX-Basic\"><text><body>".to_string()),
        Just("<!--".to_string()),
        Just("&amp;&#0;&#xD800;&bogus;".to_string()),
        Just("id,en,kk,ru\n".to_string()),
        Just("id\ten\tkk\tru\n".to_string()),
        "[,\t|\\\\\"\r\n]{1,3}",
        "[\u{300}-\u{36f}\u{feff}\u{200b}\u{1f600}-\u{1f64f}]",
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// An edit: at a character offset, delete some characters and insert a text.
#[derive(Debug, Clone)]
struct Edit {
    at: Index,
    delete: usize,
    insert: String,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = (any::<Index>(), 0..40usize, prop_oneof![piece(), Just(String::new())])
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert });
    prop::collection::vec(edit, 1..5)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let at = e.at.index(chars.len() + 1);
        let end = (at + e.delete).min(chars.len());
        chars.splice(at..end, e.insert.chars());
    }
    chars.into_iter().collect()
}

/// Every problem names `file` and a line of `text` (an error at the very end is on the line after
/// the last line break). A line ends at LF, CRLF or a lone CR: the CSV reader ends a row at each.
fn assert_names_file_and_line(e: &LoadError, file: &Path, text: &str) {
    let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
    assert!(!e.0.is_empty());
    for p in &e.0 {
        assert_eq!(p.file, file, "{p}");
        assert!((1..=lines).contains(&p.line), "line {} of {lines}: {p}", p.line);
        assert!(!p.message.is_empty(), "{p}");
    }
}

/// What the pipeline does with a glossary: lint it, match and verify with it, export it.
fn use_glossary(g: &Glossary) {
    lint(g);
    let _ = g.version();
    let m: Vec<Matcher> = Lang::ALL.iter().map(|&l| Matcher::new(g, l)).collect();
    let samples = [
        "The Head of State met the OSCE in Astana.",
        "Глава государства встретился с главой государства, ОБСЕ.",
        "Мемлекет басшысы ЕҚЫҰ-ға үндеу жасады.",
    ];
    for (l, text) in samples.iter().enumerate() {
        let found = m[l].find(text);
        for target in &m {
            verify(g, &found, target, samples[(l + 1) % 3], None);
            target.find_in(g, text);
        }
    }
    for f in Format::ALL {
        if let Ok(out) = export(g, f) {
            let _ = import(Path::new("export"), &out, f);
        }
    }
}

fn load_toml(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.toml");
    std::fs::write(&file, text).unwrap();
    match Glossary::load(std::slice::from_ref(&file)) {
        Ok(g) => use_glossary(&g),
        Err(e) => assert_names_file_and_line(&e, &file, text),
    }
}

fn import_as(text: &str, format: Format) {
    let file = PathBuf::from(format!("g.{format}"));
    match import(&file, text, format) {
        Ok(g) => use_glossary(&g),
        Err(e) => assert_names_file_and_line(&e, &file, text.strip_prefix('\u{feff}').unwrap_or(text)),
    }
}

/// The shipped `state.toml`, cut to its first concepts (the cases are many), and its exports.
fn shipped() -> &'static (String, Vec<(Format, String)>) {
    static S: OnceLock<(String, Vec<(Format, String)>)> = OnceLock::new();
    S.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries/state.toml");
        let full = std::fs::read_to_string(path).unwrap();
        let cut = full.match_indices("\n[[concept]]").nth(12).map_or(full.len(), |(i, _)| i + 1);
        let text = full[..cut].to_string();
        let mut g = Glossary::default();
        let mut problems = Vec::new();
        g.parse_file(Path::new("state.toml"), &text, &mut problems);
        assert!(problems.is_empty() && g.len() >= 12, "{problems:?}");
        let exports = Format::ALL.into_iter().map(|f| (f, export(&g, f).unwrap())).collect();
        (text, exports)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(200), ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_glossary_file(s in text()) {
        load_toml(&s);
        for f in Format::ALL {
            import_as(&s, f);
        }
    }

    #[test]
    fn an_edited_shipped_file(edits in edits()) {
        let (toml, exports) = shipped();
        load_toml(&apply(toml, &edits));
        for (f, text) in exports {
            import_as(&apply(text, &edits), *f);
        }
    }
}
