//! Printing results: JSON for scripts, aligned text for people.

use serde::Serialize;
use std::io::Write;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("audarma: cannot print JSON: {e}"),
    }
}

/// Writes `{"lang": …, "sentences": […]}` exactly as [`json`] prints it (serde_json's pretty
/// layout), one sentence at a time, without building a `serde_json::Value` of the whole text.
pub fn write_sentences_json(w: &mut impl Write, lang: &str, sentences: &[String]) -> std::io::Result<()> {
    w.write_all(b"{\n  \"lang\": ")?;
    serde_json::to_writer(&mut *w, lang)?;
    if sentences.is_empty() {
        return w.write_all(b",\n  \"sentences\": []\n}\n");
    }
    w.write_all(b",\n  \"sentences\": [\n")?;
    for (k, s) in sentences.iter().enumerate() {
        w.write_all(b"    ")?;
        serde_json::to_writer(&mut *w, s)?;
        w.write_all(if k + 1 < sentences.len() { b",\n" } else { b"\n" })?;
    }
    w.write_all(b"  ]\n}\n")
}

/// Shortens a text to `max` characters for one table cell.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sentences_json_is_what_json_prints() {
        let cases: [&[&str]; 4] = [
            &[],
            &["One."],
            &["«Мы готовы.", "Мы начнём завтра», — сказал он."],
            &["Quote \" and \\ backslash", "tab\tand\u{1}control", "Қазақстан 🇰🇿"],
        ];
        for sentences in cases {
            let sentences: Vec<String> = sentences.iter().map(|s| s.to_string()).collect();
            let mut w = Vec::new();
            write_sentences_json(&mut w, "kk", &sentences).unwrap();
            let want =
                serde_json::to_string_pretty(&serde_json::json!({ "lang": "kk", "sentences": sentences })).unwrap();
            assert_eq!(String::from_utf8(w).unwrap(), want + "\n");
        }
    }
}
