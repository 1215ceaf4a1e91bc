//! TBX-Basic (ISO 30042:2019, TBX v3, DCA style): one `<conceptEntry>` per concept, one `<langSec>` per
//! language, one `<termSec>` per term with its `administrativeStatus` (preferred, admitted, deprecated for
//! forbidden terms). audarma's own fields go in `<admin type="x-audarma-…">` at the concept level, but
//! for `alternatives`, which are `<ref type="crossReference" target="…">` (an `<admin
//! type="x-audarma-alternative">` for an id the exported glossary does not hold: a dangling IDREF would
//! not validate), and exclusions, which are `<admin type="x-audarma-exclusion">` in their `<langSec>`
//! (not a `<termSec>`: other tools would take them for terms), as are `kk-Latn` forms, `<admin
//! type="x-audarma-kk-latn">` in the Kazakh `<langSec>`.
//!
//! Import also reads TBX 2008 (`<martif>`, `<termEntry>`, `<langSet>`, `<tig>`/`<ntig>`), takes a
//! `supersededTerm-admn-sts` term as forbidden and a term without a status as admitted, and ignores
//! data categories audarma has no field for (definitions, contexts, notes below the concept, …).

use super::{format_holding, parse_bool, parse_date, parse_holding, problem, Draft, ValueError};
use crate::{Concept, Glossary, LoadError, Problem};
use audarma_core::Lang;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::fmt::Write as _;
use std::path::Path;

pub const PREFERRED: &str = "preferredTerm-admn-sts";
pub const ADMITTED: &str = "admittedTerm-admn-sts";
pub const DEPRECATED: &str = "deprecatedTerm-admn-sts";
pub const SUPERSEDED: &str = "supersededTerm-admn-sts";

/// `<admin type>` values for audarma's fields that TBX has no data category for.
pub const ADMIN_CASE_SENSITIVE: &str = "x-audarma-case-sensitive";
pub const ADMIN_DNT: &str = "x-audarma-dnt";
pub const ADMIN_VALID_FROM: &str = "x-audarma-valid-from";
pub const ADMIN_VALID_UNTIL: &str = "x-audarma-valid-until";
pub const ADMIN_LINT_ALLOW: &str = "x-audarma-lint-allow";
pub const ADMIN_VERBATIM: &str = "x-audarma-verbatim";
pub const ADMIN_AMBIGUOUS: &str = "x-audarma-ambiguous";
/// An alternative whose concept the exported glossary does not hold (others are crossReferences).
pub const ADMIN_ALTERNATIVE: &str = "x-audarma-alternative";
/// One holding, as `id from..until` (see [`super::format_holding`]).
pub const ADMIN_HOLDS: &str = "x-audarma-holds";
/// One exclusion, in the `<langSec>` of its language.
pub const ADMIN_EXCLUSION: &str = "x-audarma-exclusion";
/// One `kk-Latn` form, in the Kazakh `<langSec>`, in the order of the Kazakh terms.
pub const ADMIN_LATIN: &str = "x-audarma-kk-latn";
pub const CROSS_REFERENCE: &str = "crossReference";

/// Escapes text for element content and attribute values: the markup characters, and CR, tab and LF
/// as character references so no XML parser normalises them away.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Attribute values also keep tabs and line breaks (parsers turn them into spaces otherwise).
fn esc_attr(s: &str) -> String {
    esc(s).replace('\t', "&#9;").replace('\n', "&#10;")
}

/// Characters XML 1.0 cannot carry at all, not even as a reference.
fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `s` is an XML name without a colon (the type of `id` attributes).
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '\u{b7}'))
}

/// The `id` attribute for a concept id: an XML ID cannot start with a digit, so `2030-agenda` is written
/// `_2030-agenda` (audarma ids never hold `_`; import removes it).
fn xml_id(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{id}")
    } else {
        id.to_string()
    }
}

fn concept_id(xml_id: &str) -> String {
    match xml_id.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => xml_id.to_string(),
    }
}

