//! A release as a JSON object, as a site's API or a CMS export gives it:
//!
//! ```json
//! {"title": "…", "date": "2026-06-03", "lang": "ru", "place": "Астана",
//!  "body": "Paragraph one.\n\nParagraph two."}
//! ```
//! `body` may also be `paragraphs` (an array of strings), or HTML (`body_html`). `date` takes ISO dates
//! and the written forms [`audarma_text::parse_date_line`] knows.

use crate::Extracted;
use audarma_core::Lang;
use serde::Deserialize;

#[derive(Deserialize)]
struct JsonRelease {
    title: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    lang: Option<Lang>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    paragraphs: Option<Vec<String>>,
    #[serde(default)]
    body_html: Option<String>,
}

/// Parses a JSON release; the error is one line naming the field.
pub fn extract(text: &str) -> Result<(Extracted, Option<Lang>), String> {
    let r: JsonRelease = serde_json::from_str(text).map_err(|e| format!("invalid release JSON: {e}"))?;
    let date = match r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(
            d.get(..10)
                .and_then(|iso| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok())
                .or_else(|| audarma_text::parse_date_line(d).map(|dl| dl.date))
                .ok_or_else(|| format!("field `date`: {d:?} is not a date"))?,
        ),
    };
    let paragraphs = match (r.paragraphs, r.body, r.body_html) {
        (Some(p), _, _) => p.iter().map(|p| audarma_text::collapse_whitespace(p)).filter(|p| !p.is_empty()).collect(),
        (None, Some(b), _) => audarma_text::paragraphs(&audarma_text::normalize(&b)),
        (None, None, Some(h)) if crate::html::nesting_depth(&h) > crate::MAX_HTML_DEPTH => {
            return Err(format!("field `body_html`: HTML nested deeper than {} elements", crate::MAX_HTML_DEPTH))
        }
        (None, None, Some(h)) => crate::html::extract_fragment(&h, "").paragraphs,
        (None, None, None) => return Err("a release needs `body`, `paragraphs` or `body_html`".into()),
    };
    let title = audarma_text::collapse_whitespace(&r.title);
    Ok((Extracted { title, date, place: r.place, paragraphs }, r.lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_body_paragraphs_or_html() {
        let (x, lang) =
            extract(r#"{"title": "Talks", "date": "2026-06-03T10:00:00+05:00", "lang": "en", "body": "One.\n\nTwo."}"#)
                .unwrap();
        assert_eq!(
            (x.title.as_str(), x.date, lang),
            ("Talks", chrono::NaiveDate::from_ymd_opt(2026, 6, 3), Some(Lang::En))
        );
        assert_eq!(x.paragraphs, ["One.", "Two."]);
        let (x, _) = extract(r#"{"title": "T", "paragraphs": ["A  b.", " "]}"#).unwrap();
        assert_eq!(x.paragraphs, ["A b."]);
        let (x, _) =
            extract(r#"{"title": "T", "body_html": "<p>A.</p><div class=\"share\">Share</div><p>B.</p>"}"#).unwrap();
        assert_eq!(x.paragraphs, ["A.", "B."]);
    }

    #[test]
    fn errors_name_the_field() {
        assert!(extract(r#"{"title": "T", "date": "soon", "body": "x"}"#).unwrap_err().contains("field `date`"));
        assert!(extract(r#"{"title": "T"}"#).unwrap_err().contains("`body`"));
        assert!(extract(r#"{"date": "2026-01-01"}"#).unwrap_err().contains("missing field `title`"));
        assert!(extract("[1, 2").unwrap_err().starts_with("invalid release JSON"));
    }
}
