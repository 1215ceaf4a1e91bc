//! Review analytics on every store: the post-editing record written with an approval, the report's
//! sums per group, the terms translators fixed, and MQM annotations.

use audarma_analytics::mqm::{ErrorType, Severity as Mqm};
use audarma_core::{
    Check, Evidence, Finding, Lang, Paragraph, Release, Role, Severity, SuggestionOrigin, TermResult, TermStatus,
    TmMatch,
};
use audarma_store::{
    FixedTerm, InflectionFix, JobId, LeaseOwner, NewAnnotation, ReportBy, Store, StoreError, Suggestion,
};
use audarma_store_tests::conformance;
use std::sync::Arc;

fn release(title: &str) -> Release {
    Release {
        source: format!("{title}.txt"),
        lang: Lang::En,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec![
            "The OSCE Secretary General arrived.".into(),
            "Five agreements were signed.".into(),
        ])],
    }
}

fn term_finding(concept: &str) -> Finding {
    let mut e = Evidence::rule("missing-term");
    e.concept = Some(concept.into());
    Finding::new(Check::Terminology, Severity::Warning, format!("{concept} is missing")).because(e)
}

/// A job of three segments in review: suggestions by `backend`, the title's with a terminology finding.
async fn in_review(s: &dyn Store, title: &str, backend: &str) -> JobId {
    let id = s.insert_release(&release(title), "t").await.unwrap().id();
    let job = s.ensure_jobs(id, &[Lang::Kk], "w", "t").await.unwrap()[0];
    let claim = s.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
    let texts = ["ЕҚЫҰ Бас хатшысы келді.", "Бес келісімге қол қойылды.", "Тараптар кездесті."];
    let sugg: Vec<Suggestion> = (0..3)
        .map(|i| Suggestion {
            idx: i,
            text: Some(texts[i as usize].replace("ЕҚЫҰ Бас хатшысы", "Бас хатшы")),
            origin: SuggestionOrigin::Machine,
            backend: Some(backend.into()),
            model: None,
            terms: vec![],
            findings: if i == 0 { vec![term_finding("osce-secretary-general")] } else { vec![] },
            tm: None,
        })
        .collect();
    s.complete_translation(job, claim.lease("run"), &sugg, "run").await.unwrap();
    job
}

