//! Relations between concepts, sense restrictions and graded evidence: what makes a terminology
//! finding trustworthy on real official translations.

use audarma_core::Lang;
use audarma_glossary::{verify, Glossary, Grade, Matcher, TermCheck, TermStatus};
use chrono::NaiveDate;
use std::path::Path;

const GLOSSARY: &str = r#"
[[concept]]
id = "head-of-state"
en = "Head of State"
kk = "Мемлекет басшысы"
ru = "Глава государства"
alternatives = ["president-of-kazakhstan"]
exclude = { en = ["heads of state"], ru = ["главы государств", "глав государств"], kk = ["мемлекет басшылары"] }
domain = ["title"]

[[concept]]
id = "president-of-kazakhstan"
en = "President of Kazakhstan"
kk = "Қазақстан Президенті"
ru = "Президент Казахстана"
domain = ["title"]

[[concept]]
id = "tokayev"
en = "Tokayev"
kk = "Тоқаев"
ru = "Токаев"
holds = [{ id = "head-of-state", from = "2019-03-20" }]

[[concept]]
id = "osce"
en = "OSCE"
kk = "ЕҚЫҰ"
ru = "ОБСЕ"
verbatim = true
domain = ["organisation"]

[[concept]]
id = "sco"
en = "SCO"
kk = "ШЫҰ"
ru = "ШОС"
domain = ["organisation"]

[[concept]]
id = "region"
en = "region"
kk = "облыс"
ru = "область"
ambiguous = true
exclude = { ru = ["в области"] }

[[concept]]
id = "denmark"
en = "Denmark"
kk = "Дания"
ru = "Дания"
domain = ["place"]

[[concept]]
id = "almaty"
en = "Almaty"
kk = "Алматы"
ru = "Алматы"
domain = ["place"]

[[concept]]
id = "shymkent"
en = "Shymkent"
kk = "Шымкент"
ru = "Шымкент"
domain = ["place"]

[[concept]]
id = "nur-sultan"
en = "Nur-Sultan"
kk = "Нұр-Сұлтан"
ru = "Нур-Султан"
valid = { from = "2019-03-23", until = "2022-09-17" }
domain = ["place"]

[[concept]]
id = "astana"
en = "Astana"
kk = "Астана"
ru = "Астана"
domain = ["place"]
"#;

