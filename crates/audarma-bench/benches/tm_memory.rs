//! Fuzzy translation memory at a million units: a generated memory in three pairs (Zipf word
//! frequencies over generated vocabularies, a third of the units near-duplicates of earlier ones),
//! imported through `Store::tm_add_bulk` and `tm_index_pending` (as `audarma tm import` does), then looked up through `audarma_store::fuzzy_matches` (threshold
//! 75, five matches) and compared with an exhaustive edit-distance scan of the same memory.
//!
//! `cargo bench -p audarma-bench --bench tm_memory`
//! (`AUDARMA_BENCH_UNITS`: default 1000000; `AUDARMA_BENCH_QUERIES`: default 200, half near-duplicates
//! of stored units, half new sentences; `AUDARMA_BENCH_STORE=postgres`: on a throwaway PostgreSQL started
//! by the store tests' harness, else a temporary SQLite file.)
//!
//! Reports import time, lookup p50/p95/p99, exact lookups, and recall@5: for each query, the share of
//! the exhaustive scan's five best units (at ≥ 75 %) matched rank for rank by a unit of at least the
//! same score. Targets (issue 14): p95 < 10 ms, recall@5 ≥ 0.98, import of 1M units < 2 min.

use audarma_core::Lang;
use audarma_store::{
    choose_terms, fuzzy_matches, index_text, length_window, rank_fuzzy, Scorer, Store, TmUnit, FUZZY_CANDIDATES,
};
use std::sync::Arc;
use std::time::Instant;

const PAIRS: [(Lang, Lang); 3] = [(Lang::En, Lang::Kk), (Lang::Ru, Lang::Kk), (Lang::Kk, Lang::Ru)];
const MIN: u8 = 75;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// splitmix64: reproducible runs without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A language's vocabulary (generated words of 1–12 letters) and its Zipf distribution.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(letters: &str, size: usize, rng: &mut Rng) -> Vocabulary {
        let letters: Vec<char> = letters.chars().collect();
        let mut words = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        while words.len() < size {
            // Frequent words are short, as in real text.
            let rank = words.len();
            let len = 1 + (rank as f64).log2().max(0.0) as usize / 2 + rng.below(4);
            let w: String = (0..len.min(12)).map(|_| letters[rng.below(letters.len())]).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=size)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn sentence(&self, rng: &mut Rng) -> Vec<String> {
        let n = 6 + rng.below(19);
        (0..n).map(|_| self.word(rng).to_string()).collect()
    }
}

/// One to three word edits: replace, insert or delete.
fn near(words: &[String], vocabulary: &Vocabulary, rng: &mut Rng) -> Vec<String> {
    let mut w = words.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(w.len().max(1));
        match rng.below(3) {
            0 if !w.is_empty() => w[at] = vocabulary.word(rng).to_string(),
            1 => w.insert(at, vocabulary.word(rng).to_string()),
            _ if w.len() > 3 => {
                w.remove(at);
            }
            _ => w.push(vocabulary.word(rng).to_string()),
        }
    }
    w
}

