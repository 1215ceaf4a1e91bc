//! Property-based fuzzing of the readers: whatever bytes arrive, reading gives a release or one clear
//! error line naming the file, and never panics.

use proptest::prelude::*;
use std::io::Write;

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

fn read(name: &str, bytes: &[u8]) -> Result<audarma_core::Release, audarma_ingest::IngestError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::File::create(&path).and_then(|mut f| f.write_all(bytes)).expect("write");
    audarma_ingest::read_file(&path, None)
}

fn check(name: &str, bytes: &[u8]) {
    match read(name, bytes) {
        Ok(r) => {
            assert!(!r.title.is_empty() || !r.paragraphs.is_empty());
            for p in &r.paragraphs {
                assert!(p.sentences.iter().all(|s| !s.trim().is_empty()));
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(name), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

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
