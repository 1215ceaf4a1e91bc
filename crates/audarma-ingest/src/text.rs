//! Plain text and Markdown as a scraped page gives them: furniture lines, a title line, a date line,
//! then paragraphs separated by blank lines.

use crate::{furniture::is_furniture, Extracted};

/// Strips the Markdown a press release uses: headings, emphasis, links, images, quotes, bullets.
fn strip_markdown(line: &str) -> String {
    let mut l = line.trim_start();
    while let Some(rest) = l.strip_prefix('>') {
        l = rest.trim_start();
    }
    let l = l.trim_start_matches('#').trim_start();
    let l = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")).or_else(|| l.strip_prefix("+ ")).unwrap_or(l);
    let mut out = String::with_capacity(l.len());
    let mut rest = l;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("![") {
            // Images carry no release text.
            match after.find("](").and_then(|i| after[i..].find(')').map(|j| i + j)) {
                Some(end) => rest = &after[end + 1..],
                None => {
                    out.push_str("![");
                    rest = after;
                }
            }
        } else if let Some(after) = rest.strip_prefix('[') {
            match after.find("](").and_then(|i| after[i..].find(')').map(|j| (i, i + j))) {
                Some((text_end, end)) => {
                    out.push_str(&after[..text_end]);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('[');
                    rest = after;
                }
            }
        } else if rest.starts_with("**") || rest.starts_with("__") {
            rest = &rest[2..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.trim().to_string()
}

fn is_time(line: &str) -> bool {
    let l = line.trim();
    let b = l.as_bytes();
    (4..=5).contains(&b.len())
        && l.split(':').count() == 2
        && l.split(':').all(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// Extracts title, date and paragraphs from a text or Markdown release.
pub fn extract(text: &str, markdown: bool) -> Extracted {
    // Blocks of lines separated by blank lines, each line cleaned, furniture dropped.
    let mut lines: Vec<Option<(String, bool)>> = Vec::new(); // None = blank; (text, was_heading)
    for raw in text.lines() {
        let heading = markdown && raw.trim_start().starts_with("# ");
        let line = if markdown { strip_markdown(raw) } else { raw.trim().to_string() };
        if line.is_empty() || is_furniture(&line) || (markdown && raw.trim_start().starts_with("<!--")) {
            lines.push(None);
        } else {
            lines.push(Some((line, heading)));
        }
    }
    let content: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.is_some()).map(|(i, _)| i).collect();
    let line_at = |i: usize| lines[i].as_ref().map(|(t, _)| t.as_str()).unwrap_or_default();

    let mut x = Extracted::default();
    // The title: a Markdown `# ` heading, else the line just before the first date line near the
    // top, else the first line.
    let heading = content.iter().copied().find(|&i| lines[i].as_ref().is_some_and(|(_, h)| *h));
    let date_at = content.iter().take(8).copied().find(|&i| audarma_text::parse_date_line(line_at(i)).is_some());
    let title_at = match (heading, date_at) {
        (Some(h), _) => Some(h),
        (None, Some(d)) => content.iter().copied().take_while(|&i| i < d).last(),
        (None, None) => content.first().copied(),
    };
    let mut used = vec![false; lines.len()];
    if let Some(t) = title_at {
        x.title = line_at(t).to_string();
        // Everything above the title is the site's header.
        used[..=t].iter_mut().for_each(|u| *u = true);
    }
    let date_at = date_at.filter(|d| title_at.is_none_or(|t| *d > t)).or_else(|| {
        content
            .iter()
            .copied()
            .filter(|&i| !used[i])
            .take(3)
            .find(|&i| audarma_text::parse_date_line(line_at(i)).is_some())
    });
    if let Some(d) = date_at {
        if let Some(dl) = audarma_text::parse_date_line(line_at(d)) {
            x.date = Some(dl.date);
            x.place = dl.place;
        }
        used[d] = true;
        // A time line right under the date ("16:45").
        if let Some(&next) = content.iter().find(|&&i| i > d) {
            if is_time(line_at(next)) {
                used[next] = true;
            }
        }
    }
    // The lines of a block, joined by audarma-text's rule: hard wraps are joined, a line that
    // stands alone (headline, caption, date line) before a single line break is a paragraph.
    let mut block: Vec<&str> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match l {
            Some((t, _)) if !used[i] && !is_time(t) => block.push(t),
            _ => {
                if !block.is_empty() {
                    x.paragraphs.extend(audarma_text::paragraphs(&block.join("\n")));
                    block.clear();
                }
            }
        }
    }
    if !block.is_empty() {
        x.paragraphs.extend(audarma_text::paragraphs(&block.join("\n")));
    }
    if x.place.is_none() {
        x.place = x.paragraphs.first().and_then(|p| dateline_place(p));
    }
    x
}

/// The place of a dateline opening the first paragraph: "Seoul, 12 March 2026 — …", "АСТАНА. …".
pub fn dateline_place(paragraph: &str) -> Option<String> {
    for sep in [" — ", " – ", " - "] {
        if let Some(i) = paragraph.find(sep) {
            if i <= 60 {
                if let Some(dl) = audarma_text::parse_date_line(&paragraph[..i]) {
                    return dl.place;
                }
            }
        }
    }
    let first = paragraph.split(['.', ',']).next()?.trim();
    let letters: Vec<char> = first.chars().filter(|c| c.is_alphabetic()).collect();
    (letters.len() >= 4
        && letters.len() <= 20
        && letters.iter().all(|c| c.is_uppercase())
        && first.split_whitespace().count() <= 2)
        .then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_standing_alone_is_its_own_paragraph() {
        let x = extract(
            "Глава государства вручил награды\n\n7 июня 2023 года\n\nПрезидент вручил государственные награды деятелям культуры\nНаграды за вклад в культуру\nЦеремония прошла в Акорде.\nОна длилась час.\n",
            false,
        );
        assert_eq!(
            x.paragraphs,
            [
                "Президент вручил государственные награды деятелям культуры",
                "Награды за вклад в культуру",
                "Церемония прошла в Акорде.",
                "Она длилась час."
            ]
        );
    }

    #[test]
    fn markdown_is_stripped_to_text() {
        assert_eq!(strip_markdown("# **Talks** in [Astana](https://x.kz)"), "Talks in Astana");
        assert_eq!(strip_markdown("> ![logo](a.png) Quote"), "Quote");
        assert_eq!(strip_markdown("1. First point."), "1. First point.");
    }

    #[test]
    fn markdown_title_comes_from_the_heading() {
        let x = extract("Ministry of Justice\nBasty bet\n\n# Memorandum signed\n\n07.06.2026 15:00\n\nText one.\nstill one.\n\nText two.\n", true);
        assert_eq!(x.title, "Memorandum signed");
        assert_eq!(x.date, chrono::NaiveDate::from_ymd_opt(2026, 6, 7));
        assert_eq!(x.paragraphs, ["Text one. still one.", "Text two."]);
    }

    #[test]
    fn a_text_without_date_takes_its_first_line_as_title() {
        let x = extract("Talks held\n\nThe parties met.\n", false);
        assert_eq!((x.title.as_str(), x.date, x.paragraphs.len()), ("Talks held", None, 1));
    }

    #[test]
    fn datelines_give_the_place() {
        assert_eq!(dateline_place("АСТАНА. Глава государства принял"), Some("АСТАНА".into()));
        assert_eq!(dateline_place("The Head of State met"), None);
    }
}
