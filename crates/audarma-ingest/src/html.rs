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

/// Elements that never have content, and those whose end tag may be left out (the parser closes them
/// itself): neither makes the parser's stack of open elements grow on a sloppy page.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
    "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt",
    "rtc", "rp", "colgroup", "caption", "html", "head", "body",
];

/// How deep the elements of `html` nest, counted in one pass the way a parser's stack grows (start tags
/// push, end tags pop; comments and the text of scripts and styles skipped). Linear, so that a hostile
/// page can be measured before it is parsed: parsing is quadratic in nesting.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = html[i..].find('<') {
        let j = i + off + 1;
        if html[j..].starts_with("!--") {
            i = html[j..].find("-->").map_or(b.len(), |e| j + e + 3);
            continue;
        }
        let closing = b.get(j) == Some(&b'/');
        let k = if closing { j + 1 } else { j };
        let name_len = b[k..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            i = j;
            continue;
        }
        let name = html[k..k + name_len].to_ascii_lowercase();
        let end = html[k..].find('>').map_or(b.len(), |e| k + e);
        let self_closing = end > 0 && b.get(end - 1) == Some(&b'/');
        let counted = !NOT_NESTING.contains(&name.as_str());
        if closing {
            if counted {
                depth = depth.saturating_sub(1);
            }
        } else if counted && !self_closing {
            depth += 1;
            max = max.max(depth);
        }
        i = (end + 1).min(b.len());
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let rest = html[i..].to_ascii_lowercase();
            i = rest.find(&close).map_or(b.len(), |e| i + e);
        }
    }
    max
}

/// The generic extractor.
#[cfg(test)]
pub fn extract(html: &str) -> Extracted {
    extract_with(html, None)
}

/// The element holding the release: `<article>`, else `<main>`, else the element whose direct
/// paragraphs carry the most text that is not link text (text density), else `<body>`.
fn content_root<'a>(doc: &'a Html) -> Option<ElementRef<'a>> {
    let first = |s: &str| sel(s).and_then(|s| doc.select(&s).next());
    if let Some(e) = first("article").or_else(|| first("main")) {
        return Some(e);
    }
    let p = sel("p")?;
    let a = sel("a")?;
    let mut best: Option<(usize, ElementRef<'a>)> = None;
    for para in doc.select(&p) {
        let Some(parent) = para.parent().and_then(ElementRef::wrap) else { continue };
        if is_skipped(parent) {
            continue;
        }
        let score: usize = parent
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| c.value().name() == "p")
            .map(|c| {
                let all = c.text().map(str::len).sum::<usize>();
                let links = c.select(&a).flat_map(|l| l.text()).map(str::len).sum::<usize>();
                all.saturating_sub(links)
            })
            .sum();
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, parent));
        }
    }
    best.map(|(_, e)| e).or_else(|| first("body"))
}

/// Extracts a release page, with a site profile's selectors where it has them.
pub fn extract_with(html: &str, profile: Option<&crate::SiteProfile>) -> Extracted {
    extract_from(&Html::parse_document(html), profile, None)
}

/// Extracts a fragment of HTML that is all release body (a feed item's content, a JSON release's
/// `body_html`) whose title comes from elsewhere: every block of the fragment is read, none is taken
/// for the title.
pub fn extract_fragment(html: &str, title: &str) -> Extracted {
    extract_from(&Html::parse_fragment(html), None, Some(title))
}

