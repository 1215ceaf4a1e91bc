//! Translation memory on the command line: importing units from TMX (`audarma_tmx`, streamed) or
//! TSV (`audarma_store::tm_tsv`), and exporting the memory as TMX (one file per language pair) or TSV,
//! page by page (`Store::tm_units`), so neither direction holds the whole memory.

use super::{open, read_text, Cli, Exit};
use crate::atomic;
use crate::output::json;
use audarma_core::Lang;
use audarma_store::{tm_key, Store, TmUnit};
use audarma_tmx::Skip;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Subcommand, ValueEnum};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum TmCmd {
    /// Import translation units from a TMX file (1.1–1.4; UTF-8, UTF-16 or a declared encoding; any
    /// size) or a TSV file (header `source_lang  target_lang  source  target`). Units already in the
    /// memory are skipped, so importing a file again adds nothing; a source the memory already
    /// translates otherwise is reported as a conflict, and both are kept. The whole file is checked
    /// before anything is stored.
    Import {
        file: PathBuf,
        /// The file's format; by default TSV for a `.tsv` file, else TMX.
        #[arg(long, value_enum)]
        format: Option<TmFormat>,
    },
    /// Write the memory out, one file per language pair (`memory.SRC-TGT.tmx`): TMX 1.4b with each
    /// unit's date and author, source first; or TSV.
    Export {
        #[arg(long, value_enum, default_value = "tmx")]
        format: TmFormat,
        /// Only this pair, as `en-kk`.
        #[arg(long, value_parser = parse_pair)]
        pair: Option<(Lang, Lang)>,
        /// Only units made on or after this day (`2026-01-31`) or moment (RFC 3339).
        #[arg(long, value_parser = parse_since)]
        since: Option<DateTime<Utc>>,
        /// A directory; with --pair, a file name ending in the format's extension also does.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TmFormat {
    Tmx,
    Tsv,
}

impl TmFormat {
    fn extension(self) -> &'static str {
        match self {
            TmFormat::Tmx => "tmx",
            TmFormat::Tsv => "tsv",
        }
    }
}

fn parse_pair(s: &str) -> Result<(Lang, Lang), String> {
    let bad = || format!("{s:?} is not a language pair such as en-kk");
    let (a, b) = s.split_once(['-', '>', ':']).ok_or_else(bad)?;
    let (a, b): (Lang, Lang) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if a == b {
        return Err(bad());
    }
    Ok((a, b))
}

/// A day (`2026-01-31`, its start in UTC) or an RFC 3339 moment, for `--since` and `--until`.
pub(super) fn parse_since(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| format!("{s:?} is neither a day (2026-01-31) nor a moment (2026-01-31T09:00:00Z)"))
}

const BATCH: usize = 2000;
const EXAMPLES: usize = 20;

/// What an import did.
#[derive(Debug, Default, serde::Serialize)]
struct Report {
    file: PathBuf,
    format: &'static str,
    /// `<tu>`s (TMX) or lines (TSV) read.
    read: u64,
    /// Units (one per language pair of a `<tu>`) offered to the memory.
    units: u64,
    added: u64,
    /// Units the memory had already (or the file repeated).
    duplicates: u64,
    conflicts: u64,
    /// The first conflicts, to look at.
    conflict_examples: Vec<ConflictExample>,
    /// Why parts of `<tu>`s gave no unit, with how often.
    skipped: Vec<(String, u64)>,
    /// `<tu>`s whose segments held inline codes (left out of the text).
    with_codes: u64,
}

#[derive(Debug, serde::Serialize)]
struct ConflictExample {
    /// The line of the `<tu>` (TMX).
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    pair: String,
    source: String,
    memory: String,
    file: String,
}

pub(super) async fn import(cli: &Cli, file: &Path, format: Option<TmFormat>) -> Result<(), Exit> {
    let format = format.unwrap_or(if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")) {
        TmFormat::Tsv
    } else {
        TmFormat::Tmx
    });
    let report = match format {
        TmFormat::Tsv => import_tsv(cli, file).await?,
        TmFormat::Tmx => import_tmx(cli, file).await?,
    };
    if cli.json {
        json(&report);
    } else {
        print_report(&report);
    }
    Ok(())
}

async fn import_tsv(cli: &Cli, file: &Path) -> Result<Report, Exit> {
    let units = audarma_store::tm_tsv::parse(file, &read_text(file)?).map_err(Exit::input)?;
    let store = open(cli).await?;
    let mut report = Report { file: file.to_path_buf(), format: "tsv", read: units.len() as u64, ..Report::default() };
    let mut import = Import::new(store.as_ref(), origin(file), &mut report);
    for u in units {
        import.push(None, u).await?;
    }
    import.finish().await?;
    Ok(report)
}

fn origin(file: &Path) -> String {
    format!("import:{}", file.file_name().and_then(|n| n.to_str()).unwrap_or("memory"))
}

