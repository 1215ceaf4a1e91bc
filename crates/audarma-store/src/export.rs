//! The published form of an approved translation: Markdown with front matter (for a static site) and
//! JSON (for scripts), rendered from the [`ApprovedTranslation`] the store returns. Pure: the caller
//! names the files and writes them.

use crate::ApprovedTranslation;

/// The two files of one approved translation, exactly as they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Front matter (title, date, languages, source, job, who approved it and when), then the title as a
    /// heading and one paragraph per source paragraph; ends with one newline.
    pub markdown: String,
    /// The same fields, the place, and the paragraphs as an array; pretty-printed, no final newline.
    pub json: String,
}

/// Approved text as Markdown that renders exactly that text: one line (line breaks become spaces),
/// raw HTML and entities escaped (`<` `>` `&`), inline syntax backslash-escaped (CommonMark allows a
/// backslash before any ASCII punctuation), and what would open a block at the start of the line — a
/// heading, a list, a quote, a rule, code — escaped too. A release cannot put a script, a link or a
/// second front matter block on the published page.
pub fn markdown_text(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    // Block openers at the start of the line: `#`, `-`, `+`, `=` (headings, lists, rules, setext
    // underlines) and `1.` / `1)` (ordered lists).
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    } else if let Some(n) = out.find(|c: char| !c.is_ascii_digit()).filter(|&n| n > 0) {
        if out[n..].starts_with(['.', ')']) {
            out.insert(n, '\\');
        }
    }
    out
}

/// A string as a YAML scalar: JSON's quoting is valid YAML.
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The translated title and paragraphs of an approved job: sentences of one paragraph joined by a space.
fn title_and_paragraphs(a: &ApprovedTranslation) -> (String, Vec<String>) {
    let mut title = String::new();
    let mut paragraphs: Vec<(u32, String)> = Vec::new();
    for (p, text) in &a.segments {
        match p {
            None => title = text.clone(),
            Some(p) => match paragraphs.last_mut() {
                Some((last, para)) if last == p => {
                    para.push(' ');
                    para.push_str(text);
                }
                _ => paragraphs.push((*p, text.clone())),
            },
        }
    }
    (title, paragraphs.into_iter().map(|(_, t)| t).collect())
}

/// Renders one approved translation as Markdown and JSON.
pub fn render(a: &ApprovedTranslation) -> Rendered {
    render_as(a, a.target_lang.code())
}

