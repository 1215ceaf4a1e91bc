//! Language detection for en/kk/ru.

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

fn detection(text: &str) -> (Lang, f64) {
    let d = detector().detect(text).unwrap();
    (d.lang, d.confidence)
}

#[test]
fn russian_full_of_kazakh_names() {
    for t in [
        "Бауыржан Байбек прибыл в Талдыкорган.",
        "Ерлан Карин провел встречу с Нурланом Ногаевым.",
        "Аким Жамбылской области Ербол Карашукеев посетил Жуалынский район.",
        "Серик Жумангарин и Алихан Смаилов обсудили вопросы Шымкента.",
        "Дархан Сатыбалды прибыл в Туркестан.",
        "Нурлан Ногаев встретился с жителями Атырау.",
        "Асылжан Мамытбеков наградил Айгерим Жумадилову.",
        "Женис Касымбек осмотрел Кокшетау.",
        "Маулен Ашимбаев открыл сессию Сената.",
        "Для Айгерим Нурлановны Жумабаевой.",
        "Қасым-Жомарт Тоқаев принял Ерлана Қарина.",
        "Мажилис Парламента Республики Казахстан одобрил закон.",
    ] {
        let (lang, conf) = detection(t);
        assert_eq!(lang, Lang::Ru, "{t}: {conf}");
        assert!(conf >= 0.9, "{t}: {conf}");
    }
}

#[test]
fn kazakh_with_russian_names() {
    for t in [
        "Владимир Путин Астанаға келді.",
        "Сергей Лавров Қазақстан министрімен кездесті.",
        "Мемлекет басшысы «Российская газета» басылымына сұхбат берді.",
        "Премьер-министр Олжас Бектенов Михаил Мишустинмен телефон арқылы сөйлесті.",
        "Ол Астанада болды.",
        "Дмитрий Медведев пен Алексей Оверчук келіссөздерге қатысты.",
        "Александр Лукашенко Минскіде Қазақстан делегациясын қабылдады.",
    ] {
        assert_eq!(lang(t), Some(Lang::Kk), "{t}");
    }
}

#[test]
fn paragraphs_keep_their_language() {
    // One paragraph in each language, each full of names from the other: per-paragraph
    // detection must not flip.
    let ru = "Аким Алматинской области Марат Султангазиев провел совещание в Талдыкоргане. В нем приняли участие Бауыржан Байбек и Серик Жумангарин.";
    let kk = "Алматы облысының әкімі Марат Сұлтанғазиев Талдықорғанда кеңес өткізді. Оған Бауыржан Байбек пен Серік Жұманғарин қатысты.";
    assert_eq!(lang(ru), Some(Lang::Ru));
    assert_eq!(lang(kk), Some(Lang::Kk));
}