pub(super) fn export(g: &Glossary) -> Result<String, LoadError> {
    let mut problems = Vec::new();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n\
         \x20 <tbxHeader>\n\
         \x20   <fileDesc>\n\
         \x20     <sourceDesc>\n\
         \x20       <p>audarma glossary</p>\n\
         \x20     </sourceDesc>\n\
         \x20   </fileDesc>\n\
         \x20 </tbxHeader>\n\
         \x20 <text>\n",
    );
    // TBX requires at least one entry in a <body>; an empty glossary has none.
    if !g.concepts.is_empty() {
        out.push_str("    <body>\n");
    }
    for c in &g.concepts {
        let mut bad = |message: String| {
            problems.push(Problem {
                file: c.file.clone(),
                line: c.line,
                message: format!("concept `{}`: {message}", c.id),
            })
        };
        if !is_ncname(&xml_id(&c.id)) {
            bad("the id is not a valid XML ID (letters, digits, `-`, `.`)".into());
        }
        let check = |field: &str, value: &str, bad: &mut dyn FnMut(String)| {
            if let Some(ch) = value.chars().find(|c| xml_forbidden(*c)) {
                bad(format!("{field} {value:?} holds U+{:04X}, which XML cannot carry", ch as u32));
            }
        };
        let _ = writeln!(out, "      <conceptEntry id=\"{}\">", esc_attr(&xml_id(&c.id)));
        for d in &c.domain {
            check("domain", d, &mut bad);
            let _ = writeln!(out, "        <descrip type=\"subjectField\">{}</descrip>", esc(d));
        }
        if let Some(note) = c.note.as_deref().filter(|n| !n.is_empty()) {
            check("note", note, &mut bad);
            let _ = writeln!(out, "        <note>{}</note>", esc(note));
        }
        let mut admin = |kind: &str, value: &str| {
            let _ = writeln!(out, "        <admin type=\"{kind}\">{}</admin>", esc(value));
        };
        if let Some(cs) = c.case_sensitive {
            admin(ADMIN_CASE_SENSITIVE, &cs.to_string());
        }
        if c.dnt {
            admin(ADMIN_DNT, "true");
        }
        if let Some(from) = c.valid.and_then(|v| v.from) {
            admin(ADMIN_VALID_FROM, &from.to_string());
        }
        if let Some(until) = c.valid.and_then(|v| v.until) {
            admin(ADMIN_VALID_UNTIL, &until.to_string());
        }
        for a in &c.lint_allow {
            check("lint_allow", a, &mut bad);
            admin(ADMIN_LINT_ALLOW, a);
        }
        if c.verbatim {
            admin(ADMIN_VERBATIM, "true");
        }
        if c.ambiguous {
            admin(ADMIN_AMBIGUOUS, "true");
        }
        for h in &c.holds {
            check("holds", &h.id, &mut bad);
            admin(ADMIN_HOLDS, &format_holding(h));
        }
        for a in &c.alternatives {
            check("alternatives", a, &mut bad);
            if g.get(a).is_some() && is_ncname(&xml_id(a)) {
                let _ = writeln!(
                    out,
                    "        <ref type=\"{CROSS_REFERENCE}\" target=\"{}\">{}</ref>",
                    esc_attr(&xml_id(a)),
                    esc(a)
                );
            } else {
                let _ = writeln!(out, "        <admin type=\"{ADMIN_ALTERNATIVE}\">{}</admin>", esc(a));
            }
        }
        for lang in Lang::ALL {
            let terms = c.terms(lang).iter().enumerate().map(|(i, t)| (t, if i == 0 { PREFERRED } else { ADMITTED }));
            let forbidden = c.forbidden(lang).iter().map(|t| (t, DEPRECATED));
            let all: Vec<_> = terms.chain(forbidden).collect();
            if all.is_empty() {
                continue;
            }
            let _ = writeln!(out, "        <langSec xml:lang=\"{}\">", lang.code());
            for x in c.excluded(lang) {
                check(&format!("{lang} exclusion"), x, &mut bad);
                let _ = writeln!(out, "          <admin type=\"{ADMIN_EXCLUSION}\">{}</admin>", esc(x));
            }
            if lang == Lang::Kk {
                for x in &c.kk_latn {
                    check("kk-Latn form", x, &mut bad);
                    let _ = writeln!(out, "          <admin type=\"{ADMIN_LATIN}\">{}</admin>", esc(x));
                }
            }
            for (term, status) in all {
                check(&format!("{lang} term"), term, &mut bad);
                let _ = writeln!(
                    out,
                    "          <termSec>\n            <term>{}</term>\n            \
                     <termNote type=\"administrativeStatus\">{status}</termNote>\n          </termSec>",
                    esc(term)
                );
            }
            out.push_str("        </langSec>\n");
        }
        out.push_str("      </conceptEntry>\n");
    }
    if !g.concepts.is_empty() {
        out.push_str("    </body>\n");
    }
    out.push_str("  </text>\n</tbx>\n");
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(LoadError(problems))
    }
}

