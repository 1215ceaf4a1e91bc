//! Streaming a TMX file: the header first ([`Reader::new`]), then one `<tu>` at a time
//! ([`Reader::next_tu`]). Only the current unit is held, so a file of a million units reads in the
//! memory of one.

use crate::parse_date;
use chrono::{DateTime, Utc};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader, Cursor, Read};

/// A file that is not TMX audarma can read: where (line) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TmxError {
    pub line: usize,
    pub message: String,
}

/// The file's `<header>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `<tmx version>`: 1.1 to 1.4.
    pub version: String,
    /// The source language of every `<tu>` that does not say its own, or `*all*`.
    pub srclang: String,
    pub creationtool: Option<String>,
    pub creationtoolversion: Option<String>,
}

/// One `<tu>` as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tu {
    /// The line its `<tu>` starts on.
    pub line: usize,
    pub tuid: Option<String>,
    pub srclang: Option<String>,
    pub creationdate: Option<DateTime<Utc>>,
    pub creationid: Option<String>,
    pub changedate: Option<DateTime<Utc>>,
    pub changeid: Option<String>,
    pub variants: Vec<Variant>,
}

/// One `<tuv>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variant {
    /// `xml:lang` (TMX 1.1: `lang`) as written.
    pub lang: String,
    /// The segment's text, inline codes left out.
    pub text: String,
    /// Whether the segment held inline codes (left out of `text`).
    pub codes: bool,
    pub creationdate: Option<DateTime<Utc>>,
    pub creationid: Option<String>,
    pub changedate: Option<DateTime<Utc>>,
    pub changeid: Option<String>,
}

/// A unit's date and author from an element's dating attributes: the change's when there is one,
/// else the creation's; `None` when it has neither date nor author.
type Dating = Option<(Option<DateTime<Utc>>, Option<String>)>;

fn dating(
    created: Option<DateTime<Utc>>,
    creator: &Option<String>,
    changed: Option<DateTime<Utc>>,
    changer: &Option<String>,
) -> Dating {
    match (changed, created) {
        (Some(h), _) => Some((Some(h), changer.clone().or(creator.clone()))),
        (None, Some(c)) => Some((Some(c), creator.clone())),
        (None, None) => creator.clone().or(changer.clone()).map(|who| (None, Some(who))),
    }
}

impl Tu {
    pub(crate) fn dated(&self) -> Dating {
        dating(self.creationdate, &self.creationid, self.changedate, &self.changeid)
    }
}

impl Variant {
    pub(crate) fn dated(&self) -> Dating {
        dating(self.creationdate, &self.creationid, self.changedate, &self.changeid)
    }
}

/// `read` as UTF-8, whatever agencies' tools wrote: a BOM (UTF-8, UTF-16LE, UTF-16BE) decides; else
/// UTF-16 without a BOM is recognised by its `<?` in two bytes; else the XML declaration's
/// `encoding` (an 8-bit one such as `windows-1251`); else UTF-8, passed through unchanged.
pub fn decoded(mut read: impl Read + Send + 'static) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut head = vec![0u8; 1024];
    let mut n = 0;
    while n < head.len() {
        match read.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    head.truncate(n);
    let encoding = sniff(&head);
    let stream = Cursor::new(head).chain(read);
    let decoder = DecodeReaderBytesBuilder::new()
        .encoding(encoding)
        .bom_override(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(stream);
    Ok(Box::new(BufReader::with_capacity(64 * 1024, decoder)))
}

/// The encoding of a file without a BOM (a BOM overrides this anyway).
fn sniff(head: &[u8]) -> Option<&'static Encoding> {
    match head {
        [0x3C, 0x00, 0x3F, 0x00, ..] | [0x3C, 0x00, 0x74, 0x00, ..] => return Some(UTF_16LE),
        [0x00, 0x3C, 0x00, 0x3F, ..] | [0x00, 0x3C, 0x00, 0x74, ..] => return Some(UTF_16BE),
        _ => {}
    }
    let decl = head.strip_prefix(b"<?xml")?;
    let decl = &decl[..decl.windows(2).position(|w| w == b"?>")?];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = &decl[at + 8..];
    let quote = rest.iter().position(|b| *b == b'"' || *b == b'\'')?;
    let rest = &rest[quote + 1..];
    let label = &rest[..rest.iter().position(|b| *b == b'"' || *b == b'\'')?];
    let encoding = Encoding::for_label(label)?;
    // A declaration cannot make an ASCII-compatible file UTF-16, and UTF-8 needs no decoding.
    (encoding != UTF_8 && encoding != UTF_16LE && encoding != UTF_16BE).then_some(encoding)
}

fn err(line: usize, message: impl Into<String>) -> TmxError {
    TmxError { line, message: message.into() }
}

/// A TMX file being read.
pub struct Reader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    /// The line the reader has reached (newlines of every event so far, plus one).
    line: usize,
    header: Header,
    done: bool,
}

