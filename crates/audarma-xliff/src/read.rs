//! Reading an XLIFF 1.2 or 2.x file written by [`crate::write`] (and then by a CAT tool) back: which
//! job and language pair it is for, and per unit its source, target, state, version and base. The
//! reader knows only what audarma wrote: `<trans-unit>`'s (1.2) or `<segment>`'s (2.x) own `<source>`
//! and `<target>`; matches, notes and glossary entries are not read back. An element inside a source or
//! target is markup audarma's plain segments cannot hold: it is reported with the unit
//! ([`Content::Markup`]), and the text around it kept, never dropped silently.

use crate::XliffVersion;
use audarma_core::Lang;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A file that cannot be read as one of audarma's: where (line) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct XliffError {
    pub line: usize,
    pub message: String,
}

/// What a file says.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDocument {
    pub version: XliffVersion,
    pub job: i64,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub units: Vec<ReadUnit>,
}

/// One unit as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadUnit {
    /// `sIDX`.
    pub id: String,
    pub idx: u32,
    /// The line the unit starts on.
    pub line: usize,
    pub source: Content,
    /// `None` when the unit has no `<target>`.
    pub target: Option<Content>,
    /// The `state` as written (of `<target>` in 1.2, of `<segment>` in 2.x).
    pub state: Option<String>,
    /// 1.2: whether `approved="yes"`.
    pub approved: bool,
    /// The segment's version when exported.
    pub version: i64,
    /// The hash of the target as exported ([`crate::base_of`]).
    pub base: String,
}

/// The text of a `<source>` or `<target>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    /// It holds an element (the first one's name): audarma's segments are plain text, so this target
    /// is not imported. The text around the markup is kept here for the report.
    Markup {
        text: String,
        element: String,
    },
}

impl Content {
    pub fn text(&self) -> &str {
        match self {
            Content::Text(t) | Content::Markup { text: t, .. } => t,
        }
    }
}

fn err(line: usize, message: impl Into<String>) -> XliffError {
    XliffError { line, message: message.into() }
}

/// The unit being read.
struct Open {
    id: String,
    idx: u32,
    line: usize,
    depth: usize,
    version: Option<i64>,
    base: Option<String>,
    approved: bool,
    state: Option<String>,
    source: Option<Content>,
    target: Option<Content>,
    segments: usize,
}

/// Text being collected from a `<source>` or `<target>` (`depth`: the element's own).
struct Capture {
    is_target: bool,
    depth: usize,
    text: String,
    markup: Option<String>,
}

