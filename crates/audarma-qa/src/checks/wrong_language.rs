//! The `wrong-language` check: the whole target reads as another language (an error: the
//! detector's guess weighed against Russian and Kazakh word markers, so that names do not flip
//! it), or a stretch of three or more lower-case words of another script is left in it (a warning).

use super::Input;
use crate::special;
use crate::tokens::{inside, is_cyrillic, lang_name, words};
use crate::{Check, Finding, Severity};
use audarma_core::Lang;

/// Kazakh-specific letters in words that do not start with a capital (names do not count).
fn kazakh_letters_in_lower_words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .flat_map(str::chars)
        .filter(|c| audarma_text::is_kazakh_letter(*c))
        .count()
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    // URLs, addresses and placeholders say nothing of the language.
    let mut blanks = special::spans(&input.tgt_special);
    blanks.extend(input.tgt_placeholders.iter().map(|&(s, e, _)| (s, e)));
    let plain: String = seg.target.char_indices().map(|(i, c)| if inside(&blanks, i) { ' ' } else { c }).collect();
    let letters = plain.chars().filter(|c| c.is_alphabetic()).count();
    let want = seg.target_lang;
    if letters >= 20 {
        if let Some(d) = audarma_text::detector().detect(&plain) {
            // Word evidence: Russian function words and endings against Kazakh words. Names are
            // capitalised and count for neither, so a Russian sentence full of Kazakh names
            // («Бауыржан Байбек прибыл в Талдыкорган.») is not Kazakh, and a short Russian
            // sentence given as the Kazakh translation is caught.
            let m = audarma_text::markers(&plain);
            let kk_lower = kazakh_letters_in_lower_words(&plain);
            let plainly_russian = m.ru > 0 && m.kk == 0 && kk_lower == 0;
            let wrong = match (want, d.lang) {
                (w, l) if w == l => false,
                (Lang::Kk, Lang::Ru) => (letters >= 60 && kk_lower <= 1) || plainly_russian,
                (Lang::Ru, Lang::Kk) => !plainly_russian,
                _ => true,
            };
            if wrong {
                out.push(Finding::new(
                    Check::WrongLanguage,
                    Severity::Error,
                    format!("the target should be in {} but reads as {}", lang_name(want), lang_name(d.lang)),
                ));
                return;
            }
        }
    }
    // A stretch of another script left inside the target: three or more lower-case Latin words in
    // a Kazakh or Russian target, or Cyrillic words in an English one.
    let spans = special::spans(&input.tgt_special);
    let foreign = |w: &str| {
        let lower = w.chars().next().is_some_and(char::is_lowercase);
        let latin = w.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
        let cyrillic = w.chars().all(|c| is_cyrillic(c) || c == '-');
        lower && if want == Lang::En { cyrillic } else { latin }
    };
    let ws = words(seg.target);
    let mut run: Vec<(usize, &str)> = Vec::new();
    let report = |run: &[(usize, &str)], out: &mut Vec<Finding>| {
        if run.len() >= 3 {
            let (s, e) = (run[0].0, run[run.len() - 1].0 + run[run.len() - 1].1.len());
            out.push(
                Finding::new(
                    Check::WrongLanguage,
                    Severity::Warning,
                    format!("“{}” is not {}", &seg.target[s..e], lang_name(want)),
                )
                .at(seg.target, s, e),
            );
        }
    };
    for (s, w) in ws {
        if foreign(w) && !inside(&spans, s) {
            run.push((s, w));
        } else {
            report(&run, out);
            run.clear();
        }
    }
    report(&run, out);
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run_pair, segment};
    use crate::{check, Check, Severity};
    use audarma_core::Lang;

    #[test]
    fn wrong_language() {
        use Lang::*;
        let f = run_pair(
            "Министрлік шағын және орта бизнесті қолдауды жалғастырады.",
            "Министерство продолжит поддерживать малый и средний бизнес в регионах страны.",
            Ru,
            Kk,
        );
        assert!(has(&f, "wrong-language"), "{f:?}");
        // Short Russian given as Kazakh: Russian words ("и", "-ый") and no Kazakh one.
        let f = run_pair(
            "The ministry will support business.",
            "Министерство продолжит поддерживать малый и средний бизнес.",
            En,
            Kk,
        );
        assert!(has(&f, "wrong-language"), "short: {f:?}");
    }

    /// Runs one pair and tells whether `wrong-language` reported an error.
    fn wrong_language_error(source: &str, target: &str, source_lang: Lang, target_lang: Lang) -> bool {
        let seg = segment(source, target, source_lang, target_lang);
        check(&seg).iter().any(|f| f.check == Check::WrongLanguage && f.severity == Severity::Error)
    }

    #[test]
    fn russian_given_as_kazakh_is_an_error() {
        use Lang::*;
        for (src, tgt) in [
            ("Бауыржан Байбек Талдықорғанға келді.", "Бауыржан Байбек прибыл в Талдыкорган."),
            ("Президент кездесу өткізді.", "Президент провел встречу."),
            ("Үкімет отырысы өтті.", "Состоялось заседание Правительства."),
            ("Министр Ақтөбе облысына барды.", "Министр посетил Актюбинскую область."),
            ("Тараптар ынтымақтастықты талқылады.", "Стороны обсудили сотрудничество."),
            ("Ерлан Қарин Нұрлан Ноғаевпен кездесті.", "Ерлан Карин встретился с Нурланом Ногаевым."),
            ("Сенат заңды мақұлдады.", "Сенат одобрил закон о бюджете."),
            ("Әкім фермерлермен кездесті.", "Аким области встретился с фермерами."),
            ("Форум Астанада өтеді.", "Форум пройдет в Астане в октябре."),
            ("Қасым-Жомарт Тоқаев Жарлыққа қол қойды.", "Касым-Жомарт Токаев подписал Указ."),
        ] {
            assert!(wrong_language_error(src, tgt, Kk, Kk), "Russian as Kazakh not caught: {tgt}");
            assert!(wrong_language_error("The text.", tgt, En, Kk), "Russian as Kazakh not caught: {tgt}");
            assert!(!wrong_language_error(src, tgt, Kk, Ru), "Russian flagged as not Russian: {tgt}");
        }
    }

    #[test]
    fn kazakh_given_as_russian_is_an_error() {
        use Lang::*;
        for tgt in [
            "Мемлекет басшысы Вашингтонға ресми сапармен келді.",
            "Тараптар сауда мен энергетика мәселелерін талқылады.",
            "Премьер-Министр Олжас Бектенов үкімет отырысын өткізді.",
            "Сенат республикалық бюджет туралы заңды мақұлдады.",
            "Әкім облыстағы фермерлермен кездесті.",
            "Мемлекет басшысы Ақордада елшіні қабылдады.",
        ] {
            assert!(wrong_language_error("The text.", tgt, En, Ru), "Kazakh as Russian not caught: {tgt}");
            assert!(!wrong_language_error("The text.", tgt, En, Kk), "Kazakh flagged as not Kazakh: {tgt}");
        }
    }

    #[test]
    fn names_and_quoted_titles_do_not_flip_the_language() {
        use Lang::*;
        // Russian full of Kazakh names stays Russian.
        for tgt in [
            "Бауыржан Байбек прибыл в Талдыкорган.",
            "Дархан Сатыбалды посетил Туркестан.",
            "Серик Жумангарин и Алихан Смаилов обсудили развитие Шымкента.",
            "Женис Касымбек осмотрел дороги Кокшетау.",
            "Нурлан Ногаев встретился с жителями Атырау.",
            "Асылжан Мамытбеков наградил Айгерим Жумадилову.",
            "Маулен Ашимбаев открыл сессию Сената.",
            "Программа «Ауыл – ел бесігі» продлена до 2027 года.",
            "Қасым-Жомарт Тоқаев провел встречу с Ерланом Қариным.",
        ] {
            assert!(!wrong_language_error("Text.", tgt, En, Ru), "Russian with names flagged: {tgt}");
        }
        // Kazakh with Russian names and quoted Russian titles stays Kazakh.
        for tgt in [
            "Владимир Путин Астанаға келді.",
            "Сергей Лавров Қазақстанның Сыртқы істер министрімен кездесті.",
            "Мемлекет басшысы «Российская газета» басылымына сұхбат берді.",
            "Премьер-Министр Михаил Мишустинмен телефон арқылы сөйлесті.",
            "Ол «Известия» газетіне берген сұхбатында экономика туралы айтты.",
            "Келіссөздерге Дмитрий Медведев пен Алексей Оверчук қатысты.",
        ] {
            assert!(!wrong_language_error("Text.", tgt, En, Kk), "Kazakh with Russian names flagged: {tgt}");
        }
    }
}