/// Text of an event that is not markup.
enum Got {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
    Eof,
}

impl<R: BufRead> Reader<R> {
    /// Reads up to `<body>`: the root must be `<tmx>` (1.1–1.4) with a `<header>`.
    pub fn new(input: R) -> Result<Reader<R>, TmxError> {
        let mut xml = quick_xml::Reader::from_reader(input);
        xml.config_mut().trim_text(false);
        xml.config_mut().expand_empty_elements = true;
        let mut r = Reader { xml, buf: Vec::new(), line: 1, header: Header::default(), done: false };
        let (name, attrs) = loop {
            match r.next()? {
                Got::Start(name, attrs) => break (name, attrs),
                Got::Text(t) if t.trim().is_empty() => {}
                Got::Text(_) => return Err(err(r.line, "text before the root element")),
                Got::End(_) | Got::Eof => return Err(err(r.line, "no <tmx> element: not a TMX file")),
            }
        };
        if name != "tmx" {
            return Err(err(r.line, format!("the root element is <{name}>, not <tmx>: not a TMX file")));
        }
        r.header.version = attr(&attrs, "version").unwrap_or_default();
        if !["1.1", "1.2", "1.3", "1.4"].contains(&r.header.version.as_str()) {
            return Err(err(r.line, format!("TMX version {:?}: audarma reads 1.1 to 1.4", r.header.version)));
        }
        let mut header = false;
        loop {
            match r.next()? {
                Got::Start(name, attrs) if name == "header" && !header => {
                    header = true;
                    r.header.srclang = attr(&attrs, "srclang")
                        .ok_or_else(|| err(r.line, "<header> has no srclang (the source language)"))?;
                    r.header.creationtool = attr(&attrs, "creationtool");
                    r.header.creationtoolversion = attr(&attrs, "creationtoolversion");
                    r.skip("header")?;
                }
                Got::Start(name, _) if name == "body" && header => return Ok(r),
                Got::Start(name, _) if name == "body" => return Err(err(r.line, "<body> before <header>")),
                Got::Start(name, _) => {
                    return Err(err(r.line, format!("<{name}> in <tmx>, where <header> and <body> go")))
                }
                Got::Text(t) if t.trim().is_empty() => {}
                Got::Text(_) => return Err(err(r.line, "text in <tmx> outside <header> and <body>")),
                Got::End(_) | Got::Eof => return Err(err(r.line, "the file ends before <body>")),
            }
        }
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The line reached.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The next `<tu>`, or `None` after `</body>` (and the end of the file).
    pub fn next_tu(&mut self) -> Result<Option<Tu>, TmxError> {
        if self.done {
            return Ok(None);
        }
        loop {
            match self.next()? {
                Got::Start(name, attrs) if name == "tu" => return self.tu(attrs).map(Some),
                Got::Start(name, _) => return Err(err(self.line, format!("<{name}> in <body>, where only <tu> goes"))),
                Got::Text(t) if t.trim().is_empty() => {}
                Got::Text(_) => return Err(err(self.line, "text in <body> outside <tu>")),
                Got::End(name) if name == "body" => {
                    self.done = true;
                    loop {
                        match self.next()? {
                            Got::End(n) if n == "tmx" => {}
                            Got::Text(t) if t.trim().is_empty() => {}
                            Got::Eof => return Ok(None),
                            _ => return Err(err(self.line, "content after </body>")),
                        }
                    }
                }
                Got::End(name) => return Err(err(self.line, format!("</{name}> where </body> was expected"))),
                Got::Eof => return Err(err(self.line, "the file ends inside <body> (cut short?)")),
            }
        }
    }

    fn tu(&mut self, attrs: Vec<(String, String)>) -> Result<Tu, TmxError> {
        let line = self.line;
        let mut tu = Tu {
            line,
            tuid: attr(&attrs, "tuid"),
            srclang: attr(&attrs, "srclang"),
            creationdate: self.date(&attrs, "creationdate")?,
            creationid: attr(&attrs, "creationid"),
            changedate: self.date(&attrs, "changedate")?,
            changeid: attr(&attrs, "changeid"),
            variants: Vec::new(),
        };
        loop {
            match self.next()? {
                Got::Start(name, attrs) if name == "tuv" => {
                    let v = self.tuv(attrs)?;
                    tu.variants.push(v);
                }
                Got::Start(name, _) if (name == "note" || name == "prop") && tu.variants.is_empty() => {
                    self.skip(&name)?
                }
                Got::Start(name, _) => return Err(err(self.line, format!("<{name}> in <tu>, where <tuv> goes"))),
                Got::Text(t) if t.trim().is_empty() => {}
                Got::Text(_) => return Err(err(self.line, "text in <tu> outside <tuv>")),
                Got::End(name) if name == "tu" => {
                    if tu.variants.is_empty() {
                        return Err(err(line, "a <tu> without <tuv>"));
                    }
                    return Ok(tu);
                }
                Got::End(name) => return Err(err(self.line, format!("</{name}> where </tu> was expected"))),
                Got::Eof => return Err(err(self.line, "the file ends inside a <tu> (cut short?)")),
            }
        }
    }

    fn tuv(&mut self, attrs: Vec<(String, String)>) -> Result<Variant, TmxError> {
        let line = self.line;
        let lang = attr(&attrs, "xml:lang")
            .or_else(|| attr(&attrs, "lang"))
            .filter(|l| !l.trim().is_empty())
            .ok_or_else(|| err(line, "a <tuv> without xml:lang"))?;
        let mut v = Variant {
            lang,
            creationdate: self.date(&attrs, "creationdate")?,
            creationid: attr(&attrs, "creationid"),
            changedate: self.date(&attrs, "changedate")?,
            changeid: attr(&attrs, "changeid"),
            ..Variant::default()
        };
        let mut seg = false;
        loop {
            match self.next()? {
                Got::Start(name, _) if name == "seg" && !seg => {
                    seg = true;
                    self.seg(&mut v)?;
                }
                Got::Start(name, _) if (name == "note" || name == "prop") && !seg => self.skip(&name)?,
                Got::Start(name, _) => return Err(err(self.line, format!("<{name}> in <tuv>, where one <seg> goes"))),
                Got::Text(t) if t.trim().is_empty() => {}
                Got::Text(_) => return Err(err(self.line, "text in <tuv> outside <seg>")),
                Got::End(name) if name == "tuv" && seg => return Ok(v),
                Got::End(name) if name == "tuv" => return Err(err(line, "a <tuv> without <seg>")),
                Got::End(name) => return Err(err(self.line, format!("</{name}> where </tuv> was expected"))),
                Got::Eof => return Err(err(self.line, "the file ends inside a <tuv> (cut short?)")),
            }
        }
    }

    /// A segment's text: `<hi>`'s text is kept, inline codes are left out.
    fn seg(&mut self, v: &mut Variant) -> Result<(), TmxError> {
        let mut open: Vec<String> = vec!["seg".into()];
        loop {
            match self.next()? {
                Got::Text(t) => v.text.push_str(&t),
                Got::Start(name, _) if name == "hi" => open.push(name),
                Got::Start(name, _) if ["bpt", "ept", "it", "ph", "ut"].contains(&name.as_str()) => {
                    v.codes = true;
                    self.skip(&name)?;
                }
                Got::Start(name, _) => {
                    return Err(err(self.line, format!("<{name}> in a <seg>: not TMX 1.4 inline markup")))
                }
                Got::End(name) if open.last() == Some(&name) => {
                    open.pop();
                    if open.is_empty() {
                        return Ok(());
                    }
                }
                Got::End(name) => return Err(err(self.line, format!("</{name}> inside a <seg>"))),
                Got::Eof => return Err(err(self.line, "the file ends inside a <seg> (cut short?)")),
            }
        }
    }

    /// Skips to the end of the element `name` just opened (its content is not audarma's).
    fn skip(&mut self, name: &str) -> Result<(), TmxError> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Got::Start(..) => depth += 1,
                Got::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Got::Text(_) => {}
                Got::Eof => return Err(err(self.line, format!("the file ends inside <{name}> (cut short?)"))),
            }
        }
    }

    fn date(&self, attrs: &[(String, String)], name: &str) -> Result<Option<DateTime<Utc>>, TmxError> {
        match attr(attrs, name) {
            None => Ok(None),
            Some(s) => parse_date(&s)
                .map(Some)
                .ok_or_else(|| err(self.line, format!("{name} {s:?} is not a TMX date (YYYYMMDDThhmmssZ)"))),
        }
    }

    /// The next element boundary or text, counting lines.
    fn next(&mut self) -> Result<Got, TmxError> {
        loop {
            self.buf.clear();
            let event = self.xml.read_event_into(&mut self.buf).map_err(|e| err(self.line, xml_error(e)))?;
            let line = self.line;
            self.line += newlines(&event);
            let got = match event {
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    Got::Start(name, attributes(&e, line)?)
                }
                Event::End(e) => Got::End(String::from_utf8_lossy(e.name().as_ref()).into_owned()),
                Event::Text(t) => Got::Text(t.unescape().map_err(|e| err(line, xml_error(e)))?.into_owned()),
                Event::CData(c) => Got::Text(
                    std::str::from_utf8(&c).map_err(|_| err(line, "not UTF-8 (nor a declared encoding)"))?.to_string(),
                ),
                Event::Eof => Got::Eof,
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            };
            return Ok(got);
        }
    }
}

fn newlines(event: &Event) -> usize {
    let bytes: &[u8] = match event {
        Event::Start(e) | Event::Empty(e) => e,
        Event::Text(t) => t,
        Event::CData(c) => c,
        Event::Comment(c) => c,
        Event::Decl(d) => d,
        Event::PI(p) => p,
        Event::DocType(d) => d,
        Event::End(_) | Event::Eof => &[],
    };
    bytes.iter().filter(|b| **b == b'\n').count()
}

fn xml_error(e: impl std::fmt::Display) -> String {
    let e = e.to_string();
    if e.contains("utf-8") || e.contains("UTF-8") || e.contains("Utf8") {
        "not UTF-8 (nor UTF-16, nor an encoding its XML declaration names)".to_string()
    } else {
        format!("not well-formed XML: {e}")
    }
}

fn attributes(e: &BytesStart, line: usize) -> Result<Vec<(String, String)>, TmxError> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| err(line, xml_error(e)))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|e| err(line, xml_error(e)))?.into_owned();
        out.push((key, value));
    }
    Ok(out)
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}
