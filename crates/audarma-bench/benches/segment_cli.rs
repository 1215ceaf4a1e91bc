//! `audarma segment FILE --json` end to end: the built binary on a generated text of each language,
//! then the steps of the same work timed one by one in this process, to show where the time goes.
//!
//! ```sh
//! cargo build --release -p audarma && cargo bench -p audarma-bench --bench segment_cli
//! ```
//!
//! The text is the segmentation corpus (BENCHMARKS.md, "Corpus") cut to `AUDARMA_BENCH_CLI_MB`
//! decimal megabytes (default 1). The binary is `AUDARMA_BIN`, else `audarma` in the same target
//! directory as this bench (`target/release/audarma`); build it first, the bench does not.
// A bench writes its corpus files directly and sets the key variable its workflow names.
#![allow(clippy::disallowed_methods)]

use audarma_bench::{corpus_text, load_note, measure, ms, repeated_paragraphs, Timing, LANGS};
use audarma_text::{detector, normalize, paragraphs, segment};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const REPS: usize = 9;

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("AUDARMA_BIN") {
        return p.into();
    }
    // This bench runs from <target>/release/deps/.
    let exe = std::env::current_exe().expect("the bench knows its own path");
    exe.parent().and_then(Path::parent).map(|d| d.join("audarma")).expect("a target directory")
}

/// Runs `audarma segment <file> --json [extra]` and returns its standard output.
fn run(bin: &Path, file: &Path, extra: &[&str]) -> Vec<u8> {
    let out = Command::new(bin)
        .arg("segment")
        .arg(file)
        .arg("--json")
        .args(extra)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("audarma runs");
    assert!(out.status.success(), "audarma segment failed: {:?}", out.status);
    out.stdout
}

fn main() {
    let mb: f64 = std::env::var("AUDARMA_BENCH_CLI_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1.0);
    let target = (mb * 1e6) as usize;
    let bin = binary();
    assert!(
        bin.exists(),
        "{} not found: run `cargo build --release -p audarma` first (or set AUDARMA_BIN)",
        bin.display()
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    println!("audarma segment FILE --json, {REPS} repetitions after one warm-up; MB = 10^6 bytes {}", load_note());
    println!("binary: {}", bin.display());

    // Process start, argument parsing and an almost empty file: the fixed cost of a run.
    let tiny = dir.path().join("tiny.txt");
    std::fs::write(&tiny, "Президент провел встречу.\n").expect("tiny file written");
    let t = measure(REPS, || run(&bin, &tiny, &[]));
    println!("fixed cost (a one-sentence file): median {:.1} ms, best {:.1} ms", ms(t.median), ms(t.best));
    println!();
    println!(
        "{:<4} {:<44} {:>6} {:>10} {:>11} {:>11} {:>11}",
        "lang", "what", "MB", "sentences", "median ms", "MB/s (med)", "MB/s (best)"
    );

    for lang in LANGS {
        let paras = repeated_paragraphs(lang, target);
        let text = corpus_text(&paras);
        let bytes = text.len();
        let file = dir.path().join(format!("{}.txt", lang.code()));
        std::fs::write(&file, &text).expect("corpus written");

        // The library's answer, to check the binary's output against.
        let expected: Vec<String> = paragraphs(&normalize(&text)).iter().flat_map(|p| segment(p, lang)).collect();
        let out = run(&bin, &file, &[]);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("the output is JSON");
        let got = v["sentences"].as_array().map_or(0, Vec::len);
        assert_eq!(v["lang"].as_str(), Some(lang.code()), "detected language");
        assert_eq!(got, expected.len(), "sentence count of the binary and the library");
        let n = expected.len();

        let t = measure(REPS, || run(&bin, &file, &[]));
        row(lang.code(), "end to end: segment FILE --json", bytes, n, t);
        let t = measure(REPS, || run(&bin, &file, &["--lang", lang.code()]));
        row(lang.code(), "end to end: segment FILE --json --lang", bytes, n, t);

        // The steps of the command, one by one, in this process.
        let raw = std::fs::read(&file).expect("corpus read");
        let t = measure(REPS, || audarma_ingest::decode(&file, &raw).expect("decodes"));
        row(lang.code(), "  step: decode", bytes, n, t);
        let decoded = audarma_ingest::decode(&file, &raw).expect("decodes");
        let t = measure(REPS, || normalize(&decoded));
        row(lang.code(), "  step: normalize", bytes, n, t);
        let norm = normalize(&decoded);
        let t = measure(REPS, || detector().detect(&norm));
        row(lang.code(), "  step: detect (whole text)", bytes, n, t);
        let t = measure(REPS, || paragraphs(&norm));
        row(lang.code(), "  step: paragraphs", bytes, n, t);
        let ps = paragraphs(&norm);
        let t = measure(REPS, || ps.iter().flat_map(|p| segment(p, lang)).count());
        row(lang.code(), "  step: segment each paragraph", bytes, n, t);
        let t = measure(REPS, || {
            let v = serde_json::json!({ "lang": lang, "sentences": expected });
            serde_json::to_string_pretty(&v).map(|s| s.len())
        });
        row(lang.code(), "  step: JSON via serde_json::Value, pretty", bytes, n, t);
        let t = measure(REPS, || {
            let mut w = Vec::with_capacity(bytes + bytes / 8);
            let _ = writeln!(w, "{{\n  \"lang\": \"{}\",\n  \"sentences\": [", lang.code());
            for (k, s) in expected.iter().enumerate() {
                let _ = w.write_all(b"    ");
                let _ = serde_json::to_writer(&mut w, s);
                let _ = w.write_all(if k + 1 < expected.len() { b",\n" } else { b"\n" });
            }
            let _ = w.write_all(b"  ]\n}\n");
            w.len()
        });
        row(lang.code(), "  step: JSON written directly", bytes, n, t);
    }
}

fn row(lang: &str, what: &str, bytes: usize, sentences: usize, t: Timing) {
    let (med, best) = t.mb_per_s(bytes);
    println!(
        "{lang:<4} {what:<44} {:>6.2} {sentences:>10} {:>11.1} {med:>11.1} {best:>11.1}",
        bytes as f64 / 1e6,
        ms(t.median)
    );
}
