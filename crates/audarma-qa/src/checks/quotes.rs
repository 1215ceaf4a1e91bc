//! The `quotes` check: the target uses its language's quotation marks («…» in Kazakh and Russian,
//! “…” or "…" in English) and closes every quote it opens (unless the source does not either).

use super::Input;
use crate::tokens::lang_name;
use crate::{Check, Finding, Severity};
use audarma_core::Lang;

fn quote_marks(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "“…” or \"…\"",
        Lang::Kk | Lang::Ru => "«…»",
    }
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    let t = seg.target;
    let lang = seg.target_lang;
    let wrong: &[char] = match lang {
        Lang::En => &['«', '»'],
        // „…“ only nests inside «…»: as the outer quotes it is the German style.
        Lang::Kk | Lang::Ru if t.contains('„') && !t.contains('«') => &['„', '"', '”'],
        Lang::Kk | Lang::Ru if t.contains('„') => &['"', '”'],
        Lang::Kk | Lang::Ru => &['"', '“', '”'],
    };
    if let Some(i) = t.find(wrong) {
        let c = t[i..].chars().next().unwrap_or('"');
        let close = match c {
            '«' => '»',
            '“' => '”',
            '„' => '“',
            c => c,
        };
        let end =
            t[i + c.len_utf8()..].find(close).map_or(i + c.len_utf8(), |k| i + c.len_utf8() + k + close.len_utf8());
        let shown = if end > i + c.len_utf8() { format!("{c}…{close}") } else { c.to_string() };
        out.push(
            Finding::new(
                Check::Quotes,
                Severity::Warning,
                format!("{} expected in {}, found {shown}", quote_marks(lang), lang_name(lang)),
            )
            .at(t, i, end),
        );
    }
    // Russian nests „…“ inside «…»; English pairs “…”.
    let unbalanced = |s: &str| {
        let n = |c: char| s.chars().filter(|x| *x == c).count();
        let curly = if n('„') == 0 { n('“') != n('”') } else { (n('„') + n('“') + n('”')) % 2 == 1 };
        n('«') != n('»') || n('"') % 2 == 1 || curly
    };
    if unbalanced(t) && !unbalanced(seg.source) {
        out.push(Finding::new(
            Check::Quotes,
            Severity::Warning,
            "a quotation mark is not closed (or not opened)".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run_pair, segment};
    use crate::{check, Check};
    use audarma_core::Lang;

    #[test]
    fn the_languages_quotation_marks_and_closed_quotes() {
        use Lang::*;
        let f = check(&segment("The “Nurly Zhol” programme.", "Программа “Нұрлы жол”.", En, Ru));
        assert_eq!(f[0].check, Check::Quotes);
        assert_eq!(f[0].message, "«…» expected in Russian, found “…”");
        assert!(has(&run_pair("The «Nurly Zhol» programme.", "The «Nurly Zhol» programme", Ru, En), "quotes"));
    }
}