conformance! {
    async fn approval_records_what_each_segment_started_from_and_the_effort_to_the_approved_text(s: Arc<dyn Store>) {
        s.add_user("saule", Role::Translator, "h", "t").await.unwrap();
        let job = in_review(&*s, "Talks", "deepl").await;
        s.assign_job(job, Some("saule"), "aigerim").await.unwrap();
        // The title's term fixed; segment 1 reworded; segment 2 left as suggested.
        s.edit_segment(job, 0, "ЕҚЫҰ Бас хатшысы келді.", &[], None, "saule").await.unwrap();
        s.edit_segment(job, 1, "Бес келісім жасалды.", &[], None, "saule").await.unwrap();
        assert!(s.efforts(None, None).await.unwrap().is_empty(), "nothing before approval");
        s.approve_job(job, "aigerim", None).await.unwrap();

        let e = s.efforts(None, None).await.unwrap();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e.iter().all(|e| e.job == job && e.translator == "saule" && e.approver == "aigerim"));
        assert!(e.iter().all(|e| e.backend.as_deref() == Some("deepl") && e.start == SuggestionOrigin::Machine));
        assert!(e.iter().all(|e| (e.source_lang, e.target_lang, e.workflow.as_str()) == (Lang::En, Lang::Kk, "w")));
        assert_eq!(e[0].fixed_terms, ["osce-secretary-general"]);
        assert_eq!((e[0].word_edits, e[0].untouched), (2, false), "ЕҚЫҰ inserted, хатшы → хатшысы: {:?}", e[0]);
        assert_eq!((e[1].words, e[1].tokens, e[1].word_edits), (3, 4, 3), "two words replaced, one deleted: {:?}", e[1]);
        assert!(e[1].chrf > 0.0 && e[1].chrf < 100.0);
        assert!(e[2].untouched && e[2].word_edits == 0 && (e[2].chrf - 100.0).abs() < 1e-9, "{:?}", e[2]);
        assert!(e[2].fixed_terms.is_empty() && e[2].seconds.is_none());

        let by = s.effort_summary(ReportBy::Backend, None, None).await.unwrap();
        assert_eq!(by.len(), 1);
        let g = &by[0];
        assert_eq!((g.key.as_str(), g.jobs, g.segments, g.untouched, g.term_fixes), ("deepl", 1, 3, 1, 1));
        assert_eq!(g.word_edits, 5);
        assert_eq!(g.words, u64::from(e.iter().map(|e| e.words).sum::<u32>()));
        assert_eq!(s.effort_summary(ReportBy::Pair, None, None).await.unwrap()[0].key, "en-kk");
        assert_eq!(s.effort_summary(ReportBy::Translator, None, None).await.unwrap()[0].key, "saule");
        let month = e[0].approved_at.format("%Y-%m").to_string();
        assert_eq!(s.effort_summary(ReportBy::Month, None, None).await.unwrap()[0].key, month);
        let later = e[0].approved_at + chrono::Duration::seconds(1);
        assert!(s.effort_summary(ReportBy::Pair, Some(later), None).await.unwrap().is_empty(), "since");
        assert!(s.effort_summary(ReportBy::Pair, None, Some(e[0].approved_at)).await.unwrap().is_empty(), "until");
        let fixed = FixedTerm { concept: "osce-secretary-general".into(), term_fixes: 1, inflection_fixes: 0 };
        assert_eq!(s.fixed_terms(None, None, 10).await.unwrap(), [fixed]);
    }

    async fn a_fuzzy_match_the_translator_started_from_is_the_start_the_effort_is_measured_from(s: Arc<dyn Store>) {
        let job = in_review(&*s, "Fuzzy", "deepl").await;
        let m = TmMatch { source: "x".into(), target: "Бес келісімге қол қойылды.".into(), score: 91 };
        // Chosen, then taken back, then chosen again: the last word holds.
        s.start_from_match(job, 1, Some(&m)).await.unwrap();
        s.start_from_match(job, 1, None).await.unwrap();
        s.start_from_match(job, 1, Some(&m)).await.unwrap();
        s.edit_segment(job, 1, "Бес келісімге қол қойылды.", &[], None, "saule").await.unwrap();
        assert!(matches!(s.start_from_match(job, 9, None).await, Err(StoreError::NoSuchSegment { segment: 9, .. })));
        s.approve_job(job, "aigerim", None).await.unwrap();
        let e = s.efforts(None, None).await.unwrap();
        let one = &e[1];
        assert_eq!((one.start, one.backend.as_deref(), one.fuzzy), (SuggestionOrigin::Fuzzy, None, Some(91)));
        let by = s.effort_summary(ReportBy::Backend, None, None).await.unwrap();
        assert!(by.iter().any(|g| g.key == "fuzzy" && g.segments == 1), "apart from exact memory: {by:?}");
        assert!(one.untouched && one.word_edits == 0, "measured from the match, approved as it was: {one:?}");
        assert_eq!((e[0].start, e[0].backend.as_deref()), (SuggestionOrigin::Machine, Some("deepl")), "the others keep theirs");
        let by = s.effort_summary(ReportBy::Start, None, None).await.unwrap();
        assert_eq!(by.iter().map(|g| (g.key.as_str(), g.segments)).collect::<Vec<_>>(), [("fuzzy 85-94", 1), ("machine", 2)]);
        // An approved job's start is history.
        let err = s.start_from_match(job, 1, None).await.unwrap_err();
        assert!(matches!(err, StoreError::WrongState { .. }), "{err:?}");
    }

    async fn a_right_term_re_inflected_counts_apart_from_a_term_fixed_with_the_model_and_fuzzy_band(s: Arc<dyn Store>) {
        let id = s.insert_release(&release("Visit"), "t").await.unwrap().id();
        let job = s.ensure_jobs(id, &[Lang::Kk], "w", "t").await.unwrap()[0];
        let claim = s.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
        let term = |id: &str, found: &str| TermResult {
            id: id.into(),
            source: String::new(),
            target: String::new(),
            dnt: false,
            status: Some(TermStatus::Ok),
            found: Some(found.into()),
        };
        let sugg = vec![
            // The head of state named right, in the dative where the sentence needs the genitive;
            // the OSCE's form kept. A fuzzy match of 87 was shown beside it.
            Suggestion {
                idx: 0,
                text: Some("Мемлекет басшысына ЕҚЫҰ-ға сапары туралы айтылды.".into()),
                origin: SuggestionOrigin::Machine,
                backend: Some("openai".into()),
                model: Some("gpt-test".into()),
                terms: vec![term("head-of-state", "Мемлекет басшысына"), term("osce", "ЕҚЫҰ-ға")],
                findings: vec![],
                tm: Some(vec![TmMatch { source: "x".into(), target: "y".into(), score: 87 }]),
            },
            // The term replaced by another word: not an inflection.
            Suggestion {
                idx: 1,
                text: Some("Президент келісімдерге қол қойды.".into()),
                origin: SuggestionOrigin::Machine,
                backend: Some("openai".into()),
                model: Some("gpt-test".into()),
                terms: vec![term("head-of-state", "Президент")],
                findings: vec![],
                tm: None,
            },
            // Approved as suggested.
            Suggestion {
                idx: 2,
                text: Some("Мемлекет басшысына баяндалды.".into()),
                origin: SuggestionOrigin::Machine,
                backend: Some("openai".into()),
                model: Some("gpt-test".into()),
                terms: vec![term("head-of-state", "Мемлекет басшысына")],
                findings: vec![],
                tm: None,
            },
        ];
        s.complete_translation(job, claim.lease("run"), &sugg, "run").await.unwrap();
        s.edit_segment(job, 0, "Мемлекет басшысының ЕҚЫҰ-ға сапары туралы айтылды.", &[], None, "saule").await.unwrap();
        s.edit_segment(job, 1, "Мемлекет басшысы келісімдерге қол қойды.", &[], None, "saule").await.unwrap();
        s.approve_job(job, "aigerim", None).await.unwrap();

        let e = s.efforts(None, None).await.unwrap();
        let fix = InflectionFix {
            concept: "head-of-state".into(),
            from: "Мемлекет басшысына".into(),
            to: "Мемлекет басшысының".into(),
        };
        assert_eq!(e[0].inflected, [fix], "{:?}", e[0]);
        assert!(e[0].fixed_terms.is_empty());
        assert_eq!((e[0].model.as_deref(), e[0].fuzzy), (Some("gpt-test"), Some(87)));
        assert!(e[1].inflected.is_empty() && e[2].inflected.is_empty(), "{e:?}");
        assert_eq!(e[1].fuzzy, None);

        let by = s.effort_summary(ReportBy::Backend, None, None).await.unwrap();
        assert_eq!((by[0].key.as_str(), by[0].inflection_fixes, by[0].term_fixes), ("openai", 1, 0));
        let by = s.effort_summary(ReportBy::Model, None, None).await.unwrap();
        assert_eq!(by.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), ["openai gpt-test"]);
        let by = s.effort_summary(ReportBy::Start, None, None).await.unwrap();
        let keys: Vec<(&str, u64)> = by.iter().map(|g| (g.key.as_str(), g.segments)).collect();
        assert_eq!(keys, [("machine", 2), ("machine + fuzzy 85-94", 1)]);
        let fixed = FixedTerm { concept: "head-of-state".into(), term_fixes: 0, inflection_fixes: 1 };
        assert_eq!(s.fixed_terms(None, None, 10).await.unwrap(), [fixed]);
    }

    async fn groups_split_by_backend_and_annotations_count_on_approved_segments(s: Arc<dyn Store>) {
        let a = in_review(&*s, "One", "deepl").await;
        let b = in_review(&*s, "Two", "yandex").await;
        s.approve_job(a, "aigerim", None).await.unwrap();
        let note = |idx, severity, error_type| NewAnnotation { idx, span: None, error_type, severity, note: None };
        s.add_annotation(a, &note(0, Mqm::Major, ErrorType::WrongTerm), "aigerim").await.unwrap();
        s.add_annotation(a, &note(1, Mqm::Minor, ErrorType::Grammar), "aigerim").await.unwrap();
        // On a job not approved yet: kept with the job, not in the report.
        s.add_annotation(b, &note(1, Mqm::Critical, ErrorType::Omission), "aigerim").await.unwrap();
        let by = s.effort_summary(ReportBy::Backend, None, None).await.unwrap();
        assert_eq!(by.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), ["deepl"]);
        let counts = s.annotation_counts(ReportBy::Backend, None, None).await.unwrap();
        let got: Vec<(&str, Mqm, u64)> = counts.iter().map(|c| (c.key.as_str(), c.severity, c.count)).collect();
        assert!(got.contains(&("deepl", Mqm::Major, 1)) && got.contains(&("deepl", Mqm::Minor, 1)), "{got:?}");
        assert_eq!(got.len(), 2);
        assert_eq!(s.annotations_between(None, None).await.unwrap().len(), 2);
        s.approve_job(b, "aigerim", None).await.unwrap();
        let by = s.effort_summary(ReportBy::Backend, None, None).await.unwrap();
        assert_eq!(by.iter().map(|g| (g.key.as_str(), g.segments)).collect::<Vec<_>>(), [("deepl", 3), ("yandex", 3)]);
        assert_eq!(s.annotations_between(None, None).await.unwrap().len(), 3);
    }

    async fn the_desk_groups_by_job_and_by_pair_backend_and_month_and_rows_score_each_group(s: Arc<dyn Store>) {
        let a = in_review(&*s, "One", "deepl").await;
        let b = in_review(&*s, "Two", "open ai").await;
        let note = |idx, severity, error_type| NewAnnotation { idx, span: None, error_type, severity, note: None };
        s.add_annotation(a, &note(0, Mqm::Major, ErrorType::WrongTerm), "aigerim").await.unwrap();
        s.add_annotation(a, &note(1, Mqm::Critical, ErrorType::Omission), "aigerim").await.unwrap();
        s.approve_job(a, "aigerim", None).await.unwrap();
        s.approve_job(b, "aigerim", None).await.unwrap();
        let month = s.efforts(None, None).await.unwrap()[0].approved_at.format("%Y-%m").to_string();

        let by = s.effort_summary(ReportBy::Job, None, None).await.unwrap();
        let mut keys: Vec<String> = by.iter().map(|g| g.key.clone()).collect();
        keys.sort();
        let mut want = vec![a.to_string(), b.to_string()];
        want.sort();
        assert_eq!(keys, want, "one group per job, keyed by its id");
        assert!(by.iter().all(|g| g.jobs == 1 && g.segments == 3));
        let annotated = s.effort_summary(ReportBy::AnnotatedJob, None, None).await.unwrap();
        assert_eq!(annotated.iter().map(|g| g.key.clone()).collect::<Vec<_>>(), [a.to_string()], "b has no annotation");
        assert_eq!(annotated[0], by.iter().find(|g| g.key == a.to_string()).unwrap().clone());

        let by = s.effort_summary(ReportBy::PairBackendMonth, None, None).await.unwrap();
        let keys: Vec<&str> = by.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, [format!("en-kk deepl {month}"), format!("en-kk open ai {month}")]);
        assert_eq!(audarma_store::split_pair_backend_month(keys[1]), Some(("en-kk", "open ai", month.as_str())));

        // The report's rows (the CLI's and the desk's): a's two annotations weigh 5 + 25 points.
        let rows = audarma_store::report_rows(&*s, ReportBy::Job, None, None).await.unwrap();
        let ra = rows.iter().find(|r| r.key == a.to_string()).unwrap();
        let rb = rows.iter().find(|r| r.key == b.to_string()).unwrap();
        assert_eq!((ra.annotations, ra.critical, rb.annotations), (2, 1, 0));
        let words = ra.words as f64;
        assert!((ra.mqm.unwrap() - 100.0 * (1.0 - 30.0 / words)).abs() < 1e-9, "{ra:?}");
        assert_eq!(rb.mqm, Some(100.0));
        let counts = s.annotation_counts(ReportBy::PairBackendMonth, None, None).await.unwrap();
        assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 2);
        assert!(counts.iter().all(|c| c.key == format!("en-kk deepl {month}")));
    }

    async fn seconds_in_the_editor_are_logged_per_edit_and_approval_sums_them_per_segment(s: Arc<dyn Store>) {
        let job = in_review(&*s, "Timed", "deepl").await;
        s.edit_segment_timed(job, 0, "ЕҚЫҰ Бас хатшысы келді.", &[], None, Some(12.5), "saule").await.unwrap();
        s.edit_segment_timed(job, 0, "ЕҚЫҰ Бас хатшысы келді!", &[], None, Some(7.5), "saule").await.unwrap();
        // An edit the desk did not time adds nothing; a segment never timed has no seconds.
        s.edit_segment_timed(job, 0, "ЕҚЫҰ Бас хатшысы келді.", &[], None, None, "saule").await.unwrap();
        s.edit_segment(job, 1, "Бес келісімге қол қойылды!", &[], None, "saule").await.unwrap();
        let edits: Vec<_> =
            s.events(Some(job)).await.unwrap().into_iter().filter(|e| e.kind == "edit").map(|e| e.detail).collect();
        assert_eq!(edits.len(), 4);
        let detail = |i: usize, k: &str| edits[i].get(k).and_then(|v| v.as_f64());
        assert_eq!((detail(0, "segment"), detail(0, "version"), detail(0, "seconds")), (Some(0.0), Some(2.0), Some(12.5)));
        assert_eq!(detail(1, "seconds"), Some(7.5));
        assert!(edits[2].get("seconds").is_none() && edits[3].get("seconds").is_none(), "{edits:?}");
        s.approve_job(job, "aigerim", None).await.unwrap();
        let e = s.efforts(None, None).await.unwrap();
        assert_eq!(e.iter().map(|e| e.seconds).collect::<Vec<_>>(), [Some(20.0), None, None]);
        // 20 s over segment 0's words is within MateCat's 0.25–30 s a word: it counts, alone.
        let g = &s.effort_summary(ReportBy::Backend, None, None).await.unwrap()[0];
        assert_eq!((g.timed_seconds, g.timed_words), (20.0, u64::from(e[0].words)));
        assert_eq!(audarma_store::check_edit_seconds(-1.0), None);
        assert_eq!(audarma_store::check_edit_seconds(f64::NAN), None);
        assert_eq!(audarma_store::check_edit_seconds(7200.0), Some(audarma_store::MAX_EDIT_SECONDS));
    }

    async fn annotations_are_kept_per_segment_logged_and_removed_by_id(s: Arc<dyn Store>) {
        let job = in_review(&*s, "Notes", "deepl").await;
        let new = NewAnnotation {
            idx: 0,
            span: Some((0, 9)),
            error_type: ErrorType::WrongInflection,
            severity: Mqm::Minor,
            note: Some("Бас хатшысы, not хатшы".into()),
        };
        let a = s.add_annotation(job, &new, "aigerim").await.unwrap();
        assert_eq!((a.job, a.idx, a.span, a.error_type, a.severity), (job, 0, Some((0, 9)), ErrorType::WrongInflection, Mqm::Minor));
        assert_eq!(a.created_by, "aigerim");
        let detail = s.job(job).await.unwrap();
        assert_eq!(a.text_hash, detail.segments[0].current_hash(), "tied to the text it was made on");
        let b = s.add_annotation(job, &NewAnnotation { idx: 2, span: None, ..new.clone() }, "dana").await.unwrap();
        assert_eq!(s.annotations(job).await.unwrap(), [a.clone(), b.clone()]);

        let chars = detail.segments[0].current().unwrap().chars().count() as u32;
        let long = NewAnnotation { span: Some((2, chars + 1)), ..new.clone() };
        let err = s.add_annotation(job, &long, "aigerim").await.unwrap_err();
        assert!(matches!(err, StoreError::BadSpan { segment: 0, .. }), "{err}");
        let backwards = NewAnnotation { span: Some((5, 2)), ..new.clone() };
        assert!(matches!(s.add_annotation(job, &backwards, "aigerim").await, Err(StoreError::BadSpan { .. })));
        let nowhere = NewAnnotation { idx: 7, ..new.clone() };
        assert!(matches!(s.add_annotation(job, &nowhere, "aigerim").await, Err(StoreError::NoSuchSegment { segment: 7, .. })));
        assert!(matches!(s.add_annotation(999, &new, "aigerim").await, Err(StoreError::NoSuchJob(999))));

        s.remove_annotation(job, a.id, "aigerim").await.unwrap();
        assert_eq!(s.annotations(job).await.unwrap(), std::slice::from_ref(&b));
        assert!(matches!(s.remove_annotation(job, a.id, "aigerim").await, Err(StoreError::NoSuchAnnotation { .. })));
        assert!(matches!(s.remove_annotation(job + 1, b.id, "aigerim").await, Err(StoreError::NoSuchAnnotation { .. })));
        let kinds: Vec<String> = s.events(Some(job)).await.unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds.iter().filter(|k| *k == "annotation").count(), 2, "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| *k == "annotation-removed").count(), 1, "{kinds:?}");
    }
}
