//! RSS 2.0 and Atom feeds, read with quick-xml into the items a run fetches.

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;

/// One item of a feed: a release, or a link to one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedItem {
    pub title: String,
    pub link: Option<String>,
    pub date: Option<NaiveDate>,
    /// The item's HTML content (`content:encoded`, `description`, Atom `content` or `summary`).
    pub content: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("not a feed: malformed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("not an RSS or Atom feed (the root element is <{0}>)")]
    NotAFeed(String),
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc2822(s)
        .map(|d| d.date_naive())
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(s).map(|d| d.date_naive()))
        .ok()
        .or_else(|| s.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))
}

fn local(name: &[u8]) -> String {
    let n = String::from_utf8_lossy(name).to_string();
    match n.rsplit_once(':') {
        Some((prefix, l)) if prefix != "content" => l.to_string(),
        _ => n,
    }
}

/// Parses an RSS 2.0 or Atom document. An empty feed gives no items; items without a date keep `None`.
pub fn parse_feed(xml: &[u8]) -> Result<Vec<FeedItem>, FeedError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut current: Option<FeedItem> = None;
    let mut field: Option<String> = None;
    let mut text = String::new();
    let mut root: Option<String> = None;
    let err = |r: &Reader<&[u8]>, e: quick_xml::Error| FeedError::Xml {
        position: r.buffer_position(),
        message: e.to_string(),
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| err(&reader, e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = local(e.name().as_ref());
                if root.is_none() {
                    if !matches!(name.as_str(), "rss" | "feed" | "RDF") {
                        return Err(FeedError::NotAFeed(name));
                    }
                    root = Some(name.clone());
                }
                if matches!(name.as_str(), "item" | "entry") {
                    current = Some(FeedItem::default());
                } else if let Some(item) = current.as_mut() {
                    if name == "link" {
                        // Atom: <link rel="alternate" href="…"/>; RSS: <link>…</link>.
                        let mut href = None;
                        let mut rel = None;
                        for a in e.attributes().flatten() {
                            let v = a.unescape_value().map(|v| v.to_string()).unwrap_or_default();
                            match a.key.as_ref() {
                                b"href" => href = Some(v),
                                b"rel" => rel = Some(v),
                                _ => {}
                            }
                        }
                        if let Some(h) = href {
                            if rel.as_deref().is_none_or(|r| r == "alternate") && item.link.is_none() {
                                item.link = Some(h);
                            }
                        }
                    }
                    if matches!(event, Event::Start(_)) {
                        field = Some(name);
                        text.clear();
                    }
                }
            }
            Event::Text(t) if field.is_some() => {
                text.push_str(&t.unescape().map(|c| c.to_string()).unwrap_or_default());
            }
            Event::CData(t) if field.is_some() => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(ref e) => {
                let name = local(e.name().as_ref());
                if matches!(name.as_str(), "item" | "entry") {
                    if let Some(item) = current.take() {
                        items.push(item);
                    }
                } else if let (Some(item), Some(f)) = (current.as_mut(), field.as_deref()) {
                    if f == name {
                        let value = text.trim().to_string();
                        match f {
                            "title" => item.title = value,
                            "link" if item.link.is_none() && !value.is_empty() => item.link = Some(value),
                            "pubDate" | "date" | "published" | "updated" | "issued"
                                if item.date.is_none() || f == "published" =>
                            {
                                item.date = parse_date(&value).or(item.date);
                            }
                            "content:encoded" | "content" => item.content = Some(value),
                            "description" | "summary" if item.content.is_none() => item.content = Some(value),
                            _ => {}
                        }
                        field = None;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if root.is_none() {
        return Err(FeedError::NotAFeed(String::new()));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rss_with_cdata_and_dates() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Akorda</title>
<item><title>Глава государства принял посла</title><link>https://akorda.kz/ru/1</link><pubDate>Wed, 07 Jun 2023 10:00:00 +0500</pubDate>
<content:encoded><![CDATA[<p>Стороны обсудили сотрудничество.</p>]]></content:encoded></item>
<item><title>No date &amp; no link</title><description>Text</description></item></channel></rss>"#;
        let items = parse_feed(rss.as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Глава государства принял посла");
        assert_eq!(items[0].link.as_deref(), Some("https://akorda.kz/ru/1"));
        assert_eq!(items[0].date, NaiveDate::from_ymd_opt(2023, 6, 7));
        assert_eq!(items[0].content.as_deref(), Some("<p>Стороны обсудили сотрудничество.</p>"));
        assert_eq!(
            (items[1].title.as_str(), items[1].date, items[1].link.as_deref()),
            ("No date & no link", None, None)
        );
    }

    #[test]
    fn reads_atom() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>MFA</title>
<entry><title>Briefing</title><link rel="alternate" href="https://mfa.gov.kz/en/b"/><link rel="edit" href="x"/>
<updated>2026-06-19T09:00:00Z</updated><published>2026-06-18T09:00:00Z</published><summary>Short</summary></entry></feed>"#;
        let items = parse_feed(atom.as_bytes()).unwrap();
        assert_eq!(items[0].link.as_deref(), Some("https://mfa.gov.kz/en/b"));
        assert_eq!(items[0].date, NaiveDate::from_ymd_opt(2026, 6, 18));
        assert_eq!(items[0].content.as_deref(), Some("Short"));
    }

    #[test]
    fn empty_broken_and_foreign_documents() {
        assert_eq!(parse_feed(b"<rss><channel></channel></rss>").unwrap(), vec![]);
        assert!(matches!(parse_feed(b"<html><body>x</body></html>"), Err(FeedError::NotAFeed(n)) if n == "html"));
        assert!(parse_feed(b"<rss><channel><item><title>x</titl></item>").is_err());
        assert!(parse_feed(b"").is_err());
    }
}
