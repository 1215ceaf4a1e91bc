//! Per-site extraction profiles, declared in the workflow: CSS selectors for the title, date and body
//! of one site's pages, and patterns of lines to drop.

use scraper::Selector;

/// How to read one site's pages. Unset selectors fall back to the generic extractor.
#[derive(Debug, Clone)]
pub struct SiteProfile {
    pub host: String,
    pub title: Option<Selector>,
    pub date: Option<Selector>,
    pub body: Option<Selector>,
    pub drop: Vec<regex::Regex>,
}

#[derive(Debug, thiserror::Error)]
#[error("site profile `{host}`: `{field}`: {message}")]
pub struct ProfileError {
    pub host: String,
    pub field: String,
    pub message: String,
}

impl SiteProfile {
    /// Builds a profile, checking every selector and pattern.
    pub fn new(
        host: &str,
        title: Option<&str>,
        date: Option<&str>,
        body: Option<&str>,
        drop: &[String],
    ) -> Result<SiteProfile, ProfileError> {
        let err = |field: &str, message: String| ProfileError { host: host.into(), field: field.into(), message };
        let selector = |field: &str, s: Option<&str>| {
            s.map(|s| Selector::parse(s).map_err(|e| err(field, format!("invalid CSS selector {s:?}: {e}"))))
                .transpose()
        };
        let drop = drop
            .iter()
            .map(|d| regex::Regex::new(d).map_err(|e| err("drop", format!("invalid pattern {d:?}: {e}"))))
            .collect::<Result<_, _>>()?;
        Ok(SiteProfile {
            host: host.to_ascii_lowercase(),
            title: selector("title", title)?,
            date: selector("date", date)?,
            body: selector("body", body)?,
            drop,
        })
    }

    /// Whether a paragraph is one of the site's furniture lines.
    pub fn drops(&self, paragraph: &str) -> bool {
        self.drop.iter().any(|r| r.is_match(paragraph))
    }

    /// Whether the profile is for `host` (or a subdomain of it).
    pub fn applies_to(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        host == self.host || host.ends_with(&format!(".{}", self.host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_selectors_and_patterns_name_the_field() {
        let e = SiteProfile::new("akorda.kz", Some("h1[[["), None, None, &[]).unwrap_err();
        assert!(e.to_string().starts_with("site profile `akorda.kz`: `title`: invalid CSS selector"), "{e}");
        let e = SiteProfile::new("akorda.kz", None, None, None, &["(".into()]).unwrap_err();
        assert!(e.to_string().contains("`drop`"), "{e}");
        let p = SiteProfile::new("Akorda.kz", None, None, None, &["^Фото:".into()]).unwrap();
        assert!(p.applies_to("www.akorda.kz") && p.applies_to("akorda.kz") && !p.applies_to("notakorda.kz"));
        assert!(p.drops("Фото: пресс-служба") && !p.drops("Фото"));
    }
}