/// A glossary of one file's text, which must load without a problem.
fn parse(name: &str, text: &str) -> Glossary {
    let mut g = Glossary::default();
    let mut problems = Vec::new();
    g.parse_file(Path::new(name), text, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    g
}

fn glossary() -> Glossary {
    let g = parse("relations.toml", GLOSSARY);
    assert!(audarma_glossary::lint(&g).is_empty(), "{:?}", audarma_glossary::lint(&g));
    g
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn check(g: &Glossary, from: Lang, to: Lang, source: &str, target: &str, on: Option<NaiveDate>) -> Vec<TermCheck> {
    let found = Matcher::new(g, from).find_in(g, source);
    verify(g, &found, &Matcher::new(g, to), target, on)
}

fn status(checks: &[TermCheck], id: &str) -> TermStatus {
    checks.iter().find(|c| c.id == id).map(|c| c.status).unwrap_or_else(|| panic!("{id} not judged: {checks:?}"))
}

#[test]
fn a_title_stands_for_its_holder_on_the_date_and_back() {
    let g = glossary();
    let c = check(
        &g,
        Lang::En,
        Lang::Kk,
        "Tokayev met the delegation.",
        "Мемлекет басшысы делегацияны қабылдады.",
        date("2024-05-02"),
    );
    assert_eq!(status(&c, "tokayev"), TermStatus::Realised);
    assert_eq!(c[0].via.as_deref(), Some("head-of-state"));
    let c = check(
        &g,
        Lang::Ru,
        Lang::En,
        "Глава государства принял делегацию.",
        "Tokayev received the delegation.",
        date("2024-05-02"),
    );
    assert_eq!(status(&c, "head-of-state"), TermStatus::Realised);
    // Before he held the title, the title does not stand for him.
    let c = check(
        &g,
        Lang::En,
        Lang::Kk,
        "Tokayev met the delegation.",
        "Мемлекет басшысы делегацияны қабылдады.",
        date("2015-05-02"),
    );
    assert_eq!(status(&c, "tokayev"), TermStatus::Missing);
    // Alternatives stand for each other in both directions.
    let c = check(&g, Lang::Ru, Lang::Kk, "Глава государства выступил.", "Қазақстан Президенті сөз сөйледі.", None);
    assert_eq!(status(&c, "head-of-state"), TermStatus::Realised);
    let c = check(&g, Lang::Kk, Lang::Ru, "Қазақстан Президенті сөз сөйледі.", "Глава государства выступил.", None);
    assert_eq!(status(&c, "president-of-kazakhstan"), TermStatus::Realised);
}

#[test]
fn evidence_is_graded() {
    let g = glossary();
    // Not found: a warning; for a verbatim concept, an error; for an ambiguous one, a note.
    let c = check(&g, Lang::En, Lang::Ru, "The Head of State spoke.", "Выступил лидер.", None);
    assert_eq!(c[0].grade(), Some(("missing-term", Grade::Warning)));
    let c = check(&g, Lang::En, Lang::Ru, "The OSCE mission arrived.", "Прибыла миссия.", None);
    assert_eq!(c[0].grade(), Some(("missing-verbatim", Grade::Error)));
    let c = check(&g, Lang::En, Lang::Ru, "The region grows.", "Край растёт.", None);
    assert_eq!(c[0].grade(), Some(("missing-ambiguous", Grade::Note)));
    // Another organisation named where this one was required: an error, naming both.
    let c = check(&g, Lang::En, Lang::Kk, "The OSCE summit opened.", "ШЫҰ саммиті ашылды.", None);
    assert_eq!(status(&c, "osce"), TermStatus::Other);
    assert_eq!(c[0].via.as_deref(), Some("sco"));
    assert_eq!(c[0].grade(), Some(("other-concept", Grade::Error)));
    // Another place, which the source also names, is not a wrong term.
    let c = check(&g, Lang::En, Lang::Ru, "From Almaty to Shymkent.", "Из Шымкента в Алматы.", None);
    assert!(c.iter().all(|c| c.status == TermStatus::Ok), "{c:?}");
    // The outdated name of a place in place of the current one: an error, as outdated.
    let c = check(
        &g,
        Lang::En,
        Lang::Ru,
        "The forum opens in Astana.",
        "Форум откроется в Нур-Султане.",
        date("2024-01-10"),
    );
    assert_eq!(status(&c, "astana"), TermStatus::Outdated);
    assert_eq!(c[0].via.as_deref(), Some("nur-sultan"));
}

#[test]
fn exclusions_and_short_stems_keep_other_senses_out() {
    let g = glossary();
    let ru = Matcher::new(&g, Lang::Ru);
    let en = Matcher::new(&g, Lang::En);
    let kk = Matcher::new(&g, Lang::Kk);
    let ids = |m: &Matcher, t: &str| m.find_in(&g, t).into_iter().map(|m| m.id).collect::<Vec<_>>();
    assert!(ids(&en, "Heads of state gathered in Astana.").iter().all(|i| i != "head-of-state"));
    assert_eq!(ids(&en, "The Head of State arrived."), ["head-of-state"]);
    assert!(ids(&ru, "Главы государств обсудили повестку.").is_empty());
    assert_eq!(ids(&ru, "Главы государства нет."), ["head-of-state"]);
    assert!(ids(&kk, "Мемлекет басшылары жиналды.").is_empty());
    assert!(ids(&ru, "Работа в области цифровизации.").is_empty());
    assert_eq!(ids(&ru, "В Алматинской области."), ["region"]);
    // A short shared stem (дан-) is not enough: «по данным» is not Denmark.
    assert!(ids(&ru, "По данным министерства, рост составил 5%.").is_empty());
    assert_eq!(ids(&ru, "Визит в Данию и переговоры с Данией."), ["denmark", "denmark"]);
    // The attributive locative names the place: Алматыдағы holds Алматы.
    assert_eq!(ids(&kk, "Алматыдағы кездесу."), ["almaty"]);
    assert_eq!(ids(&kk, "Облысындағы ахуал."), ["region"]);
}

const PLACES: &str = r#"
[[concept]]
id = "aktobe-region"
en = "Aktobe region"
kk = "Ақтөбе облысы"
ru = "Актюбинская область"
domain = ["place"]

[[concept]]
id = "pavlodar-region"
en = "Pavlodar region"
kk = "Павлодар облысы"
ru = "Павлодарская область"
domain = ["place"]

[[concept]]
id = "abai-region"
en = "Abai region"
kk = "Абай облысы"
ru = "область Абай"
domain = ["place"]

[[concept]]
id = "ulytau-region"
en = "Ulytau region"
kk = "Ұлытау облысы"
ru = "область Ұлытау"
lint_allow = ["script"]
domain = ["place"]

[[concept]]
id = "russia"
en = "Russia"
kk = "Ресей"
ru = "Россия"
domain = ["place"]

[[concept]]
id = "security-council"
en = "Security Council"
kk = "Қауіпсіздік Кеңесі"
ru = "Совет Безопасности"
domain = ["state"]

[[concept]]
id = "un-security-council"
en = "UN Security Council"
kk = "БҰҰ Қауіпсіздік Кеңесі"
ru = "Совет Безопасности ООН"
domain = ["organisation"]

[[concept]]
id = "un"
en = "UN"
kk = "БҰҰ"
ru = "ООН"
domain = ["organisation"]

[[concept]]
id = "almaty"
en = "Almaty"
kk = "Алматы"
ru = "Алматы"
forbidden = { en = ["Alma-Ata"], ru = ["Алма-Ата"] }
domain = ["place"]
"#;

fn places() -> Glossary {
    parse("places.toml", PLACES)
}

#[test]
fn items_of_a_list_share_its_head_noun() {
    let g = places();
    let c = check(&g, Lang::En, Lang::Ru, "Aktobe and Pavlodar regions.", "Актюбинской и Павлодарской областей.", None);
    assert_eq!(status(&c, "aktobe-region"), TermStatus::Ok, "{c:?}");
    assert_eq!(status(&c, "pavlodar-region"), TermStatus::Ok, "{c:?}");
    let c = check(&g, Lang::En, Lang::Ru, "Abai and Ulytau regions.", "Акимы областей Абай и Ұлытау.", None);
    assert!(c.iter().all(|c| c.status == TermStatus::Ok), "{c:?}");
    let c = check(
        &g,
        Lang::Ru,
        Lang::Kk,
        "Актюбинской и Павлодарской областей.",
        "Ақтөбе және Павлодар облыстарының.",
        None,
    );
    assert!(c.iter().all(|c| c.status == TermStatus::Ok), "{c:?}");
}

#[test]
fn a_derived_adjective_names_the_place_and_a_longer_name_is_another_thing() {
    let g = places();
    let c = check(&g, Lang::Kk, Lang::Ru, "Ресей нарығына шығады.", "Выходит на российский рынок.", None);
    assert_eq!(status(&c, "russia"), TermStatus::Realised);
    let c = check(&g, Lang::Ru, Lang::En, "Выход на российский рынок.", "Entering the Russian market.", None);
    assert!(c.is_empty(), "no concept in the source: {c:?}");
    let c = check(&g, Lang::Kk, Lang::En, "Ресей нарығы.", "The Russian market.", None);
    assert_eq!(status(&c, "russia"), TermStatus::Realised);
    // The UN Security Council is not the Security Council the source names.
    let c =
        check(&g, Lang::En, Lang::Ru, "A meeting of the Security Council.", "Заседание Совета Безопасности ООН.", None);
    assert_eq!(status(&c, "security-council"), TermStatus::Other, "{c:?}");
    assert_eq!(c[0].grade(), Some(("other-concept", Grade::Error)));
    // A forbidden form is an error wherever it stands, even where the source names no concept.
    let c = check(&g, Lang::En, Lang::Ru, "The forum opens tomorrow.", "Форум откроется завтра в Алма-Ате.", None);
    assert_eq!(status(&c, "almaty"), TermStatus::Forbidden, "{c:?}");
}

#[test]
fn look_alike_latin_letters_do_not_hide_a_term() {
    let g = places();
    // "Aлматы" with a Latin A: the mixed-script check reports the letter; matching sees the city.
    let c = check(&g, Lang::En, Lang::Ru, "In Almaty.", "В Aлматы.", None);
    assert_eq!(status(&c, "almaty"), TermStatus::Ok, "{c:?}");
}

#[test]
fn review_fixes_hold() {
    let g = glossary();
    // The source's own outdated name kept in the translation is faithful: a warning, not an error.
    let c = check(
        &g,
        Lang::Ru,
        Lang::Kk,
        "Город назван Нур-Султан в 2019 году.",
        "Қала 2019 жылы Нұр-Сұлтан деп аталды.",
        date("2024-05-02"),
    );
    assert_eq!(status(&c, "nur-sultan"), TermStatus::Outdated);
    assert_eq!(c[0].grade(), Some(("outdated-in-source", Grade::Warning)));
    // A run of look-alikes inside a Cyrillic word is read as Cyrillic.
    let ru = Matcher::new(&g, Lang::Ru);
    assert_eq!(ru.find_in(&g, "Форум в AСТAНЕ.").len(), 1, "all-look-alike run inside a Cyrillic word");
    // A sentence break between a head noun and a capitalised word is no list.
    let p = places();
    let ru = Matcher::new(&p, Lang::Ru);
    let ids: Vec<String> =
        ru.find_in(&p, "Работы в Павлодарской области. Абай и Ұлытау ждут.").into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["pavlodar-region"], "{ids:?}");
}

#[test]
fn an_adjective_realises_a_place_even_when_another_place_is_named() {
    let g = places();
    let c = check(
        &g,
        Lang::Kk,
        Lang::Ru,
        "Ресей делегациясы Алматыға келді.",
        "Российская делегация прибыла в Алматы.",
        None,
    );
    assert_eq!(status(&c, "russia"), TermStatus::Realised, "{c:?}");
}
