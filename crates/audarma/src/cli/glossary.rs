//! Glossary files on the command line: lint, finding terms in lines, export to TBX/CSV/TSV and import
//! from them into a glossary TOML file.

use super::{read_lines, read_text, AlignedArgs, Cli, Exit, GlossaryArgs};
use crate::atomic;
use crate::output::json;
use audarma_core::Lang;
use audarma_glossary::{exchange, Format, Glossary, LoadError, Matcher, Problem};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum GlossaryCmd {
    /// Check glossary files; prints `file:line: message` per problem and exits 1 if there are any.
    Lint { paths: Vec<PathBuf> },
    /// Judge translated lines against the glossary: ok, missing, forbidden or outdated per term.
    Verify {
        #[command(flatten)]
        pair: AlignedArgs,
    },
    /// Find glossary terms in each line of a file.
    Match {
        #[arg(long)]
        lang: Lang,
        #[command(flatten)]
        glossary: GlossaryArgs,
        file: PathBuf,
    },
    /// Write the glossary as TBX, CSV or TSV for terminology tools and spreadsheets (to stdout, or --out).
    Export {
        /// tbx (TBX-Basic), csv or tsv.
        #[arg(long)]
        format: Format,
        #[command(flatten)]
        glossary: GlossaryArgs,
        /// Write to this file (under a temporary name, then renamed) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read a TBX, CSV or TSV glossary into a glossary TOML file; nothing is written unless it passes lint.
    Import {
        /// tbx (TBX-Basic, or TBX 2008), csv or tsv.
        #[arg(long)]
        format: Format,
        file: PathBuf,
        /// The glossary file to write, e.g. glossaries/imported.toml.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
        /// Glossary files or directories the import joins (repeatable): lint checks the imported
        /// concepts against them too (duplicate ids, one term naming two concepts).
        #[arg(long = "glossary", value_name = "PATH")]
        with: Vec<PathBuf>,
    },
}

pub(super) fn lint(cli: &Cli, paths: &[PathBuf]) -> Result<(), Exit> {
    let paths = if paths.is_empty() { vec![PathBuf::from("glossaries")] } else { paths.to_vec() };
    let (g, mut problems) = Glossary::load_lenient(&paths);
    problems.extend(audarma_glossary::lint(&g));
    if cli.json {
        json(&serde_json::json!({ "concepts": g.len(), "problems": problems }));
    } else {
        for p in &problems {
            println!("{p}");
        }
        if problems.is_empty() {
            eprintln!("{} concepts, no problems", g.len());
        } else {
            eprintln!("{} concepts, {} problem(s)", g.len(), problems.len());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Exit::problems())
    }
}

pub(super) fn export(cli: &Cli, format: Format, args: &GlossaryArgs, out: Option<&Path>) -> Result<(), Exit> {
    let g = args.load()?;
    let text = exchange::export(&g, format).map_err(Exit::input)?;
    match out {
        Some(path) => {
            atomic::write(path, text.as_bytes()).map_err(Exit::input)?;
            if cli.json {
                json(&serde_json::json!({ "format": format, "concepts": g.len(), "out": path }));
            } else {
                eprintln!("{} concepts written to {} ({format})", g.len(), path.display());
            }
        }
        None if cli.json => json(&serde_json::json!({ "format": format, "concepts": g.len(), "content": text })),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                // The reader stopped early (`| head`): not a failure of the export.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r.map_err(|e| Exit::internal(format!("stdout: {e}")))?,
            }
        }
    }
    Ok(())
}

/// Import problems: one `file:line: message` each (or `--json`), exit 2, nothing written.
fn refuse_import(cli: &Cli, file: &Path, problems: Vec<Problem>) -> Exit {
    if cli.json {
        json(&serde_json::json!({ "file": file, "imported": false, "problems": problems }));
        Exit::input("")
    } else {
        let n = problems.len();
        Exit::input(format!("{}: not imported, {n} problem(s):\n{}", file.display(), LoadError(problems)))
    }
}