/// What the text of the element being read becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Term,
    Status,
    Subject,
    Note,
    Admin(String),
    /// An `<admin>` in a `<langSec>` (the language `None` if the section's is bad).
    LangAdmin(String, Option<Lang>),
    /// A `<ref type="crossReference">` and its `target`.
    CrossRef(Option<String>),
}

struct Capture {
    field: Field,
    /// Depth of the element whose text this is; its end closes the capture.
    depth: usize,
    line: usize,
    text: String,
}

struct Entry {
    /// `None` after a problem with the id (the entry is read on, for more problems, and dropped).
    id: Option<String>,
    tag: String,
    line: usize,
    draft: Draft,
    notes: Vec<String>,
    valid_from: Option<usize>,
    valid_until: Option<usize>,
}

struct TermSec {
    tag: String,
    line: usize,
    term: Option<String>,
    status: Option<(String, usize)>,
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| match a.unescape_value() {
        Ok(v) => v.into_owned(),
        Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
    })
}

/// Line numbers of byte offsets read in increasing order, counted incrementally.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, byte: u64) -> usize {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        if byte < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..byte].iter().filter(|b| **b == b'\n').count();
        self.pos = byte;
        self.line
    }
}

/// XML line-end handling (CR LF and lone CR read as LF), then references resolved.
fn text_of(raw: &[u8]) -> Result<String, ValueError> {
    let raw = String::from_utf8_lossy(raw).replace("\r\n", "\n").replace('\r', "\n");
    quick_xml::escape::unescape(&raw).map(|s| s.into_owned()).map_err(ValueError::Reference)
}

