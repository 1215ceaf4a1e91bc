//! End-to-end reading: `audarma_ingest::read_file` on the sample releases (decode, extract,
//! detect the language, segment), files per second.
//!
//! `cargo bench -p audarma-bench --bench read_file`

use audarma_bench::{load_note, measure, ms, sample_files, LANGS};
use audarma_ingest::read_file;
use std::path::PathBuf;

const PASSES: usize = 50;
const REPS: usize = 7;

fn main() {
    let all: Vec<PathBuf> = LANGS.iter().flat_map(|&l| sample_files(l, &["txt", "md", "html", "json"])).collect();
    println!(
        "read_file on examples/releases/: {PASSES} passes over the files per repetition, {REPS} repetitions after one warm-up {}",
        load_note()
    );
    println!(
        "{:<10} {:>6} {:>10} {:>14} {:>12} {:>12}",
        "files", "count", "KB", "median ms", "files/s med", "files/s best"
    );
    let mut groups: Vec<(String, Vec<PathBuf>)> = vec![("all".to_string(), all.clone())];
    for lang in LANGS {
        groups.push((lang.code().to_string(), sample_files(lang, &["txt", "md", "html", "json"])));
    }
    for ext in ["txt", "md", "html"] {
        let files: Vec<PathBuf> =
            all.iter().filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext)).cloned().collect();
        groups.push((format!(".{ext}"), files));
    }
    for (name, files) in groups {
        if files.is_empty() {
            continue;
        }
        let bytes: u64 = files.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum();
        let t = measure(REPS, || {
            let mut segments = 0;
            for _ in 0..PASSES {
                for f in &files {
                    let r = read_file(f, None).expect("sample files read");
                    segments += r.segment_count();
                }
            }
            segments
        });
        let n = files.len() * PASSES;
        let (med, best) = t.per_s(n);
        println!(
            "{name:<10} {:>6} {:>10.1} {:>14.1} {med:>12.0} {best:>12.0}",
            files.len(),
            bytes as f64 / 1e3,
            ms(t.median)
        );
    }
}
