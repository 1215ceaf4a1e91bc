//! Page furniture: the lines a scraped page carries besides the release.

/// Lines that are furniture when they make up the whole line (compared lower-cased, trimmed of
/// trailing punctuation and arrows).
const EXACT: &[&str] = &[
    "share",
    "print",
    "go back",
    "back",
    "back to news",
    "back to the list",
    "read more",
    "home",
    "menu",
    "search",
    "version for the visually impaired",
    "subscribe",
    "tags",
    "related news",
    "all news",
    // ru
    "поделиться",
    "печать",
    "распечатать",
    "назад",
    "назад к списку",
    "назад к списку новостей",
    "вернуться назад",
    "главная",
    "версия для слабовидящих",
    "подписаться",
    "теги",
    "все новости",
    "читать далее",
    "поиск",
    // kk
    "бөлісу",
    "басып шығару",
    "артқа",
    "артқа қайту",
    "кері қайту",
    "басты бет",
    "нашар көретіндерге арналған нұсқа",
    "барлық жаңалықтар",
    "іздеу",
    "тегтер",
    "толығырақ",
];

/// Lines that are furniture when they start with one of these (lower-cased).
const PREFIXES: &[&str] = &[
    "official website of",
    "official site of",
    "официальный сайт",
    "официальный интернет-ресурс",
    "©",
    "(c) ",
    "copyright",
    "all rights reserved",
    "все права защищены",
    "барлық құқықтар қорғалған",
    "при использовании материалов",
    "материалдарды пайдаланған",
    "share:",
    "поделиться:",
    "бөлісу:",
    "photo:",
    "фото:",
    "сурет:",
    "source:",
    "www.",
    "http://",
    "https://",
];

/// Lines that are furniture when they end with one of these (lower-cased).
const SUFFIXES: &[&str] = &["ресми сайты", "ресми сайты.", "ресми интернет-ресурсы"];

const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "telegram",
    "vk",
    "вконтакте",
    "whatsapp",
    "instagram",
    "youtube",
    "linkedin",
    "ok",
    "одноклассники",
    "email",
    "e-mail",
];

const NAV: &[&str] = &[
    "home",
    "news",
    "press releases",
    "press service",
    "events",
    "главная",
    "новости",
    "пресс-релизы",
    "пресс-служба",
    "события",
    "басты бет",
    "жаңалықтар",
    "баспасөз орталығы",
    "баспасөз қызметі",
    "оқиғалар",
    "president",
    "президент",
    "документы",
    "құжаттар",
    "documents",
];

/// Whether a line is page furniture rather than release text.
pub fn is_furniture(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    let core = l.trim_matches(|c: char| c.is_whitespace() || "←→«»<>:|.-–—•·[]()".contains(c));
    if core.is_empty() {
        return !l.is_empty();
    }
    if EXACT.contains(&core) || PREFIXES.iter().any(|p| l.starts_with(p)) || SUFFIXES.iter().any(|s| l.ends_with(s)) {
        return true;
    }
    // A row of social network names, with or without separators.
    let words: Vec<&str> =
        core.split(|c: char| c.is_whitespace() || "|/,·•".contains(c)).filter(|w| !w.is_empty()).collect();
    if !words.is_empty() && words.iter().all(|w| SOCIAL.contains(w)) {
        return true;
    }
    // Breadcrumbs: "Home | News | Press releases", "Басты бет / Жаңалықтар".
    let crumbs: Vec<&str> = core.split(['|', '/', '>', '»', '›']).map(str::trim).filter(|w| !w.is_empty()).collect();
    crumbs.len() >= 2
        && crumbs.iter().any(|c| NAV.contains(c))
        && crumbs.iter().all(|c| c.split_whitespace().count() <= 4)
}

#[cfg(test)]
mod tests {
    use super::is_furniture;

    #[test]
    fn furniture_in_three_languages() {
        for l in [
            "Share:",
            "Facebook Twitter Telegram",
            "Telegram | VK | Facebook",
            "Print",
            "Go back",
            "← Назад",
            "Артқа қайту",
            "Home | News | Press releases",
            "Басты бет / Баспасөз орталығы / Жаңалықтар",
            "Главная / Новости",
            "© 2026 Official website of the President of the Republic of Kazakhstan",
            "Official website of the President of the Republic of Kazakhstan",
            "Қазақстан Республикасы Президентінің ресми сайты",
            "Версия для слабовидящих",
            "[Назад к списку новостей]",
            "---",
        ] {
            assert!(is_furniture(l), "{l}");
        }
    }

    #[test]
    fn release_text_is_not_furniture() {
        for l in [
            "The parties discussed prospects for further cooperation.",
            "Head of State holds talks with the President of the Republic of Korea in Seoul",
            "Глава государства провел переговоры с Президентом Монголии",
            "Back to the negotiating table, the parties agreed on a roadmap.",
            "Главная задача – развитие транзитного потенциала.",
            "12 March 2026",
        ] {
            assert!(!is_furniture(l), "{l}");
        }
    }
}