pub(super) fn import(file: &Path, text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().expand_empty_elements = true;
    let mut lines = Lines { text: text.as_bytes(), pos: 0, line: 1 };
    let mut problems = Vec::new();
    let mut concepts = Vec::new();
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut entry: Option<Entry> = None;
    // The language of the <langSec> being read (None inside one with a bad xml:lang), and its depth.
    let mut lang: Option<(Option<Lang>, usize)> = None;
    let mut term: Option<TermSec> = None;
    let mut capture: Option<Capture> = None;
    loop {
        let line = lines.at(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = lines.at(reader.error_position());
                problems.push(problem(file, at, format!("not well-formed XML: {e}")));
                return (concepts, problems);
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !root_seen {
                    root_seen = true;
                    if name != "tbx" && name != "martif" {
                        problems.push(problem(file, line, format!("not a TBX file: the root element is <{name}>")));
                        return (concepts, problems);
                    }
                    continue;
                }
                if capture.is_some() {
                    continue;
                }
                let kind = attr(&e, b"type");
                let start = |field: Field| Some(Capture { field, depth, line, text: String::new() });
                match name.as_str() {
                    "conceptEntry" | "termEntry" => {
                        if let Some(outer) = &entry {
                            problems.push(problem(file, line, format!("<{name}> inside <{}>", outer.tag)));
                            continue;
                        }
                        let id = match attr(&e, b"id").map(|i| i.trim().to_string()) {
                            Some(id) if !id.is_empty() => Some(concept_id(&id)),
                            _ => {
                                problems.push(problem(file, line, format!("<{name}> has no id")));
                                None
                            }
                        };
                        entry = Some(Entry {
                            id,
                            tag: name,
                            line,
                            draft: Draft::default(),
                            notes: Vec::new(),
                            valid_from: None,
                            valid_until: None,
                        });
                    }
                    "langSec" | "langSet" if entry.is_some() => {
                        let code = attr(&e, b"xml:lang").unwrap_or_default();
                        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
                        let parsed = match primary.parse::<Lang>() {
                            Ok(l) => Some(l),
                            Err(_) if code.is_empty() => {
                                problems.push(problem(file, line, format!("<{name}> has no xml:lang")));
                                None
                            }
                            Err(_) => {
                                problems.push(problem(
                                    file,
                                    line,
                                    format!("<{name} xml:lang=\"{code}\">: audarma glossaries hold en, kk and ru only"),
                                ));
                                None
                            }
                        };
                        lang = Some((parsed, depth));
                    }
                    "termSec" | "tig" | "ntig" if lang.is_some() => {
                        term = Some(TermSec { tag: name, line, term: None, status: None });
                    }
                    "term" if term.is_some() => capture = start(Field::Term),
                    "termNote" if term.is_some() && kind.as_deref() == Some("administrativeStatus") => {
                        capture = start(Field::Status)
                    }
                    // Concept-level data: not inside a language section.
                    "descrip" if entry.is_some() && lang.is_none() && kind.as_deref() == Some("subjectField") => {
                        capture = start(Field::Subject)
                    }
                    "note" if entry.is_some() && lang.is_none() => capture = start(Field::Note),
                    "admin" if entry.is_some() && lang.is_none() => {
                        if let Some(k) = kind.filter(|k| k.starts_with("x-audarma-")) {
                            capture = start(Field::Admin(k));
                        }
                    }
                    "admin" if entry.is_some() && term.is_none() => {
                        if let (Some(k), Some((l, _))) = (kind.filter(|k| k.starts_with("x-audarma-")), lang) {
                            capture = start(Field::LangAdmin(k, l));
                        }
                    }
                    "ref" if entry.is_some() && lang.is_none() && kind.as_deref() == Some(CROSS_REFERENCE) => {
                        capture = start(Field::CrossRef(attr(&e, b"target")))
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(c) = capture.as_mut() {
                    match text_of(&t) {
                        Ok(s) => c.text.push_str(&s),
                        Err(e) => problems.push(problem(file, line, e.to_string())),
                    }
                }
            }
            Event::CData(t) => {
                if let Some(c) = capture.as_mut() {
                    c.text.push_str(&String::from_utf8_lossy(&t).replace("\r\n", "\n").replace('\r', "\n"));
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(c) = capture.take_if(|c| c.depth == depth) {
                    finish_field(file, c, entry.as_mut(), term.as_mut(), &mut problems);
                } else if capture.is_none() {
                    match name.as_str() {
                        "termSec" | "tig" | "ntig" if term.as_ref().is_some_and(|t| t.tag == name) => {
                            if let (Some(t), Some((Some(l), _)), Some(en)) = (term.take(), lang, entry.as_mut()) {
                                finish_term(file, t, l, &mut en.draft, &mut problems);
                            }
                            term = None;
                        }
                        "langSec" | "langSet" if lang.is_some_and(|(_, d)| d == depth) => lang = None,
                        "conceptEntry" | "termEntry" if entry.as_ref().is_some_and(|en| en.tag == name) => {
                            if let Some(en) = entry.take() {
                                match finish_entry(file, en) {
                                    Ok(Some(c)) => concepts.push(c),
                                    Ok(None) => {}
                                    Err(mut p) => problems.append(&mut p),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        problems.push(problem(file, 1, "not a TBX file: no root element"));
    }
    (concepts, problems)
}

fn finish_field(
    file: &Path,
    c: Capture,
    entry: Option<&mut Entry>,
    term: Option<&mut TermSec>,
    problems: &mut Vec<Problem>,
) {
    let mut bad = |message: String| problems.push(problem(file, c.line, message));
    match c.field {
        Field::Term => {
            if let Some(t) = term {
                if t.term.is_some() {
                    bad(format!("a second <term> in <{}>", t.tag));
                } else {
                    t.term = Some(c.text.trim().to_string());
                }
            }
        }
        Field::Status => {
            if let Some(t) = term {
                t.status = Some((c.text.trim().to_string(), c.line));
            }
        }
        Field::LangAdmin(kind, lang) => {
            let Some(en) = entry else { return };
            let v = c.text.trim();
            let field = format!("<admin type=\"{kind}\">");
            match (kind.as_str(), lang) {
                (ADMIN_EXCLUSION, _) if v.is_empty() => bad(format!("{field} is empty")),
                (ADMIN_EXCLUSION, Some(l)) => en.draft.exclude.push((l, v.to_string())),
                (ADMIN_EXCLUSION, None) => {}
                (ADMIN_LATIN, _) if v.is_empty() => bad(format!("{field} is empty")),
                (ADMIN_LATIN, Some(Lang::Kk)) => en.draft.kk_latn.push(v.to_string()),
                (ADMIN_LATIN, Some(_)) => bad(format!("{field} belongs in the kk <langSec>")),
                (ADMIN_LATIN, None) => {}
                _ => bad(format!(
                    "{field} in a <langSec>: only {ADMIN_EXCLUSION} and {ADMIN_LATIN} go there, the others in the <conceptEntry>"
                )),
            }
        }
        Field::CrossRef(target) => {
            let Some(en) = entry else { return };
            let id = target.map(|t| concept_id(t.trim())).unwrap_or_else(|| c.text.trim().to_string());
            if id.is_empty() {
                bad(format!("<ref type=\"{CROSS_REFERENCE}\"> names no concept (no target, no text)"));
            } else {
                en.draft.alternatives.push(id);
            }
        }
        Field::Subject | Field::Note | Field::Admin(_) => {
            let Some(en) = entry else { return };
            match c.field {
                Field::Subject => {
                    let d = c.text.trim();
                    if !d.is_empty() {
                        en.draft.domain.push(d.to_string());
                    }
                }
                Field::Note => en.notes.push(c.text),
                Field::Admin(kind) => {
                    let v = c.text.trim();
                    let field = format!("<admin type=\"{kind}\">");
                    match kind.as_str() {
                        ADMIN_CASE_SENSITIVE | ADMIN_DNT | ADMIN_VERBATIM | ADMIN_AMBIGUOUS => match parse_bool(v) {
                            Ok(b) if kind == ADMIN_DNT => en.draft.dnt = b,
                            Ok(b) if kind == ADMIN_VERBATIM => en.draft.verbatim = b,
                            Ok(b) if kind == ADMIN_AMBIGUOUS => en.draft.ambiguous = b,
                            Ok(b) => en.draft.case_sensitive = Some(b),
                            Err(e) => bad(format!("{field}: {e}")),
                        },
                        ADMIN_VALID_FROM | ADMIN_VALID_UNTIL => {
                            let (slot, seen) = if kind == ADMIN_VALID_FROM {
                                (&mut en.draft.valid.from, &mut en.valid_from)
                            } else {
                                (&mut en.draft.valid.until, &mut en.valid_until)
                            };
                            if let Some(first) = seen {
                                bad(format!("a second {field} (first at line {first})"));
                            }
                            *seen = Some(c.line);
                            match parse_date(v) {
                                Ok(d) => *slot = Some(d),
                                Err(e) => bad(format!("{field}: {e}")),
                            }
                        }
                        ADMIN_LINT_ALLOW if !v.is_empty() => en.draft.lint_allow.push(v.to_string()),
                        ADMIN_LINT_ALLOW => bad(format!("{field} is empty")),
                        ADMIN_ALTERNATIVE if !v.is_empty() => en.draft.alternatives.push(v.to_string()),
                        ADMIN_ALTERNATIVE => bad(format!("{field} is empty")),
                        ADMIN_HOLDS => match parse_holding(v) {
                            Ok(h) => en.draft.holds.push(h),
                            Err(e) => bad(format!("{field}: {e}")),
                        },
                        ADMIN_EXCLUSION => bad(format!("{field} belongs in the <langSec> of its language")),
                        ADMIN_LATIN => bad(format!("{field} belongs in the kk <langSec>")),
                        _ => bad(format!(
                            "unknown {field} (audarma's are {ADMIN_CASE_SENSITIVE}, {ADMIN_DNT}, \
                             {ADMIN_VALID_FROM}, {ADMIN_VALID_UNTIL}, {ADMIN_LINT_ALLOW}, {ADMIN_VERBATIM}, \
                             {ADMIN_AMBIGUOUS}, {ADMIN_ALTERNATIVE}, {ADMIN_HOLDS}, {ADMIN_EXCLUSION}, {ADMIN_LATIN})"
                        )),
                    }
                }
                Field::Term | Field::Status | Field::LangAdmin(..) | Field::CrossRef(_) => {}
            }
        }
    }
}

fn finish_term(file: &Path, t: TermSec, lang: Lang, draft: &mut Draft, problems: &mut Vec<Problem>) {
    let Some(term) = t.term else {
        problems.push(problem(file, t.line, format!("<{}> has no <term>", t.tag)));
        return;
    };
    if term.is_empty() {
        problems.push(problem(file, t.line, format!("<{}>: the <term> is empty", t.tag)));
        return;
    }
    match t.status.as_ref().map(|(s, line)| (s.as_str(), *line)) {
        None | Some((ADMITTED, _)) => draft.terms.push((lang, term, false)),
        Some((PREFERRED, _)) => draft.terms.push((lang, term, true)),
        Some((DEPRECATED | SUPERSEDED, _)) => draft.forbidden.push((lang, term)),
        Some((other, line)) => problems.push(problem(
            file,
            line,
            format!(
                "<termNote type=\"administrativeStatus\">: {other:?} is not one of \
                 {PREFERRED}, {ADMITTED}, {DEPRECATED}, {SUPERSEDED}"
            ),
        )),
    }
}

fn finish_entry(file: &Path, mut en: Entry) -> Result<Option<Concept>, Vec<Problem>> {
    let Some(id) = en.id else { return Ok(None) };
    en.draft.id = id.clone();
    if !en.notes.is_empty() {
        en.draft.note = Some(en.notes.join("\n"));
    }
    let tag = en.tag;
    en.draft.finish(file, en.line, |lang| format!("<{tag} id=\"{id}\"> has no {lang} term")).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_starting_with_a_digit_get_an_underscore() {
        assert_eq!(xml_id("2030-agenda"), "_2030-agenda");
        assert_eq!(concept_id("_2030-agenda"), "2030-agenda");
        assert_eq!(concept_id("_x"), "_x");
        assert!(is_ncname("_2030-agenda") && is_ncname("osce") && !is_ncname("a b") && !is_ncname("1a"));
    }

    #[test]
    fn escapes_markup_and_carriage_returns() {
        assert_eq!(esc("a<b & \"c\">\r\n"), "a&lt;b &amp; &quot;c&quot;&gt;&#13;\n");
        assert_eq!(esc_attr("a\tb\nc"), "a&#9;b&#10;c");
    }
}
