//! Sentence segmentation throughput per language, single thread.
//!
//! `cargo bench -p audarma-bench --bench segment` (corpus size: `AUDARMA_BENCH_MB`, default 4).
//! Also writes the corpus to `target/bench-corpus/<lang>.txt` for `scripts/pysbd_compare.py`.
// A bench writes its corpus files directly and sets the key variable its workflow names.
#![allow(clippy::disallowed_methods)]

use audarma_bench::{corpus_bytes, corpus_text, load_note, measure, ms, repeated_paragraphs, repo_root, LANGS};
use audarma_text::{segment, segment_text};

const REPS: usize = 7;

fn main() {
    let target = corpus_bytes();
    let out_dir = repo_root().join("target/bench-corpus");
    std::fs::create_dir_all(&out_dir).expect("target/bench-corpus can be created");
    println!("segmentation, single thread, {REPS} repetitions after one warm-up; MB = 10^6 bytes {}", load_note());
    println!(
        "{:<4} {:<34} {:>9} {:>10} {:>11} {:>11} {:>11}",
        "lang", "what", "MB", "sentences", "median ms", "MB/s (med)", "MB/s (best)"
    );
    for lang in LANGS {
        let paras = repeated_paragraphs(lang, target);
        let text = corpus_text(&paras);
        std::fs::write(out_dir.join(format!("{}.txt", lang.code())), &text).expect("corpus written");
        let para_bytes: usize = paras.iter().map(String::len).sum();

        let mut n = 0;
        let t = measure(REPS, || {
            n = paras.iter().map(|p| segment(p, lang).len()).sum::<usize>();
            n
        });
        row(lang.code(), "segment, per paragraph", para_bytes, n, t);

        let t = measure(REPS, || {
            n = segment_text(&text, lang).len();
            n
        });
        row(lang.code(), "segment_text, whole corpus", text.len(), n, t);

        let t = measure(REPS, || {
            n = segment(&text, lang).len();
            n
        });
        row(lang.code(), "segment, whole corpus as one call", text.len(), n, t);
    }
}

fn row(lang: &str, what: &str, bytes: usize, sentences: usize, t: audarma_bench::Timing) {
    let (med, best) = t.mb_per_s(bytes);
    println!(
        "{lang:<4} {what:<34} {:>9.2} {sentences:>10} {:>11.1} {med:>11.1} {best:>11.1}",
        bytes as f64 / 1e6,
        ms(t.median)
    );
}