fn text(words: &[String]) -> String {
    let mut s = words.join(" ");
    if let Some(first) = s.chars().next() {
        s = first.to_uppercase().chain(s.chars().skip(1)).collect();
    }
    s.push('.');
    s
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() {
    let units = env("AUDARMA_BENCH_UNITS", 1_000_000);
    let queries = env("AUDARMA_BENCH_QUERIES", 200);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    rt.block_on(run(units, queries));
}

async fn run(n: usize, queries: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    // AUDARMA_BENCH_SQLITE=PATH keeps the database there, to look into afterwards.
    let path =
        std::env::var("AUDARMA_BENCH_SQLITE").map(std::path::PathBuf::from).unwrap_or(dir.path().join("memory.db"));
    let store: Arc<dyn Store> = audarma_bench::bench_store(&path, false).await;
    let mut rng = Rng(20261206);
    let latin = Vocabulary::new("abcdefghijklmnopqrstuvwxyz", 60_000, &mut rng);
    let russian = Vocabulary::new("абвгдежзийклмнопрстуфхцчшщыьэюя", 60_000, &mut rng);
    let kazakh = Vocabulary::new("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", 60_000, &mut rng);
    let vocabulary = |lang: Lang| match lang {
        Lang::En => &latin,
        Lang::Ru => &russian,
        Lang::Kk => &kazakh,
    };

    // The memory, kept here too for the exhaustive scan: per pair, each unit's source and its length.
    let mut memory: Vec<Vec<(String, u32)>> = vec![Vec::new(); PAIRS.len()];
    let words_of = |t: &str| t.trim_end_matches('.').split(' ').map(String::from).collect::<Vec<_>>();
    let started = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    let mut added = 0;
    for i in 0..n {
        let p = i % PAIRS.len();
        let (src, tgt) = PAIRS[p];
        let words = if rng.below(3) == 0 && !memory[p].is_empty() {
            let base = words_of(&memory[p][rng.below(memory[p].len())].0);
            near(&base, vocabulary(src), &mut rng)
        } else {
            vocabulary(src).sentence(&mut rng)
        };
        let target = text(&vocabulary(tgt).sentence(&mut rng));
        let source = text(&words);
        memory[p].push((source.clone(), source.chars().count() as u32));
        batch.push(TmUnit::new(src, tgt, source, target));
        if batch.len() == 10_000 || i + 1 == n {
            added += store.tm_add_bulk(&batch, "bench").await.expect("units added");
            batch.clear();
        }
        if (i + 1) % 200_000 == 0 {
            println!("  {} units in {:.1} s", i + 1, started.elapsed().as_secs_f64());
        }
    }
    let stored = started.elapsed().as_secs_f64();
    let indexed = store.tm_index_pending().await.expect("index merged");
    // (A unit with no word of three letters or more has nothing to index.)
    assert!(indexed as usize <= added as usize && indexed as usize >= added as usize * 99 / 100, "{indexed} indexed");
    let import = started.elapsed().as_secs_f64();
    println!(
        "import: {n} units ({added} new) in {import:.1} s ({stored:.1} s storing, {:.1} s indexing), {:.0} units/s",
        import - stored,
        n as f64 / import
    );

    // Queries: half near-duplicates of stored units, half new sentences.
    let mut asked = Vec::new();
    for q in 0..queries {
        let p = q % PAIRS.len();
        let (src, _) = PAIRS[p];
        let words = if q % 2 == 0 {
            near(&words_of(&memory[p][rng.below(memory[p].len())].0), vocabulary(src), &mut rng)
        } else {
            vocabulary(src).sentence(&mut rng)
        };
        asked.push((p, text(&words)));
    }
    // Warm the caches once, then time.
    for (p, t) in asked.iter().take(20) {
        let (src, tgt) = PAIRS[*p];
        fuzzy_matches(&*store, src, tgt, t, MIN, 5).await.expect("lookup");
    }
    let mut times = Vec::new();
    let mut found = Vec::new();
    for (p, t) in &asked {
        let (src, tgt) = PAIRS[*p];
        let start = Instant::now();
        let m = fuzzy_matches(&*store, src, tgt, t, MIN, 5).await.expect("lookup");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        found.push(m);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "fuzzy lookup (≥{MIN}, 5 best), {} queries: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );

    // Where a lookup's time goes: the same steps as fuzzy_matches, timed one by one.
    let (mut counting, mut listing, mut ranking, mut listed) = (Vec::new(), Vec::new(), Vec::new(), 0usize);
    let mut postings_read = Vec::new();
    for (p, t) in &asked {
        let (src, tgt) = PAIRS[*p];
        let start = Instant::now();
        let indexed = index_text(src, tgt, t);
        let counts = store.tm_term_counts(&indexed.terms).await.expect("counts");
        let counted_terms: Vec<(i64, i64)> = indexed.terms.iter().copied().zip(counts).collect();
        let chosen = choose_terms(&counted_terms);
        postings_read
            .push(counted_terms.iter().filter(|(t, _)| chosen.contains(t)).map(|(_, n)| *n).sum::<i64>() as f64);
        let counted = Instant::now();
        let window = length_window(indexed.chars, MIN);
        let candidates = store.tm_candidates(src, tgt, &chosen, window, FUZZY_CANDIDATES).await.expect("candidates");
        let candidated = Instant::now();
        if std::env::var("AUDARMA_BENCH_TWICE").is_ok() {
            let again = Instant::now();
            store.tm_candidates(src, tgt, &chosen, window, FUZZY_CANDIDATES).await.expect("candidates");
            println!(
                "twice: {:.2} then {:.2} ms",
                (candidated - counted).as_secs_f64() * 1000.0,
                again.elapsed().as_secs_f64() * 1000.0
            );
        }
        listed += candidates.len();
        rank_fuzzy(t, candidates, MIN, 5);
        counting.push((counted - start).as_secs_f64() * 1000.0);
        listing.push((candidated - counted).as_secs_f64() * 1000.0);
        ranking.push(candidated.elapsed().as_secs_f64() * 1000.0);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "  a lookup's parts (mean): term counts {:.2} ms, candidates {:.2} ms ({:.0} a lookup from {:.0} postings, p95 {:.0}), scoring {:.2} ms",
        mean(&counting),
        mean(&listing),
        listed as f64 / asked.len() as f64,
        mean(&postings_read),
        {
            postings_read.sort_by(f64::total_cmp);
            percentile(&postings_read, 0.95)
        },
        mean(&ranking)
    );

    if std::env::var("AUDARMA_BENCH_SCAN").is_ok_and(|v| v == "0") {
        return;
    }
    // The exhaustive scan: every unit of the pair within the length window, scored the same way.
    let scan = Instant::now();
    let (mut wanted, mut matched, mut with_matches) = (0usize, 0usize, 0usize);
    for ((p, t), ours) in asked.iter().zip(&found) {
        let scorer = Scorer::new(t);
        let (low, high) = length_window(t.split_whitespace().collect::<Vec<_>>().join(" ").chars().count() as u32, MIN);
        let mut truth: Vec<u8> = memory[*p]
            .iter()
            .filter_map(|(source, len)| if *len < low || *len > high { None } else { scorer.score(source, MIN) })
            .collect();
        truth.sort_unstable_by(|a, b| b.cmp(a));
        truth.truncate(5);
        if !truth.is_empty() {
            with_matches += 1;
        }
        wanted += truth.len();
        matched += truth.iter().enumerate().filter(|(i, &s)| ours.get(*i).is_some_and(|m| m.score >= s)).count();
    }
    println!(
        "recall@5: {:.4} ({matched} of {wanted} best units; {with_matches} of {} queries have a unit at ≥{MIN}; scan {:.0} s)",
        if wanted == 0 { 1.0 } else { matched as f64 / wanted as f64 },
        asked.len(),
        scan.elapsed().as_secs_f64()
    );

    let mut exact = Vec::new();
    for q in 0..200 {
        let p = q % PAIRS.len();
        let (src, tgt) = PAIRS[p];
        let t = memory[p][rng.below(memory[p].len())].0.clone();
        let start = Instant::now();
        let got = store.tm_exact(src, tgt, &[t]).await.expect("exact lookup");
        exact.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(got[0].is_some(), "a stored unit is found exactly");
    }
    exact.sort_by(f64::total_cmp);
    println!(
        "exact lookup, 200 stored texts: p50 {:.2} ms, p95 {:.2} ms",
        percentile(&exact, 0.5),
        percentile(&exact, 0.95)
    );
}
