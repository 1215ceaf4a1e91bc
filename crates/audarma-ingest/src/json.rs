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

/// Why a JSON release cannot be read: one line naming the field.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON, or not a release object (a missing `title`, a field of the wrong type).
    #[error("invalid release JSON: {0}")]
    Syntax(#[source] serde_json::Error),
    /// `date` as given, neither ISO nor a written form audarma knows.
    #[error("field `date`: {0:?} is not a date")]
    Date(String),
    #[error("field `body_html`: HTML nested deeper than {} elements", crate::MAX_HTML_DEPTH)]
    TooDeep,
    #[error("a release needs `body`, `paragraphs` or `body_html`")]
    NoBody,
}

/// Parses a JSON release; the error is one line naming the field.
pub fn extract(text: &str) -> Result<(Extracted, Option<Lang>), JsonError> {
    let r: JsonRelease = serde_json::from_str(text).map_err(JsonError::Syntax)?;
    let date = match r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(
            d.get(..10)
                .and_then(|iso| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok())
                .or_else(|| audarma_text::parse_date_line(d).map(|dl| dl.date))
                .ok_or_else(|| JsonError::Date(d.to_string()))?,
        ),
    };
    let paragraphs = match (r.paragraphs, r.body, r.body_html) {
        (Some(p), _, _) => p.iter().map(|p| audarma_text::collapse_whitespace(p)).filter(|p| !p.is_empty()).collect(),
        (None, Some(b), _) => audarma_text::paragraphs(&audarma_text::normalize(&b)),
        (None, None, Some(h)) if crate::html::nesting_depth(&h) > crate::MAX_HTML_DEPTH => {
            return Err(JsonError::TooDeep)
        }
        (None, None, Some(h)) => crate::html::extract_fragment(&h, "").paragraphs,
        (None, None, None) => return Err(JsonError::NoBody),
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
        let e = extract(r#"{"title": "T", "date": "soon", "body": "x"}"#).unwrap_err();
        assert!(matches!(&e, JsonError::Date(d) if d == "soon"), "{e:?}");
        assert_eq!(e.to_string(), "field `date`: \"soon\" is not a date");
        let e = extract(r#"{"title": "T"}"#).unwrap_err();
        assert!(matches!(e, JsonError::NoBody), "{e:?}");
        assert_eq!(e.to_string(), "a release needs `body`, `paragraphs` or `body_html`");
        let e = extract(r#"{"date": "2026-01-01"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `title`"), "{e}");
        let e = extract("[1, 2").unwrap_err();
        assert!(e.to_string().starts_with("invalid release JSON: "), "{e}");
        let source = std::error::Error::source(&e).expect("serde_json's error is kept");
        assert!(source.is::<serde_json::Error>(), "{source:?}");
    }
}