/// Reads a file.
pub fn read(bytes: &[u8]) -> Result<ReadDocument, XliffError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
        err(line, "not UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().expand_empty_elements = true;
    let mut lines = Lines { text: text.as_bytes(), pos: 0, line: 1 };

    let mut version: Option<XliffVersion> = None;
    let mut langs: (Option<Lang>, Option<Lang>) = (None, None);
    let mut job: Option<i64> = None;
    let mut files = 0usize;
    let mut depth = 0usize;
    let mut unit: Option<Open> = None;
    let mut capture: Option<Capture> = None;
    // Depth of an element whose <source>/<target> are not the unit's (alt-trans, mtc:match).
    let mut skip: Option<usize> = None;
    let mut units: Vec<ReadUnit> = Vec::new();
    // The prefix the file binds to audarma's namespace (a tool may rename it).
    let mut aud = String::from("aud:");

    loop {
        let line = lines.at(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            let at = lines.at(reader.error_position());
            err(at, format!("not well-formed XML: {e}"))
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = local(&e);
                if let Some(c) = capture.as_mut() {
                    if c.markup.is_none() {
                        c.markup = Some(name);
                    }
                    continue;
                }
                if depth == 1 {
                    if name != "xliff" {
                        return Err(err(line, format!("not an XLIFF file: the root element is <{name}>")));
                    }
                    let v = attr(&e, b"version").unwrap_or_default();
                    let ns = attr(&e, b"xmlns").unwrap_or_default();
                    version = Some(match (v.as_str(), ns.as_str()) {
                        ("1.2", "urn:oasis:names:tc:xliff:document:1.2") => XliffVersion::V12,
                        ("2.0", "urn:oasis:names:tc:xliff:document:2.0") => XliffVersion::V20,
                        ("2.1", "urn:oasis:names:tc:xliff:document:2.0") => XliffVersion::V21,
                        _ => {
                            return Err(err(
                                line,
                                format!("XLIFF version {v:?} in namespace {ns:?}: audarma reads 1.2, 2.0 and 2.1"),
                            ))
                        }
                    });
                    for a in e.attributes().flatten() {
                        if a.value.as_ref() == crate::NS_AUDARMA.as_bytes() {
                            if let Some(p) = a.key.as_ref().strip_prefix(b"xmlns:") {
                                aud = format!("{}:", String::from_utf8_lossy(p));
                            }
                        }
                    }
                    if version != Some(XliffVersion::V12) {
                        langs = (lang(&e, b"srcLang", line)?, lang(&e, b"trgLang", line)?);
                    }
                    continue;
                }
                let v12 = version == Some(XliffVersion::V12);
                if skip.is_some() {
                    continue;
                }
                match name.as_str() {
                    "file" if depth == 2 => {
                        files += 1;
                        if files > 1 {
                            return Err(err(line, "more than one <file>: audarma writes one job per file"));
                        }
                        let original = attr(&e, b"original").unwrap_or_default();
                        job = Some(original.strip_prefix("audarma:job/").and_then(|j| j.parse().ok()).ok_or_else(
                            || {
                                err(
                                    line,
                                    format!("<file original={original:?}> is not an audarma job (audarma:job/ID)"),
                                )
                            },
                        )?);
                        if v12 {
                            langs = (lang(&e, b"source-language", line)?, lang(&e, b"target-language", line)?);
                        }
                    }
                    "trans-unit" | "unit" if unit.is_none() && (name == "trans-unit") == v12 => {
                        let id = attr(&e, b"id").unwrap_or_default();
                        let idx = id
                            .strip_prefix('s')
                            .and_then(|i| i.parse::<u32>().ok())
                            .ok_or_else(|| err(line, format!("unit id {id:?} is not an audarma segment (sIDX)")))?;
                        let (version, base) = if v12 {
                            let extra = attr(&e, b"extradata").unwrap_or_default();
                            let mut words = extra.split_whitespace();
                            if words.next() != Some("audarma") {
                                (None, None)
                            } else {
                                let mut v = None;
                                let mut b = None;
                                for w in words {
                                    if let Some(x) = w.strip_prefix("version=") {
                                        v = x.parse().ok();
                                    } else if let Some(x) = w.strip_prefix("base=") {
                                        b = Some(x.to_string());
                                    }
                                }
                                (v, b)
                            }
                        } else {
                            (
                                attr(&e, format!("{aud}version").as_bytes()).and_then(|v| v.parse().ok()),
                                attr(&e, format!("{aud}base").as_bytes()),
                            )
                        };
                        unit = Some(Open {
                            id,
                            idx,
                            line,
                            depth,
                            version,
                            base,
                            approved: attr(&e, b"approved").as_deref() == Some("yes"),
                            state: None,
                            source: None,
                            target: None,
                            segments: 0,
                        });
                    }
                    "alt-trans" | "match" | "glossary" | "notes" | "note" | "originalData" => {
                        skip = Some(depth);
                    }
                    "segment" if !v12 => {
                        if let Some(u) = unit.as_mut() {
                            u.segments += 1;
                            if u.segments > 1 {
                                return Err(err(
                                    line,
                                    format!("unit {} has more than one <segment>: audarma exported one per unit", u.id),
                                ));
                            }
                            u.state = attr(&e, b"state");
                        }
                    }
                    "source" | "target" if unit.is_some() => {
                        let is_target = name == "target";
                        if v12 && is_target {
                            if let Some(u) = unit.as_mut() {
                                u.state = attr(&e, b"state");
                            }
                        }
                        capture = Some(Capture { is_target, depth, text: String::new(), markup: None });
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                if let Some(c) = capture.as_ref() {
                    if c.depth == depth {
                        if let (Some(c), Some(u)) = (capture.take(), unit.as_mut()) {
                            let content = match c.markup {
                                Some(element) => Content::Markup { text: c.text, element },
                                None => Content::Text(c.text),
                            };
                            if c.is_target {
                                u.target = Some(content);
                            } else {
                                u.source = Some(content);
                            }
                        }
                    }
                } else if skip == Some(depth) {
                    skip = None;
                } else if unit.as_ref().is_some_and(|u| u.depth == depth) {
                    if let Some(u) = unit.take() {
                        units.push(finish(u)?);
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some(c) = capture.as_mut() {
                    let raw = String::from_utf8_lossy(t.as_ref()).replace("\r\n", "\n").replace('\r', "\n");
                    let s = quick_xml::escape::unescape(&raw)
                        .map_err(|e| err(line, format!("bad character or entity reference: {e}")))?;
                    c.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(c) = capture.as_mut() {
                    c.text.push_str(&String::from_utf8_lossy(t.as_ref()));
                }
            }
            Event::DocType(_) => return Err(err(line, "a DOCTYPE is not accepted (audarma does not write one)")),
            Event::Eof => break,
            _ => {}
        }
    }
    let last = lines.line;
    let version = version.ok_or_else(|| err(last, "empty file"))?;
    let job = job.ok_or_else(|| err(last, "no <file> element"))?;
    let (Some(source_lang), Some(target_lang)) = langs else {
        return Err(err(1, "the file does not name its source and target languages"));
    };
    let mut seen = std::collections::HashSet::new();
    for u in &units {
        if !seen.insert(u.idx) {
            return Err(err(u.line, format!("unit {} appears twice", u.id)));
        }
    }
    Ok(ReadDocument { version, job, source_lang, target_lang, units })
}

fn finish(u: Open) -> Result<ReadUnit, XliffError> {
    let missing = |what: &str| err(u.line, format!("unit {} has no audarma {what}: was it exported by audarma?", u.id));
    let version = u.version.ok_or_else(|| missing("version"))?;
    let base = u.base.clone().ok_or_else(|| missing("base"))?;
    let source = u.source.ok_or_else(|| err(u.line, format!("unit {} has no <source>", u.id)))?;
    Ok(ReadUnit {
        id: u.id,
        idx: u.idx,
        line: u.line,
        source,
        target: u.target,
        state: u.state,
        approved: u.approved,
        version,
        base,
    })
}

fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| match a.unescape_value() {
        Ok(v) => v.into_owned(),
        Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
    })
}

fn lang(e: &BytesStart<'_>, name: &[u8], line: usize) -> Result<Option<Lang>, XliffError> {
    let Some(v) = attr(e, name) else {
        return Ok(None);
    };
    // A region (kk-KZ) is read as its language.
    let code = v.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    code.parse::<Lang>().map(Some).map_err(|e| err(line, format!("{}={v:?}: {e}", String::from_utf8_lossy(name))))
}

/// Line numbers of byte offsets read in increasing order.
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
