//! Rendering a [`Document`] as XLIFF 1.2 (valid against the strict schema) or 2.0/2.1 (valid against
//! the core schema and the glossary and matches modules). Elements are written with [`Xml`], which
//! escapes every text and attribute value.

use crate::{base_of, original_of, Document, Options, Unit, UnitState, XliffVersion, NS_AUDARMA};
use audarma_core::TmMatch;

const NS_XLIFF12: &str = "urn:oasis:names:tc:xliff:document:1.2";
const NS_XLIFF2: &str = "urn:oasis:names:tc:xliff:document:2.0";
const NS_GLS: &str = "urn:oasis:names:tc:xliff:glossary:2.0";
const NS_MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";

/// The origin of the extra match that carries audarma's current text when targets are copies of the
/// source ([`Options::copy_source`]).
pub(crate) const CURRENT_ORIGIN: &str = "audarma-current";

/// The file, UTF-8.
pub fn write(doc: &Document, options: &Options) -> Vec<u8> {
    let mut x = Xml::default();
    x.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match options.version {
        XliffVersion::V12 => v12(&mut x, doc, options),
        XliffVersion::V20 | XliffVersion::V21 => v2(&mut x, doc, options),
    }
    x.out.into_bytes()
}

/// The target a unit is written with, its state, and the current text as an extra match (when the
/// target is a copy of the source).
fn target_of<'a>(unit: &'a Unit, options: &Options) -> (Option<&'a str>, UnitState, Option<&'a str>) {
    if options.copy_source {
        (Some(unit.source.as_str()), UnitState::Initial, unit.target.as_deref())
    } else {
        (unit.target.as_deref(), unit.state, None)
    }
}

fn v12(x: &mut Xml, doc: &Document, options: &Options) {
    x.open(0, "xliff", &[("version", "1.2"), ("xmlns", NS_XLIFF12)]);
    let original = original_of(doc.job);
    let (src, tgt) = (doc.source_lang.to_string(), doc.target_lang.to_string());
    x.open(
        1,
        "file",
        &[("original", &original), ("source-language", &src), ("target-language", &tgt), ("datatype", "plaintext")],
    );
    x.open(2, "header", &[]);
    let title = format!("release {}: {}", doc.release, doc.title);
    x.leaf(3, "note", &[("from", "audarma")], &title);
    x.close(2, "header");
    x.open(2, "body", &[]);
    for unit in &doc.units {
        let (target, state, current) = target_of(unit, options);
        let id = format!("s{}", unit.idx);
        let extradata = format!("audarma version={} base={}", unit.version, base_of(target));
        let (state, approved) = state.as_xliff12();
        let mut attrs = vec![("id", id.as_str()), ("extradata", extradata.as_str())];
        if approved && target.is_some() {
            attrs.push(("approved", "yes"));
        }
        x.open(3, "trans-unit", &attrs);
        x.leaf(4, "source", &[("xml:lang", &src)], &unit.source);
        if let Some(t) = target {
            x.leaf(4, "target", &[("xml:lang", &tgt), ("state", state)], t);
        }
        for note in &unit.notes {
            let priority = note.priority().to_string();
            let annotates = if matches!(note.kind, crate::NoteKind::Qa(_)) { "target" } else { "general" };
            x.leaf(
                4,
                "note",
                &[("from", note.origin()), ("priority", &priority), ("annotates", annotates)],
                &note.text,
            );
        }
        for term in &unit.terms {
            let text = format!("term {}: {} → {}", term.concept, term.source, term.target);
            x.leaf(4, "note", &[("from", "audarma-glossary"), ("priority", "4"), ("annotates", "source")], &text);
        }
        if let Some(c) = current {
            x.open(4, "alt-trans", &[("origin", CURRENT_ORIGIN)]);
            x.leaf(5, "source", &[("xml:lang", &src)], &unit.source);
            x.leaf(5, "target", &[("xml:lang", &tgt)], c);
            x.close(4, "alt-trans");
        }
        for m in &unit.matches {
            alt_trans(x, m, &src, &tgt);
        }
        x.close(3, "trans-unit");
    }
    x.close(2, "body");
    x.close(1, "file");
    x.close(0, "xliff");
}