fn tmx_reader(file: &Path) -> Result<audarma_tmx::Reader<Box<dyn std::io::BufRead + Send>>, Exit> {
    let f = std::fs::File::open(file).map_err(|e| Exit::input(format!("{}: cannot read: {e}", file.display())))?;
    let input = audarma_tmx::decoded(f).map_err(|e| Exit::input(format!("{}: cannot read: {e}", file.display())))?;
    audarma_tmx::Reader::new(input).map_err(|e| Exit::input(format!("{}: {e}", file.display())))
}

async fn import_tmx(cli: &Cli, file: &Path) -> Result<Report, Exit> {
    let bad = |e: audarma_tmx::TmxError| Exit::input(format!("{}: {e}; nothing was imported", file.display()));
    // The whole file is read once before anything is stored: a file broken at its millionth unit
    // is refused whole, not imported in part.
    let mut check = tmx_reader(file)?;
    while check.next_tu().map_err(bad)?.is_some() {}
    drop(check);

    let store = open(cli).await?;
    let mut reader = tmx_reader(file)?;
    let srclang = reader.header().srclang.clone();
    let mut report = Report { file: file.to_path_buf(), format: "tmx", ..Report::default() };
    let mut skipped: BTreeMap<Skip, u64> = BTreeMap::new();
    let mut with_codes = 0;
    let mut import = Import::new(store.as_ref(), origin(file), &mut report);
    let mut read = 0;
    while let Some(tu) = reader.next_tu().map_err(bad)? {
        read += 1;
        with_codes += u64::from(tu.variants.iter().any(|v| v.codes));
        let got = audarma_tmx::units(&tu, &srclang);
        for s in got.skipped {
            *skipped.entry(s).or_default() += 1;
        }
        for u in got.units {
            import.push(Some(tu.line), u).await?;
        }
    }
    import.finish().await?;
    report.read = read;
    report.with_codes = with_codes;
    report.skipped = skipped.into_iter().map(|(s, n)| (s.to_string(), n)).collect();
    Ok(report)
}

/// Units going into the memory in batches, each batch checked for conflicts first.
struct Import<'a> {
    store: &'a dyn Store,
    origin: String,
    report: &'a mut Report,
    batch: Vec<(Option<usize>, TmUnit)>,
}

impl<'a> Import<'a> {
    fn new(store: &'a dyn Store, origin: String, report: &'a mut Report) -> Import<'a> {
        Import { store, origin, report, batch: Vec::with_capacity(BATCH) }
    }

    async fn push(&mut self, line: Option<usize>, unit: TmUnit) -> Result<(), Exit> {
        self.batch.push((line, unit));
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// The last batch, then the word index of everything stored (fuzzy lookups find the units from now).
    async fn finish(mut self) -> Result<(), Exit> {
        self.flush().await?;
        self.store.tm_index_pending().await?;
        Ok(())
    }

    /// A conflict is a unit whose source the memory (or this batch, before it) translates otherwise:
    /// both translations are kept, and an exact match takes the newer by date.
    async fn flush(&mut self) -> Result<(), Exit> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut pairs: BTreeMap<(Lang, Lang), Vec<usize>> = BTreeMap::new();
        for (i, (_, u)) in self.batch.iter().enumerate() {
            pairs.entry((u.source_lang, u.target_lang)).or_default().push(i);
        }
        for ((s, t), idx) in pairs {
            let sources: Vec<String> = idx.iter().map(|&i| self.batch[i].1.source.clone()).collect();
            let known = self.store.tm_exact(s, t, &sources).await?;
            let mut seen: HashMap<String, String> = HashMap::new();
            for (&i, memory) in idx.iter().zip(known) {
                let (line, u) = &self.batch[i];
                let key = tm_key(&u.source);
                let target = tm_key(&u.target);
                let before = seen.get(&key).cloned().or(memory);
                if let Some(before) = before.filter(|b| tm_key(b) != target) {
                    self.report.conflicts += 1;
                    if self.report.conflict_examples.len() < EXAMPLES {
                        self.report.conflict_examples.push(ConflictExample {
                            line: *line,
                            pair: format!("{}-{}", s.code(), t.code()),
                            source: u.source.clone(),
                            memory: before,
                            file: u.target.clone(),
                        });
                    }
                }
                seen.entry(key).or_insert_with(|| u.target.clone());
            }
        }
        let units: Vec<TmUnit> = self.batch.drain(..).map(|(_, u)| u).collect();
        let added = self.store.tm_add_bulk(&units, &self.origin).await?;
        self.report.units += units.len() as u64;
        self.report.added += added;
        self.report.duplicates += units.len() as u64 - added;
        Ok(())
    }
}

