//! Inputs an attacker (or a broken mirror) can plant where ingest reads: special files, links that
//! loop, pages nested to stall the parser. Each is refused quickly with an error naming it.

use audarma_ingest::{collect_files, read_bytes, read_feed_item, read_file, Format, IngestError, MAX_HTML_DEPTH};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on a thread and waits at most a minute: a read that blocks forever fails the test instead of
/// hanging the suite.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60)).expect("the read did not finish: it blocked or looped")
}

#[cfg(unix)]
#[test]
fn a_fifo_and_a_link_to_a_device_are_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("release.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.map(|s| s.success()).unwrap_or(false) {
        let f = fifo.clone();
        let r = within_a_minute(move || read_file(&f, None));
        assert!(matches!(r, Err(IngestError::NotRegular { .. })), "{r:?}");
        assert!(r.unwrap_err().to_string().contains("release.txt: not a regular file"));
    } else {
        eprintln!("SKIP the FIFO case: mkfifo is not available");
    }
    let zero = dir.path().join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let z = zero.clone();
    let r = within_a_minute(move || read_file(&z, None));
    assert!(matches!(r, Err(IngestError::NotRegular { .. })), "{r:?}");
}

#[cfg(unix)]
#[test]
fn links_that_loop_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("top.txt"), "Title\n\nBody.").unwrap();
    std::fs::write(root.join("a/b/deep.txt"), "Title\n\nBody.").unwrap();
    // Every directory links back to the root and to its parent: without loop detection the walk
    // never ends (each level doubles the paths).
    for d in [root.to_path_buf(), root.join("a"), root.join("a/b")] {
        std::os::unix::fs::symlink(root, d.join("up")).unwrap();
        std::os::unix::fs::symlink("..", d.join("parent")).unwrap();
    }
    let r = root.to_path_buf();
    let found = within_a_minute(move || collect_files(&[r]));
    let names: Vec<String> =
        found.iter().map(|f| f.as_ref().unwrap().file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names.iter().filter(|n| *n == "top.txt").count(), 1, "{names:?}");
    assert_eq!(names.iter().filter(|n| *n == "deep.txt").count(), 1, "{names:?}");
}

#[test]
fn a_page_nested_to_stall_the_parser_is_refused_before_parsing() {
    // 200,000 nested elements (2 MB): parsing it took minutes (the parser checks its stack of open
    // elements at every tag); measuring its depth takes milliseconds.
    let page = format!("<html><body>{}<p>Text.</p></body></html>", "<div>".repeat(200_000));
    let r = within_a_minute(move || read_bytes(Path::new("deep.html"), Format::Html, page.as_bytes(), None, None));
    let e = r.unwrap_err();
    assert!(matches!(e, IngestError::TooDeep { .. }), "{e:?}");
    assert!(e.to_string().starts_with(&format!("deep.html: HTML nested deeper than {MAX_HTML_DEPTH}")), "{e}");

    let content = "<span>".repeat(100_000);
    let r = within_a_minute(move || read_feed_item("feed#item-1", "Title", &content, None, None));
    assert!(matches!(r, Err(IngestError::TooDeep { .. })), "{r:?}");

    let json = format!(r#"{{"title": "T", "body_html": "{}"}}"#, "<b>".repeat(100_000));
    let r = within_a_minute(move || read_bytes(Path::new("r.json"), Format::Json, json.as_bytes(), None, None));
    let e = r.unwrap_err().to_string();
    assert!(e.contains("field `body_html`: HTML nested deeper than"), "{e}");

    // An ordinary page, and a sloppy one with hundreds of unclosed paragraphs, are read.
    let sloppy =
        format!("<html><body><h1>Talks in Astana</h1>{}</body></html>", "<p>The parties met today.".repeat(800));
    let r = read_bytes(Path::new("ok.html"), Format::Html, sloppy.as_bytes(), Some(audarma_core::Lang::En), None);
    assert!(r.is_ok(), "{r:?}");
}