pub(super) fn import(
    cli: &Cli,
    format: Format,
    file: &Path,
    out: &Path,
    force: bool,
    with: &[PathBuf],
) -> Result<(), Exit> {
    if out.extension().is_none_or(|e| e != "toml") {
        return Err(Exit::input(format!(
            "{}: --out must be a .toml file (glossaries are read from .toml files)",
            out.display()
        )));
    }
    if out.exists() && !force {
        return Err(Exit::input(format!("{}: already exists (--force replaces it)", out.display())));
    }
    let text = read_text(file)?;
    let imported = exchange::import(file, &text, format).map_err(|e| refuse_import(cli, file, e.0))?;
    // Lint the import beside the glossaries it joins (without the file it replaces); keep what concerns it.
    let (mut joined, load_problems) = Glossary::load_lenient(with);
    if let Some(p) = load_problems.first() {
        return Err(Exit::input(format!("--glossary: {p}")));
    }
    let replaced = std::fs::canonicalize(out).ok();
    joined.concepts.retain(|c| replaced.is_none() || std::fs::canonicalize(&c.file).ok() != replaced);
    joined.concepts.extend(imported.concepts.iter().cloned());
    let problems: Vec<Problem> = audarma_glossary::lint(&joined).into_iter().filter(|p| p.file == file).collect();
    if !problems.is_empty() {
        return Err(refuse_import(cli, file, problems));
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let toml = exchange::to_toml(&imported, &format!("Imported from {name} ({format}) by `audarma glossary import`."));
    // What is written must read back as it was imported.
    let mut check = Glossary::default();
    let mut reread = Vec::new();
    check.parse_file(out, &toml, &mut reread);
    if !reread.is_empty() || check.len() != imported.len() {
        return Err(Exit::internal(format!(
            "{}: the TOML written does not read back: {}",
            out.display(),
            LoadError(reread)
        )));
    }
    if out.exists() && !force {
        return Err(Exit::input(format!("{}: already exists (--force replaces it)", out.display())));
    }
    atomic::write(out, toml.as_bytes()).map_err(Exit::input)?;
    if cli.json {
        json(
            &serde_json::json!({ "file": file, "format": format, "imported": true, "concepts": imported.len(), "out": out }),
        );
    } else {
        eprintln!("{} concepts imported from {} into {}", imported.len(), file.display(), out.display());
    }
    Ok(())
}

pub(super) fn match_terms(cli: &Cli, lang: Lang, args: &GlossaryArgs, file: &Path) -> Result<(), Exit> {
    let g = args.load()?;
    let m = Matcher::new(&g, lang);
    let mut matches = Vec::new();
    for (i, line) in read_lines(file)?.iter().enumerate() {
        for t in m.find_in(&g, line) {
            let start = line[..t.start].chars().count();
            let end = start + t.text.chars().count();
            if !cli.json {
                println!(
                    "{}:{}-{}: {} {:?}{}",
                    i + 1,
                    start,
                    end,
                    t.id,
                    t.text,
                    if t.forbidden { " (forbidden)" } else { "" }
                );
            }
            matches.push(serde_json::json!({ "line": i + 1, "id": t.id, "text": t.text, "start": start, "end": end, "forbidden": t.forbidden }));
        }
    }
    if cli.json {
        json(&serde_json::json!({ "matches": matches }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // Fixture files, not published output.
    #![allow(clippy::disallowed_methods)]
    #![allow(clippy::unwrap_used)]
    use super::super::dispatch;
    use super::*;
    use audarma_glossary::lint;
    use clap::Parser;

    fn run(args: &[&str]) -> Result<(), Exit> {
        let cli = Cli::try_parse_from(std::iter::once("audarma").chain(args.iter().copied())).unwrap();
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(dispatch(cli))
    }

    #[test]
    fn glossary_export_then_import_gives_a_lint_clean_file() {
        let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../glossaries");
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
        let (g, out) = (Glossary::load(&[PathBuf::from(shipped)]).unwrap(), path("imported.toml"));
        for format in ["tbx", "csv", "tsv"] {
            let sheet = path(&format!("g.{format}"));
            run(&["glossary", "export", "--format", format, "--glossary", shipped, "--out", &sheet]).unwrap();
            run(&["glossary", "import", "--format", format, &sheet, "--out", &out, "--force"]).unwrap();
            let back = Glossary::load(&[PathBuf::from(&out)]).unwrap();
            assert_eq!(back.len(), g.len(), "{format}");
            assert!(lint(&back).is_empty(), "{format}: {:?}", lint(&back));
            assert_eq!(back.version(), g.version(), "{format}: the glossary version changed");
        }
        let e = run(&["glossary", "import", "--format", "tsv", &path("g.tsv"), "--out", &out]).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains("already exists (--force replaces it)"), "{}", e.message);
        // Joining the glossary it came from: every id is a duplicate, so nothing is written.
        let joined = path("joined.toml");
        let e =
            run(&["glossary", "import", "--format", "tsv", &path("g.tsv"), "--out", &joined, "--glossary", shipped])
                .unwrap_err();
        assert!(e.message.contains("g.tsv:2: duplicate id"), "{}", e.message);
        assert!(!Path::new(&joined).exists());
        let e = run(&["glossary", "import", "--format", "csv", &path("g.csv"), "--out", &path("x.csv")]).unwrap_err();
        assert!(e.message.contains("--out must be a .toml file"), "{}", e.message);
    }

    #[test]
    fn glossary_import_names_the_file_line_and_column_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("sheet.csv");
        std::fs::write(&sheet, "id,en,kk,ru,domain\nok,A,Ә,А,\nbad,B,Б,Б,x\\y\n").unwrap();
        let out = dir.path().join("out.toml");
        let e =
            run(&["glossary", "import", "--format", "csv", sheet.to_str().unwrap(), "--out", out.to_str().unwrap()])
                .unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains("sheet.csv:3: column domain: `\\y` is not an escape"), "{}", e.message);
        assert!(!out.exists());
    }
}
