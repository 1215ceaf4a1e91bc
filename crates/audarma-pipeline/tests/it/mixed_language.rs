//! A Kazakh release quoting a Russian paragraph: into Russian the quotation is kept as written; into
//! English it is translated from Russian.

use audarma_core::{Lang, Paragraph, Release, SuggestionOrigin};
use audarma_glossary::Glossary;
use audarma_mt::PseudoTranslator;
use audarma_pipeline::{translate_job, JobOutcome, Terminology};
use audarma_store::{LeaseOwner, Store};
use audarma_store_sqlite::SqliteStore;

#[tokio::test]
async fn quotations_in_the_target_language_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("m.db").to_str().unwrap()).await.unwrap();
    let release = Release {
        source: "kk.txt".into(),
        lang: Lang::Kk,
        title: "Мемлекет басшысы елшіні қабылдады".into(),
        date: None,
        place: None,
        paragraphs: vec![
            Paragraph::new(vec!["Тараптар ынтымақтастықты талқылады.".into()]),
            Paragraph {
                sentences: vec!["Встреча прошла в дружественной атмосфере.".into()], lang: Some(Lang::Ru)
            },
        ],
    };
    let id = store.insert_release(&release, "t").await.unwrap().id();
    store.ensure_jobs(id, &[Lang::En, Lang::Ru], "w", "t").await.unwrap();
    let terms = Terminology::new(Glossary::default());
    for _ in 0..2 {
        let job = store.claim_next_job("w", LeaseOwner("t"), 60).await.unwrap().unwrap();
        let outcome = translate_job(&store, &PseudoTranslator, &terms, &job, "t").await.unwrap();
        assert!(matches!(outcome, JobOutcome::Translated { segments: 3, .. }));
        let d = store.job(job.id).await.unwrap();
        let quote = &d.segments[2];
        assert_eq!(quote.source_lang, Some(Lang::Ru));
        match job.target_lang {
            Lang::Ru => {
                assert_eq!(quote.origin, SuggestionOrigin::Source);
                assert_eq!(quote.suggestion.as_deref(), Some("Встреча прошла в дружественной атмосфере."));
                assert!(
                    quote.findings.is_empty(),
                    "no `untranslated` finding for a kept quotation: {:?}",
                    quote.findings
                );
            }
            _ => assert_eq!(quote.suggestion.as_deref(), Some("⟦en⟧ Vstrecha proshla v druzhestvennoi atmosfere.")),
        }
    }
}

#[tokio::test]
async fn length_ratios_are_learned_from_translation_memory_when_there_is_enough() {
    use audarma_store::TmUnit;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("r.db").to_str().unwrap()).await.unwrap();
    let source = "The parties discussed cooperation in trade and energy.";
    // A translation memory whose Russian is always about three times longer than its English.
    let units: Vec<TmUnit> = (0..60)
        .map(|i| TmUnit {
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            source: format!("{source} {i}"),
            target: format!("{} {i}", "Стороны обсудили сотрудничество в торговле и энергетике. ".repeat(3)),
            created_at: None,
            created_by: None,
        })
        .collect();
    store.tm_add(&units, "test").await.unwrap();
    let long_target = "Стороны обсудили сотрудничество в торговле и энергетике. ".repeat(3);
    let check = |terms: &Terminology| {
        terms.check(source, long_target.trim(), Lang::En, Lang::Ru, &[]).iter().any(|f| f.check == "length")
    };
    let defaults = Terminology::new(Glossary::default());
    assert!(check(&defaults), "three times longer is flagged by the default range");
    let learned = Terminology::new(Glossary::default());
    learned.learn_from(&store).await.unwrap();
    assert!(!check(&learned), "but not where the memory shows this pair runs that long");
}