/// `title`: the release's title when it is known already (then the whole document is body).
fn extract_from(doc: &Html, profile: Option<&crate::SiteProfile>, title: Option<&str>) -> Extracted {
    let mut x = Extracted::default();
    let first = |s: &str| sel(s).and_then(|s| doc.select(&s).next());

    if let Some(t) = title {
        x.title = audarma_text::collapse_whitespace(t);
    } else if let Some(h) = profile.and_then(|p| p.title.as_ref()).and_then(|s| doc.select(s).next()) {
        x.title = text_of(h);
    } else if let Some(h1) = first("h1") {
        x.title = text_of(h1);
    } else if let Some(t) = first("title") {
        let t = text_of(t);
        x.title = t.split(" | ").next().unwrap_or_default().trim().to_string();
    }
    if let Some(d) = profile.and_then(|p| p.date.as_ref()).and_then(|s| doc.select(s).next()) {
        let attr = d.value().attr("datetime").unwrap_or_default();
        x.date = attr
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .or_else(|| audarma_text::parse_date_line(&text_of(d)).map(|d| d.date));
    }
    if x.date.is_none() {
        if let Some(t) = first("time[datetime]") {
            let attr = t.value().attr("datetime").unwrap_or_default();
            x.date = attr.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if x.date.is_none() {
                x.date = audarma_text::parse_date_line(&text_of(t)).map(|d| d.date);
            }
        }
    }
    if x.date.is_none() {
        if let Some(s) = sel("[class*=date], time") {
            x.date = doc.select(&s).find_map(|e| audarma_text::parse_date_line(&text_of(e))).map(|d| d.date);
        }
    }

    let blocks: Vec<ElementRef<'_>> = match profile.and_then(|p| p.body.as_ref()) {
        Some(body) => doc.select(body).collect(),
        None => {
            let root = if title.is_some() { Some(doc.root_element()) } else { content_root(doc) };
            let (Some(root), Some(blocks)) = (root, sel("p, blockquote, h2, h3, li")) else { return x };
            root.select(&blocks).collect()
        }
    };
    let p_sel = sel("p");
    for e in blocks {
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
    #[test]
    fn nesting_is_measured_in_one_pass_without_counting_what_a_parser_closes_itself() {
        assert_eq!(nesting_depth("<html><body><div><p>a<p>b<br><img src=x></div></body></html>"), 1);
        assert_eq!(nesting_depth("<div><section><article><b>x</b></article></section></div>"), 4);
        assert_eq!(
            nesting_depth("<!-- <div><div> --><script>var s = '<div><div><div>';</script><div/>"),
            1,
            "the script itself, not the tags in its text"
        );
        let deep = "<div>".repeat(200_000);
        assert_eq!(nesting_depth(&deep), 200_000);
        let sloppy = "<p>para".repeat(10_000) + &"<li>item".repeat(10_000);
        assert_eq!(nesting_depth(&sloppy), 0, "unclosed paragraphs and items do not nest");
    }

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
    fn without_article_or_main_the_densest_block_is_the_release() {
        let html = r#"<body><div class="top"><p><a>Home</a></p><p><a>News</a> <a>Contacts</a></p></div>
<div class="x"><h1>Forum opened</h1><p>The forum opened in Almaty today.</p><p>Delegations from 30 countries attend it.</p></div>
<div class="side"><p>Weather: sunny</p></div></body>"#;
        let x = extract(html);
        assert_eq!(x.paragraphs, ["The forum opened in Almaty today.", "Delegations from 30 countries attend it."]);
    }

    #[test]
    fn a_site_profile_overrides_the_generic_guess() {
        let html = r#"<body><div class="head">Talks</div><span class="when">7 June 2023</span>
<div class="text"><div class="para">First paragraph.</div><div class="para">Images by the press service</div></div>
<p>Unrelated footer text.</p></body>"#;
        let p = crate::SiteProfile::new(
            "gov.kz",
            Some(".head"),
            Some(".when"),
            Some(".text .para"),
            &["^Images by".into()],
        )
        .unwrap();
        let x = extract_with(html, Some(&p));
        assert_eq!(x.title, "Talks");
        assert_eq!(x.date, chrono::NaiveDate::from_ymd_opt(2023, 6, 7));
        assert_eq!(
            x.paragraphs,
            ["First paragraph.", "Images by the press service"],
            "drop patterns apply in read_bytes"
        );
        let r = crate::read_bytes(
            std::path::Path::new("https://gov.kz/x"),
            crate::Format::Html,
            html.as_bytes(),
            None,
            Some(&p),
        )
        .unwrap();
        assert_eq!(r.paragraphs.len(), 1);
    }

    #[test]
    fn truncated_html_still_gives_what_is_there() {
        let x = extract("<html><body><h1>Title</h1><p>One sentence. Two");
        assert_eq!(x.title, "Title");
        assert_eq!(x.paragraphs, ["One sentence. Two"]);
    }
}
