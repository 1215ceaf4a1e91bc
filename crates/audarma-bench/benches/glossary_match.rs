//! Glossary matching at scale: loading 10,000 synthetic concepts, and `Matcher::find` throughput on
//! the sample-release corpus against a naive substring scan.
//!
//! `cargo bench -p audarma-bench --bench glossary_match` (corpus size: `AUDARMA_BENCH_MB`, default 4;
//! concepts: `AUDARMA_BENCH_CONCEPTS`, default 10000).
//!
//! The synthetic concepts have one or two terms per language of 1–4 words: up to three words taken from
//! the sample releases of that language (so first words really occur in the text and the matcher's
//! stem index is exercised), then a number that makes the term distinct. They are written as TOML into
//! a temporary directory in files of 1,000 concepts (the figure against the target), and again as one
//! file and as files of 100 to show how load time depends on file size. The matcher is timed with the
//! synthetic concepts alone (few real matches), with the shipped glossary (`glossaries/`) alone and
//! with both, once per paragraph and once over the whole corpus in a single call. The naive scan
//! lower-cases the text once, then counts every occurrence of every lower-cased term with
//! `str::match_indices`; it is timed on a slice and scaled to the corpus size.
// A bench writes its corpus files directly and sets the key variable its workflow names.
#![allow(clippy::disallowed_methods)]

use audarma_bench::{corpus_bytes, corpus_text, load_note, measure, ms, paragraphs, repeated_paragraphs, repo_root};
use audarma_core::Lang;
use audarma_glossary::{fold, morph, Glossary, Matcher};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

const REPS: usize = 5;
const FILE_CONCEPTS: usize = 1000;
/// Bytes of corpus the naive scan is timed on (then scaled).
const NAIVE_SLICE: usize = 100_000;

fn concept_count() -> usize {
    std::env::var("AUDARMA_BENCH_CONCEPTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

/// Distinct lower-case words of at least four letters from the sample releases of `lang`.
fn vocabulary(lang: Lang) -> Vec<String> {
    let mut set = BTreeSet::new();
    for p in paragraphs(lang) {
        for w in p.split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() >= 4 {
                set.insert(w.to_lowercase());
            }
        }
    }
    set.into_iter().collect()
}

/// A small deterministic generator (xorshift), so every run builds the same glossary.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }
}

fn term(rng: &mut Rng, vocab: &[String], n: usize) -> String {
    let words = 1 + rng.next() % 4;
    let mut t = String::new();
    for _ in 1..words {
        t.push_str(&vocab[rng.next() % vocab.len()]);
        t.push(' ');
    }
    let _ = write!(t, "{n}");
    t
}

/// Writes `count` synthetic concepts as TOML files into `dir`; returns the bytes written.
fn write_synthetic(dir: &Path, count: usize, per_file: usize) -> usize {
    let vocab: Vec<(Lang, Vec<String>)> =
        [Lang::En, Lang::Kk, Lang::Ru].into_iter().map(|l| (l, vocabulary(l))).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0;
    for file in 0..count.div_ceil(per_file) {
        let mut s = String::from("# Synthetic concepts for the glossary_match bench.\n");
        for i in file * per_file..((file + 1) * per_file).min(count) {
            let _ = write!(s, "\n[[concept]]\nid = \"synthetic-{i}\"\n");
            for (lang, words) in &vocab {
                // Numbers from disjoint ranges per term, so that no term names two concepts.
                let first = term(&mut rng, words, 10 * i + 1);
                if i % 3 == 0 {
                    let second = term(&mut rng, words, 10 * i + 2);
                    let _ = writeln!(s, "{} = [\"{first}\", \"{second}\"]", lang.code());
                } else {
                    let _ = writeln!(s, "{} = \"{first}\"", lang.code());
                }
            }
            s.push_str("domain = [\"state\"]\n");
        }
        bytes += s.len();
        std::fs::write(dir.join(format!("synthetic-{file:03}.toml")), s).expect("temp glossary written");
    }
    bytes
}

/// The largest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn naive_count(text: &str, terms: &[String]) -> usize {
    let lower = text.to_lowercase();
    terms.iter().map(|t| lower.match_indices(t.as_str()).count()).sum()
}

/// How many patterns the matcher's first-word index hands to each text word, on average. The index is
/// private to the matcher, so it is rebuilt here from the public stemming API (words cut at every
/// non-alphanumeric character, a close approximation): (text words, patterns examined per word,
/// largest bucket).
fn index_probe(g: &Glossary, lang: Lang, text: &str) -> (usize, f64, usize) {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    let mut n = 0;
    for c in &g.concepts {
        for t in c.terms(lang) {
            let folded = fold(t);
            let Some(first) = folded.split(|ch: char| !ch.is_alphanumeric()).find(|w| !w.is_empty()) else {
                continue;
            };
            let keys = if c.dnt { vec![first.to_string()] } else { morph::term_keys(first, lang) };
            for k in keys {
                let v = index.entry(k).or_default();
                if v.last() != Some(&n) {
                    v.push(n);
                }
            }
            n += 1;
        }
    }
    let largest = index.values().map(Vec::len).max().unwrap_or(0);
    let (mut words, mut examined) = (0usize, 0usize);
    let mut seen = HashSet::new();
    for w in fold(text).split(|ch: char| !ch.is_alphanumeric()).filter(|w| !w.is_empty()) {
        words += 1;
        seen.clear();
        for k in morph::text_keys(w, lang).into_iter().chain(std::iter::once(w.to_string())) {
            if let Some(v) = index.get(&k) {
                examined += v.iter().filter(|p| seen.insert(**p)).count();
            }
        }
    }
    (words, examined as f64 / words.max(1) as f64, largest)
}

