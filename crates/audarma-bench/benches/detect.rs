//! Language detection: time per 1,000 paragraphs per language (`audarma_text::detector().detect`).
//!
//! `cargo bench -p audarma-bench --bench detect`

use audarma_bench::{load_note, measure, ms, paragraphs, LANGS};
use audarma_core::Lang;
use audarma_text::detector;
use std::time::Instant;

const N: usize = 1000;
const REPS: usize = 9;

fn main() {
    // The first call that reaches the lingua model loads it: time it on its own, in a fresh process.
    let ru = paragraphs(Lang::Ru);
    let start = Instant::now();
    let first = detector().detect(&ru[0]);
    println!("first detect() call (loads the Cyrillic model): {:.1} ms -> {first:?}", ms(start.elapsed()));
    println!("language detection of {N} paragraphs, {REPS} repetitions after one warm-up {}", load_note());
    println!(
        "{:<4} {:>11} {:>16} {:>14} {:>12} {:>9}",
        "lang", "avg bytes", "median ms/1000", "best ms/1000", "paragraphs/s", "correct"
    );
    for lang in LANGS {
        let paras: Vec<String> = paragraphs(lang).into_iter().cycle().take(N).collect();
        let avg = paras.iter().map(String::len).sum::<usize>() / N;
        let mut correct = 0;
        let t = measure(REPS, || {
            correct = paras.iter().filter(|p| detector().detect(p).map(|d| d.lang) == Some(lang)).count();
            correct
        });
        println!(
            "{:<4} {avg:>11} {:>16.2} {:>14.2} {:>12.0} {:>5}/{N}",
            lang.code(),
            ms(t.median),
            ms(t.best),
            t.per_s(N).0,
            correct
        );
    }
}