/// [`render`] with the language written as `language`, a BCP 47 tag: `kk-Latn` for a Kazakh
/// translation whose segments the caller has put in the Latin alphabet.
pub fn render_as(a: &ApprovedTranslation, language: &str) -> Rendered {
    let (title, paragraphs) = title_and_paragraphs(a);
    let date = a.release_date.map(|d| d.to_string());
    let mut md = String::from("---\n");
    md.push_str(&format!("title: {}\n", yaml_str(&title)));
    md.push_str(&format!("date: {}\n", date.as_deref().unwrap_or("null")));
    md.push_str(&format!("language: {language}\n"));
    md.push_str(&format!("source_language: {}\n", a.source_lang));
    md.push_str(&format!("source_release: {}\n", a.release_id));
    md.push_str(&format!("source: {}\n", yaml_str(&a.release_source)));
    md.push_str(&format!("job: {}\n", a.job_id));
    md.push_str(&format!("approved_by: {}\n", yaml_str(&a.approved_by)));
    md.push_str(&format!("approved_at: {}\n", a.approved_at.to_rfc3339()));
    md.push_str("---\n\n");
    md.push_str(&format!("# {}\n\n", markdown_text(&title)));
    for p in &paragraphs {
        md.push_str(&markdown_text(p));
        md.push_str("\n\n");
    }
    let json = serde_json::json!({
        "title": title, "date": date, "language": language, "source_language": a.source_lang,
        "source_release": a.release_id, "source": a.release_source, "job": a.job_id, "place": a.place,
        "approved_by": a.approved_by, "approved_at": a.approved_at, "paragraphs": paragraphs,
    });
    Rendered { markdown: format!("{}\n", md.trim_end()), json: serde_json::to_string_pretty(&json).unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use audarma_core::Lang;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn approved() -> ApprovedTranslation {
        ApprovedTranslation {
            job_id: 7,
            release_id: 3,
            release_source: "examples/releases/ru-talks.txt".into(),
            source_lang: Lang::Ru,
            target_lang: Lang::En,
            release_date: NaiveDate::from_ymd_opt(2026, 6, 3),
            place: Some("Astana".into()),
            approved_at: Utc.with_ymd_and_hms(2026, 6, 4, 9, 30, 0).unwrap(),
            approved_by: "aigerim".into(),
            segments: vec![
                (None, "Talks \"in\" Astana".into()),
                (Some(1), "The talks began.".into()),
                (Some(1), "They ended.".into()),
                (Some(2), "Trade grew.".into()),
            ],
        }
    }

    #[test]
    fn markdown_has_front_matter_a_heading_and_one_paragraph_per_source_paragraph() {
        let r = render(&approved());
        assert_eq!(
            r.markdown,
            "---\ntitle: \"Talks \\\"in\\\" Astana\"\ndate: 2026-06-03\nlanguage: en\nsource_language: ru\n\
             source_release: 3\nsource: \"examples/releases/ru-talks.txt\"\njob: 7\napproved_by: \"aigerim\"\n\
             approved_at: 2026-06-04T09:30:00+00:00\n---\n\n# Talks \"in\" Astana\n\n\
             The talks began. They ended.\n\nTrade grew.\n"
        );
    }

    #[test]
    fn approved_text_cannot_become_markup_on_the_published_page() {
        let mut a = approved();
        a.segments = vec![
            (None, "Title\n---\nlayout: evil\n---".into()),
            (Some(1), "<script>alert(1)</script> and [a link](http://x) with *stress* & `code`".into()),
            (Some(2), "# not a heading".into()),
            (Some(3), "1. not a list".into()),
            (Some(4), "- nor this".into()),
            (Some(5), "    nor code".into()),
        ];
        let md = render(&a).markdown;
        let body = md.split("\n---\n\n").nth(1).unwrap();
        assert_eq!(
            body,
            "# Title --- layout: evil ---\n\n\
             &lt;script&gt;alert(1)&lt;/script&gt; and \\[a link\\](http://x) with \\*stress\\* &amp; \\`code\\`\n\n\
             \\# not a heading\n\n1\\. not a list\n\n\\- nor this\n\nnor code\n"
        );
        assert_eq!(md.matches("\n---\n").count(), 1, "one front matter block, closed once: {md}");
        assert!(md.starts_with("---\ntitle: \"Title\\n---\\nlayout: evil\\n---\"\n"), "{md}");
        // The JSON keeps the text as it is: it is data, not markup.
        assert!(render(&a).json.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn json_has_the_same_fields_the_place_and_the_paragraphs() {
        let r = render(&approved());
        assert!(!r.json.ends_with('\n'));
        let v: serde_json::Value = serde_json::from_str(&r.json).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "title": "Talks \"in\" Astana", "date": "2026-06-03", "language": "en", "source_language": "ru",
                "source_release": 3, "source": "examples/releases/ru-talks.txt", "job": 7, "place": "Astana",
                "approved_by": "aigerim", "approved_at": "2026-06-04T09:30:00Z",
                "paragraphs": ["The talks began. They ended.", "Trade grew."],
            })
        );
    }

    #[test]
    fn a_release_without_date_or_body_still_renders() {
        let a = ApprovedTranslation { release_date: None, place: None, segments: vec![], ..approved() };
        let r = render(&a);
        assert!(r.markdown.contains("\ntitle: \"\"\ndate: null\n"), "{}", r.markdown);
        assert!(r.markdown.ends_with("---\n\n#\n"), "{}", r.markdown);
        let v: serde_json::Value = serde_json::from_str(&r.json).unwrap();
        assert_eq!(
            (&v["date"], &v["place"], &v["paragraphs"]),
            (&serde_json::Value::Null, &serde_json::Value::Null, &serde_json::json!([]))
        );
    }

    #[test]
    fn render_as_writes_the_language_tag_given() {
        let a = ApprovedTranslation { target_lang: Lang::Kk, segments: vec![(None, "Qazaqstan".into())], ..approved() };
        let r = render_as(&a, "kk-Latn");
        assert!(r.markdown.contains("\nlanguage: kk-Latn\nsource_language: ru\n"), "{}", r.markdown);
        let v: serde_json::Value = serde_json::from_str(&r.json).unwrap();
        assert_eq!((&v["language"], &v["title"]), (&serde_json::json!("kk-Latn"), &serde_json::json!("Qazaqstan")));
        assert!(render(&a).markdown.contains("\nlanguage: kk\n"));
    }
}