fn main() {
    let count = concept_count();
    println!("glossary matching, single thread, {REPS} repetitions after one warm-up; MB = 10^6 bytes {}", load_note());

    // The same concepts split into files of 1,000 (the reported figure), and for comparison into one
    // file and into files of 100.
    let mut dirs = Vec::new();
    for per_file in [FILE_CONCEPTS, count, 100] {
        let dir = tempfile::tempdir().expect("temp dir");
        let toml_bytes = write_synthetic(dir.path(), count, per_file);
        let path: PathBuf = dir.path().to_path_buf();
        let mut loaded = 0;
        let t = measure(REPS, || {
            let g = Glossary::load(std::slice::from_ref(&path)).expect("synthetic glossary loads");
            loaded = g.len();
            g
        });
        println!(
            "Glossary::load of {loaded} synthetic concepts ({:.2} MB of TOML in {} files of up to {per_file}): median {:.1} ms, best {:.1} ms (target < 200 ms)",
            toml_bytes as f64 / 1e6,
            count.div_ceil(per_file),
            ms(t.median),
            ms(t.best)
        );
        dirs.push(dir);
    }
    let synthetic_dir: PathBuf = dirs[0].path().to_path_buf();

    let synthetic = Glossary::load(std::slice::from_ref(&synthetic_dir)).expect("synthetic glossary loads");
    let shipped = Glossary::load(&[repo_root().join("glossaries")]).expect("shipped glossary loads");
    let with_shipped =
        Glossary::load(&[synthetic_dir.clone(), repo_root().join("glossaries")]).expect("glossaries load");
    let target = corpus_bytes();
    println!(
        "{:<4} {:<22} {:>8} {:>10} {:>8} {:>10} {:>11} {:>11} {:>13} {:>9}",
        "lang",
        "glossary",
        "concepts",
        "Matcher ms",
        "MB",
        "matches",
        "find MB/s",
        "(per para)",
        "naive MB/s",
        "speed-up"
    );
    for lang in [Lang::Ru, Lang::Kk] {
        let paras = repeated_paragraphs(lang, target);
        let text = corpus_text(&paras);
        for (name, g) in [("shipped only", &shipped), ("synthetic", &synthetic), ("synthetic + shipped", &with_shipped)]
        {
            let start = Instant::now();
            let matcher = Matcher::new(g, lang);
            let build = start.elapsed();

            let mut whole_matches = 0;
            let whole = measure(REPS, || {
                whole_matches = matcher.find(&text).len();
                whole_matches
            });
            let mut para_matches = 0;
            let per_para = measure(REPS, || {
                para_matches = paras.iter().map(|p| matcher.find(p).len()).sum::<usize>();
                para_matches
            });

            let terms: Vec<String> =
                g.concepts.iter().flat_map(|c| c.terms(lang).iter().map(|t| t.to_lowercase())).collect();
            let slice = prefix(&text, NAIVE_SLICE);
            let naive = measure(1, || naive_count(slice, &terms));
            let naive_mb_s = slice.len() as f64 / 1e6 / naive.median.as_secs_f64();

            let (whole_mb_s, _) = whole.mb_per_s(text.len());
            let para_bytes: usize = paras.iter().map(String::len).sum();
            let (para_mb_s, _) = per_para.mb_per_s(para_bytes);
            println!(
                "{:<4} {name:<22} {:>8} {:>10.1} {:>8.2} {:>10} {:>11.1} {:>11.1} {:>13.3} {:>8.0}x",
                lang.code(),
                g.len(),
                ms(build),
                text.len() as f64 / 1e6,
                whole_matches,
                whole_mb_s,
                para_mb_s,
                naive_mb_s,
                para_mb_s.min(whole_mb_s) / naive_mb_s
            );
            let (words, per_word, largest) = index_probe(g, lang, slice);
            println!(
                "     index probe on the {:.2} MB slice: {words} words, {per_word:.1} patterns examined per word, largest first-word bucket {largest}",
                slice.len() as f64 / 1e6
            );
            println!(
                "     ({} terms; find over the whole text in one call: median {:.0} ms; per paragraph: {} matches, median {:.0} ms; naive scan of {:.2} MB: {:.0} ms)",
                terms.len(),
                ms(whole.median),
                para_matches,
                ms(per_para.median),
                slice.len() as f64 / 1e6,
                ms(naive.median)
            );
        }
    }
}
