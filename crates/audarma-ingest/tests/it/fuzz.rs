//! Property-based fuzzing of the readers: whatever bytes arrive, reading gives a release or one clear
//! error line naming the file, and never panics. Files by extension ([`audarma_ingest::read_file`]),
//! bytes in every [`Format`] with and without a site profile ([`audarma_ingest::read_bytes`]),
//! fetched documents under any URL and content type ([`audarma_ingest::read_fetched`]) and feed items
//! ([`audarma_ingest::read_feed_item`]).

use audarma_core::Lang;
use audarma_ingest::{Format, IngestError, SiteProfile};
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

/// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Tag soup: fragments of official-site HTML, text in three scripts, entities and broken markup.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<html>".to_string()),
        Just("<article>".to_string()),
        Just("</article>".to_string()),
        Just("<h1>".to_string()),
        Just("</h1>".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<blockquote><p>".to_string()),
        Just("<div class=\"share\">Share: <a>Telegram</a></div>".to_string()),
        Just("<time datetime=\"2026-13-45\">".to_string()),
        Just("<time datetime=\"2026-06-03\">3 июня 2026 года</time>".to_string()),
        Just("<script>var x = '<p>';</script>".to_string()),
        Just("&laquo;&nbsp;&mdash;&#x0;&#99999999;&bogus;".to_string()),
        Just("<!--".to_string()),
        Just("<".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("[link](".to_string()),
        Just("![img](x.png)".to_string()),
        Just("7 июня 2023 года\n".to_string()),
        Just("2023 жылғы 7 маусым\n".to_string()),
        Just("Share:\nGo back\n".to_string()),
        "[a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ .,!?«»“”—-]{0,40}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Writes `bytes` as a file `name` and reads it.
fn check(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::File::create(&path).and_then(|mut f| f.write_all(bytes)).expect("write");
    judge(&path.display().to_string(), audarma_ingest::read_file(&path, None));
}

/// A release with text in it, or one error line naming the source.
fn judge(name: &str, result: Result<audarma_core::Release, IngestError>) {
    match result {
        Ok(r) => {
            assert!(!r.title.is_empty() || !r.paragraphs.is_empty());
            for p in &r.paragraphs {
                assert!(p.sentences.iter().all(|s| !s.trim().is_empty()));
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with(&format!("{name}: ")), "{msg}");
            if !name.contains('\n') {
                assert!(!msg.contains('\n'), "{msg}");
            }
        }
    }
}

/// Arbitrary Unicode, or tag soup.
fn unicode() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), soup(), "\\PC{0,300}"]
}

/// Arbitrary bytes, or tag soup as UTF-8, UTF-16 with a BOM or Windows-1251.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000),
        soup().prop_map(String::into_bytes),
        soup().prop_map(|s| [0xFF, 0xFE].into_iter().chain(s.encode_utf16().flat_map(u16::to_le_bytes)).collect()),
        soup().prop_map(|s| encoding_rs::WINDOWS_1251.encode(&s).0.into_owned()),
    ]
}

fn format() -> impl Strategy<Value = Format> {
    prop::sample::select(vec![Format::Text, Format::Markdown, Format::Html, Format::Json])
}

fn lang() -> impl Strategy<Value = Option<Lang>> {
    prop::option::of(prop::sample::select(Lang::ALL.to_vec()))
}

/// A site profile with every selector set and a line to drop, or none.
fn profile(on: bool) -> Option<&'static SiteProfile> {
    static P: OnceLock<SiteProfile> = OnceLock::new();
    let p = P.get_or_init(|| {
        SiteProfile::new("gov.kz", Some("h1, .title"), Some("time, .date"), Some("article p"), &["^Share".into()])
            .expect("profile")
    });
    on.then_some(p)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(200), ..ProptestConfig::default() })]

    #[test]
    fn read_bytes_never_panics_in_any_format(
        bytes in bytes(),
        format in format(),
        lang in lang(),
        with_profile in any::<bool>(),
    ) {
        judge("doc", audarma_ingest::read_bytes(Path::new("doc"), format, &bytes, lang, profile(with_profile)));
    }

    #[test]
    fn read_fetched_never_panics(
        url in prop_oneof![Just("https://gov.kz/news/1".to_string()), "https://[a-z.]{1,10}/[a-z0-9./?#=-]{0,20}", any::<String>()],
        content_type in prop::option::of(prop_oneof![
            Just("text/html; charset=utf-8".to_string()),
            Just("application/json".to_string()),
            Just("text/plain".to_string()),
            Just("text/markdown".to_string()),
            any::<String>(),
        ]),
        body in prop_oneof![bytes(), unicode().prop_map(String::into_bytes)],
        lang in lang(),
        with_profile in any::<bool>(),
    ) {
        let read = audarma_ingest::read_fetched(&url, content_type.as_deref(), &body, lang, profile(with_profile));
        judge(&url, read);
    }

    #[test]
    fn read_feed_item_never_panics(
        source in prop_oneof![Just("https://gov.kz/rss#1".to_string()), any::<String>()],
        title in unicode(),
        content in unicode(),
        day in prop::option::of(0..40_000i64),
        lang in lang(),
    ) {
        let date = day.and_then(|d| chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(d)));
        judge(&source, audarma_ingest::read_feed_item(&source, &title, &content, date, lang));
    }

    #[test]
    fn html_reader_never_panics(s in soup()) {
        check("page.html", s.as_bytes());
    }

    #[test]
    fn text_and_markdown_readers_never_panic(s in soup()) {
        check("release.txt", s.as_bytes());
        check("release.md", s.as_bytes());
    }

    #[test]
    fn json_reader_never_panics(s in soup(), title in ".{0,20}") {
        let obj = serde_json::json!({ "title": title, "body": s, "date": "7 June 2023" }).to_string();
        check("release.json", obj.as_bytes());
        check("broken.json", &obj.as_bytes()[..obj.len() / 2]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check("bytes.txt", &bytes);
        check("bytes.html", &bytes);
    }

    #[test]
    fn cyrillic_code_pages_never_panic(s in soup()) {
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode(&s);
        check("cp1251.txt", &cp);
        let (koi, _, _) = encoding_rs::KOI8_R.encode(&s);
        check("koi8.html", &koi);
    }
}
