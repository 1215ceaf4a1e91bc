//! What a reviewer sees on correct official text and on real mistakes: findings graded by their
//! evidence, spelling that knows names and press vocabulary but still finds typos.

use audarma_core::Lang;
use audarma_qa::{check, check_with, Context, Segment, Severity, Speller};

fn seg<'a>(source: &'a str, target: &'a str, from: Lang, to: Lang) -> Segment<'a> {
    Segment { source, target, source_lang: from, target_lang: to, terms: &[], found: &[] }
}

fn warnings(findings: &[audarma_qa::Finding], check: &str) -> usize {
    findings.iter().filter(|f| f.check == check && f.severity >= Severity::Warning).count()
}

#[test]
fn a_lost_final_full_stop_and_german_outer_quotes_are_warnings() {
    let f = check(&seg("The forum opened in Astana.", "Форум открылся в Астане", Lang::En, Lang::Ru));
    assert_eq!(warnings(&f, "punctuation"), 1, "{f:?}");
    assert_eq!(f[0].evidence.as_ref().map(|e| e.rule.as_ref()), Some("final-mark-lost"));
    // A headline without a stop on either side is fine.
    assert_eq!(warnings(&check(&seg("Forum in Astana", "Форум в Астане", Lang::En, Lang::Ru)), "punctuation"), 0);
    let f = check(&seg("«Таза Қазақстан» акциясы өтті.", "Прошла акция „Таза Қазақстан“.", Lang::Kk, Lang::Ru));
    assert_eq!(warnings(&f, "quotes"), 1, "{f:?}");
    // „…“ inside «…» is Russian nesting, not a mistake.
    let f = check(&seg("He said: “the ‘Ak Zhol’ plan”.", "Он сказал: «план „Ак жол“».", Lang::En, Lang::Ru));
    assert_eq!(warnings(&f, "quotes"), 0, "{f:?}");
}

#[test]
fn english_names_copied_into_a_cyrillic_target_are_untranslated() {
    let f = check(&seg(
        "At the Government session, the Ministry of Energy reported.",
        "Үкімет отырысында Ministry of Energy баяндады.",
        Lang::En,
        Lang::Kk,
    ));
    assert_eq!(warnings(&f, "untranslated"), 1, "{f:?}");
    // A two-word brand kept as written is not.
    let f = check(&seg("Astana Hub opened a branch.", "Astana Hub филиал ашты.", Lang::En, Lang::Kk));
    assert_eq!(warnings(&f, "untranslated"), 0, "{f:?}");
}

fn speller(lang: Lang) -> Option<Speller> {
    let s = Speller::load(lang);
    if s.is_none() {
        eprintln!("SKIP: no hunspell dictionary for {lang}");
    }
    s
}

#[test]
fn spelling_finds_typos_and_leaves_names_and_new_words_as_notes() {
    let (Some(ru), Some(en), Some(kk)) = (speller(Lang::Ru), speller(Lang::En), speller(Lang::Kk)) else { return };
    let ctx = |s| Context { speller: Some(s), ..Context::default() };
    // A typo one letter from a dictionary word is a warning, with the correction.
    let f = check_with(&seg("The Government met.", "Правительсво провело заседание.", Lang::En, Lang::Ru), &ctx(&ru));
    assert_eq!(warnings(&f, "spelling"), 1, "{f:?}");
    assert_eq!(f[0].evidence.as_ref().and_then(|e| e.expected.as_deref()), Some("правительство"));
    let f = check_with(&seg("Үкімет жиналды.", "The Goverment met.", Lang::Kk, Lang::En), &ctx(&en));
    assert_eq!(warnings(&f, "spelling"), 1, "a typo mid-sentence with a capital is still a typo: {f:?}");
    // Names beside names, and names the source has, are not checked; British spelling is English.
    let f = check_with(
        &seg(
            "Мурат Айтенов және Абылқайыр Сқақов қатысты.",
            "Участвовали Мурат Айтенов и Абылкаир Скаков.",
            Lang::Kk,
            Lang::Ru,
        ),
        &ctx(&ru),
    );
    assert_eq!(warnings(&f, "spelling"), 0, "{f:?}");
    let f = check_with(&seg("Біз талдаймыз.", "We analyse the programme.", Lang::Kk, Lang::En), &ctx(&en));
    assert_eq!(warnings(&f, "spelling"), 0, "{f:?}");
    // A Kazakh typo (министерлер for министрлер) is found; the correct form is not flagged.
    let f = check_with(&seg("Министры встретились.", "Министерлер кездесті.", Lang::Ru, Lang::Kk), &ctx(&kk));
    assert_eq!(warnings(&f, "spelling"), 1, "{f:?}");
    let f = check_with(&seg("Министры встретились.", "Министрлер кездесті.", Lang::Ru, Lang::Kk), &ctx(&kk));
    assert_eq!(warnings(&f, "spelling"), 0, "{f:?}");
    // A word the dictionary lacks with no near neighbour is a note, not a warning.
    let f = check_with(&seg("Digitalisation goes on.", "Цифровизация продолжается.", Lang::En, Lang::Ru), &ctx(&ru));
    assert_eq!(warnings(&f, "spelling"), 0, "{f:?}");
}
