//! Language detection for en/kk/ru.
#![allow(clippy::unwrap_used)]

use audarma_core::Lang;
use audarma_text::{detector, Detector};

fn lang(text: &str) -> Option<Lang> {
    detector().detect(text).map(|d| d.lang)
}

#[test]
fn english() {
    for t in [
        "President Tokayev arrived in Washington on an official visit.",
        "The talks focused on trade and energy.",
        "The forum gathered 5,000 participants from 40 countries.",
        "Kazakhstan and the U.S. signed a memorandum of understanding.",
        "He met the Prime Minister.",
        "Astana",
        "The Head of State received the Ambassador of the United Kingdom.",
        "Inflation fell to 8.5% in the third quarter.",
        "Details are available at www.gov.kz.",
        "The Akorda press service reported that Тоқаев met the delegation of the European Union today.",
        "Yes.",
    ] {
        assert_eq!(lang(t), Some(Lang::En), "{t}");
    }
}

#[test]
fn russian() {
    for t in [
        "Глава государства прибыл в Вашингтон с официальным визитом.",
        "Президент провел встречу.",
        "Он был в Астане.",
        "Стороны обсудили вопросы сотрудничества в сфере энергетики.",
        "Қасым-Жомарт Тоқаев провел встречу с делегацией Европейского союза.",
        "Указ подписан 7 июня 2023 г.",
        "Объем инвестиций составил 1,5 млрд долл. США.",
        "Рост ВВП составил 5,1%.",
        "Президент встретился с CEO компании Microsoft в Нью-Йорке.",
        "Программа «Ауыл – ел бесігі» будет продлена до 2027 года.",
        "Уважаемые коллеги!",
    ] {
        assert_eq!(lang(t), Some(Lang::Ru), "{t}");
    }
}

#[test]
fn kazakh() {
    for t in [
        "Мемлекет басшысы сапармен келді.",
        "Тараптар келіссөздер жүргізді.",
        "Ол Астанада болды.",
        "Мемлекет басшысы Қасым-Жомарт Тоқаев Вашингтонға ресми сапармен келді.",
        "Министр келді.",
        "Бүгін жиналыс өтті.",
        "Келісімге 2019 жылы қол қойылды.",
        "Президент Microsoft компаниясының басшысымен кездесті.",
        "Кездесуде екіжақты ынтымақтастық талқыланды.",
        "Президент Жарлыққа қол қойды.",
        "Сауда көлемі 1 500 млн долларға жетті.",
    ] {
        assert_eq!(lang(t), Some(Lang::Kk), "{t}");
    }
}

#[test]
fn no_letters() {
    let d = Detector::new();
    for t in ["", "   ", "12:30 — 15.06.2023", "!!! ???", "№ 123 / 45"] {
        assert_eq!(d.detect(t), None, "{t:?}");
    }
}

#[test]
fn confidence_in_range_and_decisive_kazakh_letters() {
    for t in [
        "Hello",
        "Президент",
        "Мемлекет басшысы",
        "Қазақстан мен Ресей арасындағы өзара іс-қимыл туралы келісім.",
        "Mixed текст with both scripts",
    ] {
        let d = detector().detect(t).unwrap();
        assert!((0.0..=1.0).contains(&d.confidence), "{t}: {d:?}");
    }
    let d = detector().detect("Қазақстан мен Ресей арасындағы өзара іс-қимыл туралы келісім.").unwrap();
    assert_eq!(d.lang, Lang::Kk);
    assert!(d.confidence > 0.9, "{d:?}");
    let d = detector().detect("President Tokayev").unwrap();
    assert_eq!(d.lang, Lang::En);
    assert!(d.confidence > 0.99, "{d:?}");
}

#[test]
fn shared_across_threads() {
    let handles: Vec<_> = (0..2).map(|_| std::thread::spawn(|| lang("Тараптар келіссөздер жүргізді."))).collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Some(Lang::Kk));
    }
}
