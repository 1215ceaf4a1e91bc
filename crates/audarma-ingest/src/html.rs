//! HTML pages of official sites: the title from `<h1>` (or `<title>`), the date from `<time>` or a
//! date element, the body from the `<article>` (or `<main>`, or `<body>`) paragraphs, skipping the
//! header, menus, share buttons, breadcrumbs, back links and footer.

use crate::{furniture::is_furniture, text::dateline_place, Extracted};
use scraper::{ElementRef, Html, Selector};

const SKIP_TAGS: &[&str] =
    &["header", "nav", "footer", "aside", "form", "script", "style", "noscript", "button", "figure"];
const SKIP_CLASSES: &[&str] =
    &["share", "social", "breadcrumb", "back", "print", "menu", "tags", "related", "banner", "cookie", "subscribe"];

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn text_of(e: ElementRef<'_>) -> String {
    audarma_text::collapse_whitespace(&e.text().collect::<String>())
}

fn is_skipped(e: ElementRef<'_>) -> bool {
    std::iter::once(e).chain(e.ancestors().filter_map(ElementRef::wrap)).any(|a| {
        let v = a.value();
        let marks = format!("{} {}", v.attr("class").unwrap_or_default(), v.id().unwrap_or_default()).to_lowercase();
        SKIP_TAGS.contains(&v.name()) || SKIP_CLASSES.iter().any(|c| marks.contains(c))
    })
}

pub fn extract(html: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let mut x = Extracted::default();
    let first = |s: &str| sel(s).and_then(|s| doc.select(&s).next());

    if let Some(h1) = first("h1") {
        x.title = text_of(h1);
    } else if let Some(t) = first("title") {
        let t = text_of(t);
        x.title = t.split(" | ").next().unwrap_or_default().trim().to_string();
    }
    if let Some(t) = first("time[datetime]") {
        let attr = t.value().attr("datetime").unwrap_or_default();
        x.date = attr.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if x.date.is_none() {
            x.date = audarma_text::parse_date_line(&text_of(t)).map(|d| d.date);
        }
    }
    if x.date.is_none() {
        if let Some(s) = sel("[class*=date], time") {
            x.date = doc.select(&s).find_map(|e| audarma_text::parse_date_line(&text_of(e))).map(|d| d.date);
        }
    }

    let root = first("article").or_else(|| first("main")).or_else(|| first("body"));
    let (Some(root), Some(blocks)) = (root, sel("p, blockquote, h2, h3, li")) else { return x };
    let p_sel = sel("p");
    for e in root.select(&blocks) {
        if is_skipped(e) {
            continue;
        }
        // A blockquote made of paragraphs is read through its paragraphs.
        if e.value().name() == "blockquote" && p_sel.as_ref().is_some_and(|p| e.select(p).next().is_some()) {
            continue;
        }
        let t = text_of(e);
        if t.is_empty() || t == x.title || is_furniture(&t) || audarma_text::parse_date_line(&t).is_some() {
            continue;
        }
        x.paragraphs.push(t);
    }
    x.place = x.paragraphs.first().and_then(|p| dateline_place(p));
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_the_page_around_it() {
        let html = r#"<html><head><title>Talks | Official site</title><script>var a = "<p>x</p>";</script></head>
<body><header><div>Official website</div><nav><ul><li><a>Home</a></li><li><a>News</a></li></ul></nav></header>
<main><div class="breadcrumbs"><a>Home</a> / <a>News</a></div>
<article><h1>Talks&nbsp;in Astana</h1><time datetime="2026-05-20">20 May 2026</time>
<p>The Head of State held talks.</p><blockquote>&laquo;We agree&raquo;, &mdash; he said.</blockquote>
<ul><li>First, trade.</li></ul>
<div class="share">Share: <a>Facebook</a></div><p class="back"><a>&larr; Go back</a></p></article></main>
<footer><p>&copy; 2026</p></footer></body></html>"#;
        let x = extract(html);
        assert_eq!(x.title, "Talks in Astana");
        assert_eq!(x.date, chrono::NaiveDate::from_ymd_opt(2026, 5, 20));
        assert_eq!(x.paragraphs, ["The Head of State held talks.", "«We agree», — he said.", "First, trade."]);
    }

    #[test]
    fn truncated_html_still_gives_what_is_there() {
        let x = extract("<html><body><h1>Title</h1><p>One sentence. Two");
        assert_eq!(x.title, "Title");
        assert_eq!(x.paragraphs, ["One sentence. Two"]);
    }
}
