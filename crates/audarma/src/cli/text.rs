//! The text tools on the command line: detecting the language of a text and splitting it into sentences.

use super::{read_input, Cli, Exit};
use crate::output::json;
use audarma_core::Lang;
use std::io::Write;
use std::path::PathBuf;

pub(super) fn detect(cli: &Cli, file: &Option<PathBuf>) -> Result<(), Exit> {
    let text = read_input(file)?;
    let d = audarma_text::detector()
        .detect(&text)
        .ok_or_else(|| Exit::input("no language could be detected (no letters?)"))?;
    if cli.json {
        json(&serde_json::json!({ "lang": d.lang, "confidence": (d.confidence * 100.0).round() / 100.0 }));
    } else {
        println!("{} {:.2}", d.lang, d.confidence);
    }
    Ok(())
}

pub(super) fn segment(cli: &Cli, file: &Option<PathBuf>, lang: Option<Lang>) -> Result<(), Exit> {
    let text = audarma_text::normalize(&read_input(file)?);
    let lang = match lang {
        Some(l) => l,
        None => audarma_text::detector()
            .detect(&text)
            .map(|d| d.lang)
            .ok_or_else(|| Exit::input("cannot tell the language; pass --lang"))?,
    };
    let sentences: Vec<String> =
        audarma_text::paragraphs(&text).iter().flat_map(|p| audarma_text::segment(p, lang)).collect();
    // One buffered, locked stdout for the whole output: `println!` per sentence (or one
    // serde_json::Value of the whole text) cost more than segmenting it (BENCHMARKS.md §9).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if cli.json {
        crate::output::write_sentences_json(&mut out, lang.code(), &sentences)
    } else {
        sentences.iter().try_for_each(|s| writeln!(out, "{s}"))
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // `audarma segment … | head`: the reader stopped reading; end quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Exit::internal(format!("cannot write to stdout: {e}"))),
    }
}
