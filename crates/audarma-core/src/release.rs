use crate::Lang;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// A paragraph of a release body, cut into sentences (the segments a translator works on).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    pub sentences: Vec<String>,
    /// The paragraph's language when it differs from the release's (a Russian quotation in a Kazakh
    /// release); `None` when it is the release's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

impl Paragraph {
    /// A paragraph in the release's own language.
    pub fn new(sentences: Vec<String>) -> Self {
        Paragraph { sentences, lang: None }
    }

    /// The paragraph's text: its sentences joined by single spaces.
    pub fn text(&self) -> String {
        self.sentences.join(" ")
    }
}

/// A press release as read from its source, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Release {
    /// Where it came from: a file path or URL.
    pub source: String,
    pub lang: Lang,
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The dateline place ("Astana", "Астана"), where the release has one.
    pub place: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

impl Release {
    /// The identity of the release's content: the same text from another path is the same release.
    pub fn content_hash(&self) -> String {
        let mut body = String::new();
        for p in &self.paragraphs {
            body.push_str(&p.text());
            body.push('\n');
        }
        content_hash(self.lang, &self.title, &body)
    }

    /// The body as stored: paragraphs separated by blank lines.
    pub fn body(&self) -> String {
        self.paragraphs.iter().map(Paragraph::text).collect::<Vec<_>>().join("\n\n")
    }

    /// Number of segments: the title is segment 0 when present, then every sentence.
    pub fn segment_count(&self) -> usize {
        usize::from(!self.title.is_empty()) + self.paragraphs.iter().map(|p| p.sentences.len()).sum::<usize>()
    }
}

/// SHA-256 over the language, title and body, hex-encoded.
pub fn content_hash(lang: Lang, title: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(lang.code().as_bytes());
    h.update([0]);
    h.update(title.trim().as_bytes());
    h.update([0]);
    h.update(body.trim().as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(title: &str, body: &[&[&str]]) -> Release {
        Release {
            source: "x.txt".into(),
            lang: Lang::En,
            title: title.into(),
            date: None,
            place: None,
            paragraphs: body.iter().map(|p| Paragraph::new(p.iter().map(|s| s.to_string()).collect())).collect(),
        }
    }

    #[test]
    fn hash_ignores_source_but_not_text() {
        let a = release("Talks", &[&["One.", "Two."]]);
        let mut b = a.clone();
        b.source = "elsewhere.html".into();
        assert_eq!(a.content_hash(), b.content_hash());
        let c = release("Talks", &[&["One.", "Three."]]);
        assert_ne!(a.content_hash(), c.content_hash());
        assert_eq!(a.segment_count(), 3);
    }
}
