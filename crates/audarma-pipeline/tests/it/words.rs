//! Word lists extend the spelling check: a workflow's lists, the shipped press vocabulary, and in
//! Kazakh their inflected forms through the analyser.

use audarma_core::Lang;
use audarma_glossary::Glossary;
use audarma_pipeline::Terminology;

fn spelling(terms: &Terminology, source: &str, target: &str, tl: Lang) -> Vec<String> {
    terms
        .check(source, target, Lang::En, tl, &[])
        .into_iter()
        .filter(|f| f.check == "spelling")
        .map(|f| f.evidence.and_then(|e| e.found).unwrap_or_default())
        .collect()
}

#[test]
fn a_workflow_word_list_and_the_press_vocabulary_extend_the_dictionaries() {
    if audarma_qa::Speller::load(Lang::Kk).is_none() || audarma_qa::Speller::load(Lang::Ru).is_none() {
        eprintln!("SKIP: Debian's hunspell dictionaries are not installed");
        return;
    }
    let source = "The cyber range opened in the regions.";
    let target = "Өңірлердегі киберполигондар ашылды.";
    let plain = Terminology::new(Glossary::default());
    let found = spelling(&plain, source, target, Lang::Kk);
    assert_eq!(found, ["киберполигондар"], "the press list knows өңір in any form; the new word is unknown");
    let listed = Terminology::new(Glossary::default()).with_words(vec!["киберполигон".into()]);
    assert!(spelling(&listed, source, target, Lang::Kk).is_empty(), "a listed Kazakh stem covers its plural");
    // Russian: a listed word in any form that shares its stem; a typo of it is still found.
    let listed = Terminology::new(Glossary::default()).with_words(vec!["киберполигон".into()]);
    assert!(spelling(&listed, source, "Открылись новые киберполигоны.", Lang::Ru).is_empty());
    assert_eq!(spelling(&listed, source, "Открылись новые киберполгоны.", Lang::Ru), ["киберполгоны"]);
}

/// The words of translation memory (text a reviewer approved) and of the desk's word lists are known
/// after `learn_from`.
#[tokio::test]
async fn approved_memory_and_the_desks_list_extend_the_dictionaries() {
    if audarma_qa::Speller::load(Lang::Ru).is_none() {
        eprintln!("SKIP: Debian's hunspell dictionaries are not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = audarma_store_sqlite::SqliteStore::open(dir.path().join("a.db").to_str().unwrap()).await.unwrap();
    let unit = audarma_store::TmUnit {
        source_lang: Lang::En,
        target_lang: Lang::Ru,
        source: "The cyber range opened.".into(),
        target: "Киберполигон открылся.".into(),
        created_at: None,
        created_by: None,
    };
    store.tm_add(&[unit], "test").await.unwrap();
    use audarma_store::Store;
    store.add_word(Lang::Ru, "агрохаб", "aigerim").await.unwrap();
    let target = "Открылись киберполигон и агрохаб.";
    let before = Terminology::new(Glossary::default());
    assert_eq!(spelling(&before, "x", target, Lang::Ru), ["киберполигон", "агрохаб"]);
    let after = Terminology::new(Glossary::default());
    after.learn_from(&store).await.unwrap();
    assert!(spelling(&after, "x", target, Lang::Ru).is_empty());
}