fn print_report(r: &Report) {
    let what = if r.format == "tmx" { "translation unit(s)" } else { "line(s)" };
    println!(
        "{}: {} {what} read, {} unit(s): {} new, {} already in the memory (or repeated in the file)",
        r.file.display(),
        r.read,
        r.units,
        r.added,
        r.duplicates
    );
    if r.conflicts > 0 {
        println!(
            "  {} conflict(s): a source the memory already translates otherwise (both kept; an exact match takes the newer by date):",
            r.conflicts
        );
        for c in &r.conflict_examples {
            let at = c.line.map(|l| format!("line {l}, ")).unwrap_or_default();
            println!("    {at}{}: {:?}\n      memory: {:?}\n      file:   {:?}", c.pair, c.source, c.memory, c.file);
        }
        if r.conflicts as usize > r.conflict_examples.len() {
            println!("    … and {} more", r.conflicts as usize - r.conflict_examples.len());
        }
    }
    for (why, n) in &r.skipped {
        println!("  skipped {n} × {why}");
    }
    if r.with_codes > 0 {
        println!(
            "  {} translation unit(s) held inline codes (formatting of the tool that wrote the file): left out of the text",
            r.with_codes
        );
    }
}

const PAGE: u32 = 5000;

#[derive(serde::Serialize)]
struct Written {
    file: PathBuf,
    pair: String,
    units: u64,
}

pub(super) async fn export(
    cli: &Cli,
    format: TmFormat,
    pair: Option<(Lang, Lang)>,
    since: Option<DateTime<Utc>>,
    out: &Path,
) -> Result<(), Exit> {
    let single_file = pair.is_some() && out.extension().is_some_and(|e| e.eq_ignore_ascii_case(format.extension()));
    if !single_file {
        std::fs::create_dir_all(out).map_err(|e| Exit::input(format!("{}: cannot create: {e}", out.display())))?;
    }
    let store = open(cli).await?;
    let pairs: Vec<(Lang, Lang)> = match pair {
        Some(p) => vec![p],
        None => Lang::ALL.iter().flat_map(|&s| s.others().map(move |t| (s, t))).collect(),
    };
    let mut written = Vec::new();
    for (s, t) in pairs {
        let path = if single_file {
            out.to_path_buf()
        } else {
            out.join(format!("memory.{}-{}.{}", s.code(), t.code(), format.extension()))
        };
        let units = export_pair(store.as_ref(), format, (s, t), since, &path, pair.is_some()).await?;
        if let Some(units) = units {
            written.push(Written { file: path, pair: format!("{}-{}", s.code(), t.code()), units });
        }
    }
    if cli.json {
        json(&serde_json::json!({ "written": written }));
    } else if written.is_empty() {
        println!(
            "the memory has no units to export{}",
            since.map(|d| format!(" since {}", d.to_rfc3339())).unwrap_or_default()
        );
    } else {
        for w in &written {
            println!("{}: {} unit(s), {}", w.file.display(), w.units, w.pair);
        }
    }
    Ok(())
}

/// Writes one pair's file (when it has units, or when the pair was asked for); how many units.
async fn export_pair(
    store: &dyn Store,
    format: TmFormat,
    (s, t): (Lang, Lang),
    since: Option<DateTime<Utc>>,
    path: &Path,
    asked: bool,
) -> Result<Option<u64>, Exit> {
    let mut page = store.tm_units(Some((s, t)), since, 0, PAGE).await?;
    if page.is_empty() && !asked {
        return Ok(None);
    }
    let file = atomic::Pending::create(path).map_err(Exit::internal)?;
    let fail = |e: std::io::Error| Exit::internal(format!("{}: cannot write: {e}", path.display()));
    let mut out = Out::new(format, file, s, t).map_err(fail)?;
    let mut units = 0u64;
    while let Some((last, _)) = page.last() {
        let after = *last;
        for (id, u) in &page {
            out.unit(u).map_err(|e| {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    Exit::input(format!("memory unit {id}: {e}; {} not written", path.display()))
                } else {
                    fail(e)
                }
            })?;
            units += 1;
        }
        page = store.tm_units(Some((s, t)), since, after, PAGE).await?;
    }
    out.finish().map_err(fail)?.commit().map_err(Exit::internal)?;
    Ok(Some(units))
}

enum Out {
    Tmx(audarma_tmx::Writer<atomic::Pending>),
    Tsv(atomic::Pending),
}

impl Out {
    fn new(format: TmFormat, mut file: atomic::Pending, s: Lang, t: Lang) -> std::io::Result<Out> {
        Ok(match format {
            TmFormat::Tmx => Out::Tmx(audarma_tmx::Writer::new(file, s, t, env!("CARGO_PKG_VERSION"))?),
            TmFormat::Tsv => {
                file.write_all(b"source_lang\ttarget_lang\tsource\ttarget\n")?;
                Out::Tsv(file)
            }
        })
    }

    fn unit(&mut self, u: &TmUnit) -> std::io::Result<()> {
        match self {
            Out::Tmx(w) => w.unit(u),
            Out::Tsv(f) => {
                if [&u.source, &u.target].iter().any(|x| x.contains(['\t', '\n', '\r'])) {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "holds a tab or a line break, which TSV cannot carry (export as TMX)",
                    ));
                }
                writeln!(f, "{}\t{}\t{}\t{}", u.source_lang.code(), u.target_lang.code(), u.source, u.target)
            }
        }
    }

    fn finish(self) -> std::io::Result<atomic::Pending> {
        match self {
            Out::Tmx(w) => w.finish(),
            Out::Tsv(mut f) => {
                f.flush()?;
                Ok(f)
            }
        }
    }
}
