//! Printing results: JSON for scripts, aligned text for people; and a reader that stops reading
//! early is not an error.

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

/// `audarma queue | head` closes the pipe early; `println!` then panics. The reader chose to stop
/// reading, so the command ends quietly and successfully, as `grep` and `rg` do; every other panic keeps
/// the default report.
pub fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            // Inside a panic hook there is no `main` to return to: the reader went away, which is success.
            #[allow(clippy::disallowed_methods)]
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Shortens a text to `max` characters for one table cell.
/// Text from the store as a terminal may show it: stray control characters (escape sequences,
/// bells; text stored before they were refused) and line breaks become visible replacements, so no
/// stored text can move the cursor, recolour or retitle the terminal of whoever reads the queue.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c == '\n' || c == '\r' || audarma_text::is_stray_control(c)) {
        s.chars()
            .map(|c| match c {
                '\n' | '\r' => ' ',
                c if audarma_text::is_stray_control(c) => '\u{FFFD}',
                c => c,
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// `s` [`shown`], cut to `max` characters with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    let s = shown(s);
    if s.chars().count() <= max {
        s.into_owned()
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
    fn stored_text_cannot_drive_the_terminal() {
        assert_eq!(
            shown("Talks\u{1b}]0;owned\u{7} in\nAstana\u{9b}2J"),
            "Talks\u{FFFD}]0;owned\u{FFFD} in Astana\u{FFFD}2J"
        );
        assert!(matches!(shown("Переговоры в Астане"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(clip("\u{1b}[31mred", 5), "\u{FFFD}[31…");
    }

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
