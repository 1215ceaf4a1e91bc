//! What a queue search (`JobFilter::text`) matches: the contract every store must keep (each test runs
//! on every store).

use audarma_core::{Lang, Paragraph, Release};
use audarma_store::{JobFilter, Store};
use audarma_store_tests::conformance;
use std::sync::Arc;

/// Gives the store one job per release, the release's title and body as given.
async fn seed(s: &dyn Store, releases: &[(Lang, &str, &str)]) {
    for (lang, title, body) in releases {
        let release = Release {
            source: format!("{title}.txt"),
            lang: *lang,
            title: title.to_string(),
            date: None,
            place: None,
            paragraphs: vec![Paragraph::new(vec![body.to_string()])],
        };
        let id = s.insert_release(&release, "t").await.unwrap().id();
        let target = if *lang == Lang::En { Lang::Ru } else { Lang::En };
        s.ensure_jobs(id, &[target], "w", "t").await.unwrap();
    }
}

/// The titles a search finds, in job order; checks that the count agrees.
async fn found(s: &dyn Store, text: &str) -> Vec<String> {
    let filter = JobFilter { text: Some(text.into()), ..Default::default() };
    let titles: Vec<String> = s.list_jobs(&filter).await.unwrap().into_iter().map(|j| j.title).collect();
    assert_eq!(s.count_jobs(&filter).await.unwrap(), titles.len() as u64, "count of {text:?}");
    titles
}

const RELEASES: &[(Lang, &str, &str)] = &[
    (Lang::Ru, "Визит в Монголию", "Подписано соглашение о транзите грузов."),
    (Lang::Kk, "Қазақстан мен Моңғолия", "Тараптар көлік дәлізін талқылады."),
    (Lang::En, "OSCE Secretary General in Astana", "The parties discussed 100% of the agenda; tariffs_2026."),
];

conformance! {
    async fn every_word_is_required_in_the_title_or_the_body_in_any_order(s: Arc<dyn Store>) {
        seed(&*s, RELEASES).await;
        assert_eq!(found(&*s, "транзите").await, ["Визит в Монголию"], "a body word");
        assert_eq!(found(&*s, "Монголию визит").await, ["Визит в Монголию"], "any order");
        assert_eq!(found(&*s, "визит транзите").await, ["Визит в Монголию"], "one in the title, one in the body");
        assert!(found(&*s, "визит OSCE").await.is_empty(), "words of different releases");
        assert!(found(&*s, "транзите нефти").await.is_empty(), "every word, not any");
        assert_eq!(found(&*s, "  \t ").await.len(), 3, "no words: no filter");
    }

    async fn words_match_inside_words_in_any_case_of_any_script(s: Arc<dyn Store>) {
        seed(&*s, RELEASES).await;
        assert_eq!(found(&*s, "ранзит").await, ["Визит в Монголию"], "part of a word");
        assert_eq!(found(&*s, "ТРАНЗИТЕ").await, ["Визит в Монголию"], "Cyrillic case");
        assert_eq!(found(&*s, "osce secretary").await, ["OSCE Secretary General in Astana"], "Latin case");
        assert_eq!(found(&*s, "ҚАЗАҚСТАН").await, ["Қазақстан мен Моңғолия"], "Kazakh letters fold too");
        assert_eq!(found(&*s, "дәлізін").await, ["Қазақстан мен Моңғолия"]);
        // Letters are not folded into others: Kazakh қ is not к, ә is not а.
        assert!(found(&*s, "казакстан").await.is_empty());
        assert!(found(&*s, "дализин").await.is_empty());
        // Punctuation is part of the word it is written with.
        assert_eq!(found(&*s, "грузов.").await, ["Визит в Монголию"]);
        assert!(found(&*s, "грузов,").await.is_empty());
    }

    async fn words_of_one_or_two_letters_match_titles_only(s: Arc<dyn Store>) {
        seed(&*s, RELEASES).await;
        assert_eq!(found(&*s, "in").await, ["OSCE Secretary General in Astana"]);
        assert_eq!(found(&*s, "IN").await, ["OSCE Secretary General in Astana"], "Latin case folds");
        assert!(found(&*s, "of").await.is_empty(), "in a body only");
        assert_eq!(found(&*s, "в монголию").await, ["Визит в Монголию"]);
        assert_eq!(found(&*s, "е").await.len(), 1, "inside a word of the title");
    }

    async fn the_search_text_is_words_never_syntax(s: Arc<dyn Store>) {
        seed(&*s, RELEASES).await;
        // Quotes, LIKE wildcards and FTS operators are searched for as written.
        assert_eq!(found(&*s, "100%").await, ["OSCE Secretary General in Astana"]);
        assert!(found(&*s, "%").await.is_empty(), "a % is not a wildcard");
        assert!(found(&*s, "_").await.is_empty(), "an _ is not a wildcard");
        assert_eq!(found(&*s, "tariffs_2026").await, ["OSCE Secretary General in Astana"]);
        assert!(found(&*s, "tariffs*").await.is_empty(), "no prefix syntax");
        assert!(found(&*s, "visit OR osce").await.is_empty(), "OR is a word, not an operator");
        assert!(found(&*s, "NOT osce").await.is_empty(), "NOT is a word");
        assert!(found(&*s, "\"osce\"").await.is_empty(), "quotes are characters");
        assert!(found(&*s, "\"; DROP TABLE jobs; --").await.is_empty());
        assert_eq!(found(&*s, "osce").await.len(), 1, "the jobs are still there");
    }

    async fn a_search_longer_than_every_store_answers_is_refused_not_a_server_error(s: Arc<dyn Store>) {
        seed(&*s, RELEASES).await;
        // A thousand one-letter words made SQLite's expression tree too large.
        let huge = vec!["в"; 1000].join(" ");
        for text in [
            huge,
            "транзит ".repeat(audarma_store::MAX_SEARCH_WORDS + 1),
            "х".repeat(audarma_store::MAX_SEARCH_CHARS + 1),
        ] {
            let filter = JobFilter { text: Some(text.clone()), ..Default::default() };
            let e = s.list_jobs(&filter).await.unwrap_err();
            assert!(matches!(e, audarma_store::StoreError::BadSearch(_)), "{e:?}");
            assert!(matches!(s.count_jobs(&filter).await, Err(audarma_store::StoreError::BadSearch(_))));
        }
        let most = "транзит ".repeat(audarma_store::MAX_SEARCH_WORDS);
        assert_eq!(found(&*s, &most).await, ["Визит в Монголию"], "the longest allowed search still works");
    }
}