fn alt_trans(x: &mut Xml, m: &TmMatch, src: &str, tgt: &str) {
    let quality = format!("{}%", m.score);
    x.open(4, "alt-trans", &[("origin", "audarma-tm"), ("match-quality", &quality)]);
    x.leaf(5, "source", &[("xml:lang", src)], &m.source);
    x.leaf(5, "target", &[("xml:lang", tgt)], &m.target);
    x.close(4, "alt-trans");
}

fn v2(x: &mut Xml, doc: &Document, options: &Options) {
    let (src, tgt) = (doc.source_lang.to_string(), doc.target_lang.to_string());
    x.open(
        0,
        "xliff",
        &[
            ("xmlns", NS_XLIFF2),
            ("xmlns:gls", NS_GLS),
            ("xmlns:mtc", NS_MTC),
            ("xmlns:aud", NS_AUDARMA),
            ("version", options.version.as_str()),
            ("srcLang", &src),
            ("trgLang", &tgt),
        ],
    );
    let original = original_of(doc.job);
    let file_id = format!("job{}", doc.job);
    x.open(1, "file", &[("id", &file_id), ("original", &original)]);
    x.open(2, "notes", &[]);
    let title = format!("release {}: {}", doc.release, doc.title);
    x.leaf(3, "note", &[("category", "audarma")], &title);
    x.close(2, "notes");
    for unit in &doc.units {
        let (target, state, current) = target_of(unit, options);
        let id = format!("s{}", unit.idx);
        let version = unit.version.to_string();
        let base = base_of(target);
        x.open(2, "unit", &[("id", &id), ("canResegment", "no"), ("aud:version", &version), ("aud:base", &base)]);
        let seg_ref = "#1";
        if current.is_some() || !unit.matches.is_empty() {
            x.open(3, "mtc:matches", &[]);
            if let Some(c) = current {
                x.open(4, "mtc:match", &[("ref", seg_ref), ("origin", CURRENT_ORIGIN), ("type", "other")]);
                x.leaf(5, "source", &[], &unit.source);
                x.leaf(5, "target", &[], c);
                x.close(4, "mtc:match");
            }
            for m in &unit.matches {
                let quality = format!("{}", m.score);
                x.open(
                    4,
                    "mtc:match",
                    &[("ref", seg_ref), ("matchQuality", &quality), ("origin", "audarma-tm"), ("type", "tm")],
                );
                x.leaf(5, "source", &[], &m.source);
                x.leaf(5, "target", &[], &m.target);
                x.close(4, "mtc:match");
            }
            x.close(3, "mtc:matches");
        }
        if !unit.terms.is_empty() {
            x.open(3, "gls:glossary", &[]);
            for term in &unit.terms {
                x.open(4, "gls:glossEntry", &[]);
                x.leaf(5, "gls:term", &[("source", &format!("audarma-glossary:{}", term.concept))], &term.source);
                x.leaf(5, "gls:translation", &[], &term.target);
                x.close(4, "gls:glossEntry");
            }
            x.close(3, "gls:glossary");
        }
        if !unit.notes.is_empty() {
            x.open(3, "notes", &[]);
            for note in &unit.notes {
                let priority = note.priority().to_string();
                let mut attrs = vec![("category", note.origin()), ("priority", priority.as_str())];
                if matches!(note.kind, crate::NoteKind::Qa(_)) {
                    attrs.push(("appliesTo", "target"));
                }
                x.leaf(4, "note", &attrs, &note.text);
            }
            x.close(3, "notes");
        }
        x.open(3, "segment", &[("id", "1"), ("state", state.as_xliff2())]);
        x.leaf(4, "source", &[], &unit.source);
        if let Some(t) = target {
            x.leaf(4, "target", &[], t);
        }
        x.close(3, "segment");
        x.close(2, "unit");
    }
    x.close(1, "file");
    x.close(0, "xliff");
}

/// An indented XML writer; texts and attribute values escaped.
#[derive(Default)]
struct Xml {
    out: String,
}

impl Xml {
    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape(&mut self.out, v, true);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn open(&mut self, level: usize, name: &str, attrs: &[(&str, &str)]) {
        self.indent(level);
        self.start(name, attrs);
        self.out.push('\n');
    }

    fn close(&mut self, level: usize, name: &str) {
        self.indent(level);
        self.end(name);
        self.out.push('\n');
    }

    /// An element holding only text, on one line (the text itself is never reflowed).
    fn leaf(&mut self, level: usize, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent(level);
        self.start(name, attrs);
        escape(&mut self.out, text, false);
        self.end(name);
        self.out.push('\n');
    }
}

fn escape(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}
