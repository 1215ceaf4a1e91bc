//! Writing one language pair of the memory as TMX 1.4b, a unit at a time.

use crate::format_date;
use audarma_core::Lang;
use audarma_store::TmUnit;
use std::io::{self, Write};

/// A TMX file of one pair being written: [`Writer::new`] writes the header, [`Writer::unit`] each
/// unit, [`Writer::finish`] closes the body.
pub struct Writer<W: Write> {
    w: W,
    source: Lang,
    target: Lang,
    units: u64,
}

impl<W: Write> Writer<W> {
    /// `tool_version` is audarma's, for the header's `creationtoolversion`.
    pub fn new(mut w: W, source: Lang, target: Lang, tool_version: &str) -> io::Result<Writer<W>> {
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx PUBLIC \"-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN\" \"tmx14.dtd\">\n<tmx version=\"1.4\">\n  \
             <header creationtool=\"audarma\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"audarma\" \
             adminlang=\"en\" srclang=\"{}\" datatype=\"plaintext\"/>\n  <body>\n",
            escape(tool_version, true)?,
            source.code()
        )?;
        Ok(Writer { w, source, target, units: 0 })
    }

    /// Writes a unit of the writer's pair. A unit of another pair, or text XML 1.0 cannot carry (a
    /// control character), is an error naming the unit; nothing of it is written.
    pub fn unit(&mut self, u: &TmUnit) -> io::Result<()> {
        if (u.source_lang, u.target_lang) != (self.source, self.target) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a {}→{} unit in a {}→{} file",
                    u.source_lang.code(),
                    u.target_lang.code(),
                    self.source.code(),
                    self.target.code()
                ),
            ));
        }
        let mut tu = String::from("    <tu");
        if let Some(at) = u.created_at {
            tu.push_str(&format!(" creationdate=\"{}\"", format_date(at)));
        }
        if let Some(by) = &u.created_by {
            tu.push_str(&format!(" creationid=\"{}\"", escape(by, true)?));
        }
        tu.push_str(&format!(
            ">\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n    </tu>\n",
            self.source.code(),
            escape(&u.source, false)?,
            self.target.code(),
            escape(&u.target, false)?
        ));
        self.w.write_all(tu.as_bytes())?;
        self.units += 1;
        Ok(())
    }

    /// How many units were written.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// Closes the file; returns the output, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.w.write_all(b"  </body>\n</tmx>\n")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// `s` as XML character data (or an attribute value): markup characters as entities, a carriage
/// return as a reference (a parser would turn a literal one into a line feed), and an error for a
/// character XML 1.0 cannot carry at all.
fn escape(s: &str, attribute: bool) -> io::Result<String> {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' if attribute => out.push_str(if c == '\t' { "&#9;" } else { "&#10;" }),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{s:?} holds U+{:04X}, which XML 1.0 cannot carry", c as u32),
                ))
            }
            c => out.push(c),
        }
    }
    Ok(out)
}
