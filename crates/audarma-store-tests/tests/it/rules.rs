//! The rules kept above the Store trait (in `audarma-store`, the same for every store), run against
//! every store: fuzzy memory scoring, what blocks approval, lease fencing, taking a job.

use audarma_core::{Check, Finding, JobState, Lang, Paragraph, Release, Role, Severity, SuggestionOrigin};
use audarma_store::{
    choose_terms, fuzzy_matches, fuzzy_score, index_text, rank_fuzzy, FindingRef, JobFilter, JobId, LeaseOwner, Store,
    StoreError, Suggestion, TmUnit,
};
use audarma_store_tests::{conformance, Guard};
use std::sync::Arc;

/// An English release of three segments (title and two sentences).
fn talks(title: &str) -> Release {
    Release {
        source: format!("{title}.txt"),
        lang: Lang::En,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Five agreements were signed.".into(), "The parties met.".into()])],
    }
}

/// One en→ru job of three segments, queued in workflow `w`.
async fn queued(s: &dyn Store) -> JobId {
    let id = s.insert_release(&talks("Talks in Astana"), "t").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Ru], "w", "t").await.unwrap()[0]
}

fn suggestion(idx: u32, findings: Vec<Finding>) -> Suggestion {
    Suggestion {
        idx,
        text: Some(format!("Текст {idx}")),
        origin: SuggestionOrigin::Machine,
        backend: None,
        model: None,
        terms: vec![],
        findings,
        tm: None,
    }
}

#[test]
fn fuzzy_ties_go_by_source_and_a_unit_offered_twice_counts_once() {
    let offered = |pairs: &[(&str, &str)]| pairs.iter().map(|(s, t)| (s.to_string(), t.to_string())).collect();
    let ranked = rank_fuzzy("abc", offered(&[("abe", "2"), ("xyz", "0"), ("abd", "1"), ("abe", "2")]), 50, 10);
    let got: Vec<(&str, u8)> = ranked.iter().map(|m| (m.source.as_str(), m.score)).collect();
    assert_eq!(got, [("abd", 67), ("abe", 67)]);
    assert_eq!(fuzzy_score("Abc  d", "abc d"), 100);
    assert_eq!(fuzzy_score("abcd", "wxyz"), 0);
}

conformance! {
    async fn the_memory_pages_out_with_dates_and_authors_and_indexes_each_unit_once(s: Arc<dyn Store>) {
        use chrono::TimeZone;
        let at = chrono::Utc.with_ymd_and_hms(2020, 1, 2, 3, 4, 5).unwrap();
        let mut a = TmUnit::new(Lang::En, Lang::Kk, "The minister met the ambassador.", "Министр елшімен кездесті.");
        a.created_at = Some(at);
        a.created_by = Some("aigerim".into());
        let b = TmUnit::new(Lang::En, Lang::Ru, "The minister met the ambassador.", "Министр встретился с послом.");
        let c = TmUnit::new(Lang::En, Lang::Kk, "The talks went on.", "Келіссөздер жалғасты.");
        assert_eq!(s.tm_add(&[a.clone(), b.clone(), c.clone(), a.clone()], "t").await.unwrap(), 3);
        assert_eq!(s.tm_add(std::slice::from_ref(&a), "t").await.unwrap(), 0, "already there");
        let minister = index_text(Lang::En, Lang::Kk, "minister").terms;
        assert_eq!(s.tm_term_counts(&minister).await.unwrap(), [1], "indexed once, in its own pair");

        let first = s.tm_units(None, None, 0, 2).await.unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].1, a, "date and author kept");
        assert_eq!((first[1].1.target.as_str(), first[1].1.created_by.as_deref()), (b.target.as_str(), None));
        let rest = s.tm_units(None, None, first[1].0, 10).await.unwrap();
        let rest: Vec<&str> = rest.iter().map(|(_, u)| u.source.as_str()).collect();
        assert_eq!(rest, [c.source.as_str()]);
        let kk = s.tm_units(Some((Lang::En, Lang::Kk)), None, 0, 10).await.unwrap();
        assert_eq!(kk.iter().map(|(_, u)| u.target.as_str()).collect::<Vec<_>>(), [a.target.as_str(), c.target.as_str()]);
        let recent = s.tm_units(None, Some(at + chrono::Duration::days(1)), 0, 10).await.unwrap();
        assert_eq!(recent.iter().map(|(_, u)| u.target.as_str()).collect::<Vec<_>>(), [b.target.as_str(), c.target.as_str()]);
        assert!(recent.iter().all(|(_, u)| u.created_at.is_some_and(|t| t > at)), "stored when added");
    }

    async fn a_bulk_import_is_found_exactly_at_once_and_fuzzily_once_its_index_is_merged(s: Arc<dyn Store>) {
        let unit = |src: &str, tgt: &str| TmUnit::new(Lang::Ru, Lang::Kk, src, tgt);
        let units = [
            unit("Министр провёл встречу с послом Японии.", "Министр Жапония елшісімен кездесу өткізді."),
            unit("Стороны обсудили вопросы торговли.", "Тараптар сауда мәселелерін талқылады."),
        ];
        assert_eq!(s.tm_add_bulk(&units, "import:a.tmx").await.unwrap(), 2);
        assert_eq!(s.tm_add_bulk(&units[..1], "import:a.tmx").await.unwrap(), 0, "a duplicate is skipped");
        let exact = s.tm_exact(Lang::Ru, Lang::Kk, &[units[1].source.clone()]).await.unwrap();
        assert_eq!(exact, [Some(units[1].target.clone())]);
        let text = "Министр провёл встречу с послом Китая.";
        assert!(fuzzy_matches(&*s, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap().is_empty(), "not indexed yet");
        assert_eq!(s.tm_index_pending().await.unwrap(), 2);
        assert_eq!(s.tm_index_pending().await.unwrap(), 0);
        let found = fuzzy_matches(&*s, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap();
        assert_eq!(found.iter().map(|m| m.target.as_str()).collect::<Vec<_>>(), [units[0].target.as_str()]);
        let minister = index_text(Lang::Ru, Lang::Kk, "министр").terms;
        assert_eq!(s.tm_term_counts(&minister).await.unwrap(), [1], "counted once");
        // Units added one way and the other are indexed alike.
        s.tm_add(&[unit("Министр провёл брифинг.", "Министр брифинг өткізді.")], "job:1").await.unwrap();
        assert_eq!(s.tm_term_counts(&minister).await.unwrap(), [2]);
    }

    async fn an_exact_match_is_the_newest_translation_by_date_not_the_last_stored(s: Arc<dyn Store>) {
        use chrono::TimeZone;
        let dated = |target: &str, year: i32| {
            let mut u = TmUnit::new(Lang::Ru, Lang::Kk, "Глава государства провёл встречу.", target);
            u.created_at = Some(chrono::Utc.with_ymd_and_hms(year, 5, 1, 0, 0, 0).unwrap());
            u
        };
        let source = vec!["Глава государства провёл встречу.".to_string()];
        s.tm_add(&[dated("Мемлекет басшысы кездесу өткізді.", 2026)], "approved").await.unwrap();
        // An agency's old memory imported afterwards: another translation of the same source, dated earlier.
        s.tm_add(&[dated("Мемлекет басшысы кездесу жүргізді.", 2019)], "import:old.tmx").await.unwrap();
        let got = s.tm_exact(Lang::Ru, Lang::Kk, &source).await.unwrap();
        assert_eq!(got, [Some("Мемлекет басшысы кездесу өткізді.".to_string())]);
        s.tm_add(&[dated("Мемлекет басшысы кездесу өткізді (2027).", 2027)], "approved").await.unwrap();
        let got = s.tm_exact(Lang::Ru, Lang::Kk, &source).await.unwrap();
        assert_eq!(got, [Some("Мемлекет басшысы кездесу өткізді (2027).".to_string())]);
    }

    async fn the_store_offers_fuzzy_candidates_and_the_shared_scorer_ranks_them(s: Arc<dyn Store>) {
        let unit = |src: &str, tgt: &str| TmUnit {
            source_lang: Lang::Ru,
            target_lang: Lang::En,
            source: src.into(),
            target: tgt.into(),
            created_at: None,
            created_by: None,
        };
        s.tm_add(
            &[
                unit("Стороны обсудили вопросы торговли.", "The parties discussed trade."),
                unit("Стороны обсудили вопросы транзита.", "The parties discussed transit."),
                unit("Вопросы погоды на заседании не обсуждались вовсе.", "Weather was not discussed at all."),
                unit("Погода была солнечной.", "The weather was sunny."),
            ],
            "t",
        )
        .await
        .unwrap();
        let text = "  стороны  ОБСУДИЛИ вопросы торговли. ";
        let indexed = index_text(Lang::Ru, Lang::En, text);
        // стороны, обсудили, вопросы, торговли: each held by the units that have it, in any case.
        assert_eq!(s.tm_term_counts(&indexed.terms).await.unwrap(), [2, 2, 3, 1]);
        let elsewhere = index_text(Lang::Ru, Lang::Kk, text).terms;
        assert_eq!(s.tm_term_counts(&elsewhere).await.unwrap(), [0, 0, 0, 0], "another pair's index");
        let all = (0, u32::MAX);
        let candidates = s.tm_candidates(Lang::Ru, Lang::En, &indexed.terms, all, 20).await.unwrap();
        // The store only shortlists (a shared word is enough), those sharing most first; the sunny weather
        // shares no word.
        let sources: Vec<&str> = candidates.iter().map(|(src, _)| src.as_str()).collect();
        assert_eq!(
            sources,
            [
                "Стороны обсудили вопросы торговли.",
                "Стороны обсудили вопросы транзита.",
                "Вопросы погоды на заседании не обсуждались вовсе."
            ]
        );
        assert_eq!(s.tm_candidates(Lang::Ru, Lang::En, &indexed.terms, all, 1).await.unwrap().len(), 1, "limit");
        let short = (0, 40);
        assert_eq!(s.tm_candidates(Lang::Ru, Lang::En, &indexed.terms, short, 9).await.unwrap().len(), 2, "length");
        let rare = choose_terms(&[(indexed.terms[3], 1)]);
        assert_eq!(s.tm_candidates(Lang::Ru, Lang::En, &rare, all, 9).await.unwrap().len(), 1, "one word");
        assert!(s.tm_candidates(Lang::Ru, Lang::Kk, &indexed.terms, all, 9).await.unwrap().is_empty(), "pair");

        let found = fuzzy_matches(&*s, Lang::Ru, Lang::En, text, 60, 5).await.unwrap();
        assert_eq!(found, rank_fuzzy(text, candidates, 60, 5), "the store's candidates, ranked by the one scorer");
        let sources: Vec<&str> = found.iter().map(|m| m.source.as_str()).collect();
        assert_eq!(sources, ["Стороны обсудили вопросы торговли.", "Стороны обсудили вопросы транзита."]);
        // Case and spacing are folded: the same sentence scores 100.
        assert_eq!(found[0].score, 100);
        assert!(found.iter().all(|m| m.score == fuzzy_score(text, &m.source)));
        assert!(found[1].score >= 60 && found[1].score < 100, "{found:?}");
        assert_eq!(fuzzy_matches(&*s, Lang::Ru, Lang::En, text, 60, 1).await.unwrap().len(), 1, "limit");
        assert_eq!(fuzzy_matches(&*s, Lang::Ru, Lang::En, text, 0, 5).await.unwrap().len(), 3, "no threshold");
        // No word of three letters: nothing is similar, whatever a store would offer.
        assert!(fuzzy_matches(&*s, Lang::Ru, Lang::En, "и в", 0, 5).await.unwrap().is_empty());
    }

    async fn approval_is_blocked_by_typed_error_findings_not_dismissed_for_the_current_text(s: Arc<dyn Store>) {
        let job = queued(&*s).await;
        let claim = s.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
        let error = |message: &str| Finding::new(Check::Numbers, Severity::Error, message.into());
        // A warning that talks about errors is still a warning: the severity decides, not the text.
        let warning = Finding::new(Check::Spelling, Severity::Warning, "error: \"severity\": \"error\"".into());
        let sugg = [
            suggestion(0, vec![error("the number 5 is missing")]),
            suggestion(1, vec![warning]),
            suggestion(2, vec![error("the number 7 is missing"), error("the number 9 is missing")]),
        ];
        s.complete_translation(job, claim.lease("run"), &sugg, "run").await.unwrap();
        let nine = FindingRef { check: Check::Numbers, message: "the number 9 is missing".into() };
        s.dismiss_finding(job, 2, &nine, None, Some("spelled out"), "aigerim").await.unwrap();

        let err = s.approve_job(job, "aigerim", None).await.unwrap_err();
        let StoreError::Blocked { job: blocked, errors, segments } = &err else { panic!("{err}") };
        assert_eq!((*blocked, *errors, segments.as_slice()), (job, 2, &[0, 2][..]));
        assert_eq!(
            err.to_string(),
            format!(
                "job {job} cannot be approved: 2 error finding(s) in segment(s) 0, 2; fix them or approve with an override reason"
            )
        );
        // A new text of segment 2 brings the dismissed finding back.
        s.edit_segment(job, 2, "Другой текст", &sugg[2].findings, None, "aigerim").await.unwrap();
        let err = s.approve_job(job, "aigerim", None).await.unwrap_err();
        assert!(matches!(&err, StoreError::Blocked { errors: 3, segments, .. } if segments == &[0, 2]), "{err}");
    }

    async fn the_lease_owner_fences_finishing_a_job_and_the_actor_is_only_logged(s: Arc<dyn Store>) {
        let job = queued(&*s).await;
        let dead = s.claim_next_job("w", LeaseOwner("host:1"), -1).await.unwrap().unwrap();
        // Renewing someone else's leases does not keep host:1's job: host:2 takes it back.
        s.renew_leases(LeaseOwner("host:2"), 60).await.unwrap();
        let next = s.claim_next_job("w", LeaseOwner("host:2"), 60).await.unwrap().unwrap();
        assert_eq!((dead.id, next.id), (job, job));
        let sugg: Vec<Suggestion> = (0..3).map(|i| suggestion(i, vec![])).collect();

        // The run that lost the lease is refused whatever actor it logs under; nothing is written.
        let late = s.complete_translation(job, dead.lease("host:1"), &sugg, "host:2").await;
        assert!(matches!(late, Err(StoreError::LeaseLost(j)) if j == job), "{late:?}");
        let late = s.fail_job(job, dead.lease("host:1"), "boom", "host:2").await;
        assert!(matches!(late, Err(StoreError::LeaseLost(_))), "{late:?}");
        let late = s.release_job(job, dead.lease("host:1"), "quota", "host:2").await;
        assert!(matches!(late, Err(StoreError::LeaseLost(_))), "{late:?}");
        assert_eq!(s.job_summary(job).await.unwrap().state, JobState::Translating);

        // The holder finishes; the event is logged under the actor it gave.
        s.complete_translation(job, next.lease("host:2"), &sugg, "cron").await.unwrap();
        let last = s.events(Some(job)).await.unwrap().pop().unwrap();
        assert_eq!((last.actor.as_str(), last.after.as_deref()), ("cron", Some("in_review")));

        // The owner's own renewal keeps its lease: nobody else can claim the job.
        let release = s.job_summary(job).await.unwrap().release_id;
        s.ensure_jobs(release, &[Lang::Kk], "w", "t").await.unwrap();
        s.claim_next_job("w", LeaseOwner("host:3"), -1).await.unwrap().unwrap();
        s.renew_leases(LeaseOwner("host:3"), 60).await.unwrap();
        assert!(s.claim_next_job("w", LeaseOwner("host:4"), 60).await.unwrap().is_none());
    }

    /// A worker whose lease ran out and that claimed the same job again (the same owner, a later
    /// attempt) cannot finish it with the old claim: the attempt fences it as the owner fences others.
    async fn an_earlier_claim_of_the_same_worker_cannot_finish_the_job(s: Arc<dyn Store>) {
        let job = queued(&*s).await;
        let first = s.claim_next_job("w", LeaseOwner("host:1"), -1).await.unwrap().unwrap();
        let second = s.claim_next_job("w", LeaseOwner("host:1"), 60).await.unwrap().unwrap();
        assert_eq!((first.id, second.id, first.attempt, second.attempt), (job, job, 1, 2));
        let sugg: Vec<Suggestion> = (0..3).map(|i| suggestion(i, vec![])).collect();
        let late = s.complete_translation(job, first.lease("host:1"), &sugg, "host:1").await;
        assert!(matches!(late, Err(StoreError::LeaseLost(j)) if j == job), "{late:?}");
        assert!(matches!(s.fail_job(job, first.lease("host:1"), "x", "host:1").await, Err(StoreError::LeaseLost(_))));
        assert_eq!(s.job_summary(job).await.unwrap().state, JobState::Translating);
        s.complete_translation(job, second.lease("host:1"), &sugg, "host:1").await.unwrap();
        assert_eq!(s.job_summary(job).await.unwrap().state, JobState::InReview);
        let claims = s.events(Some(job)).await.unwrap();
        let claims: Vec<_> = claims.iter().filter(|e| e.after.as_deref() == Some("translating")).collect();
        assert_eq!(claims.len(), 2);
    }

    async fn of_two_people_taking_the_same_job_at_once_exactly_one_gets_it(s: Arc<dyn Store>, db: &Guard) {
        s.add_user("daniyar", Role::Translator, "h", "t").await.unwrap();
        s.add_user("saule", Role::Translator, "h", "t").await.unwrap();
        for i in 0..8 {
            let id = s.insert_release(&talks(&format!("Talks {i}")), "t").await.unwrap().id();
            s.ensure_jobs(id, &[Lang::Ru, Lang::Kk], "w", "t").await.unwrap();
        }
        // Two stores on one database: two server processes, each with its own connections.
        let a = s;
        let b = db.open_again().await;
        for job in a.list_jobs(&JobFilter::default()).await.unwrap().into_iter().map(|j| j.id) {
            let start = Arc::new(tokio::sync::Barrier::new(2));
            let take = |s: Arc<dyn Store>, user: &'static str| {
                let start = start.clone();
                tokio::spawn(async move {
                    start.wait().await;
                    s.take_job(job, user, user).await
                })
            };
            let (da, sa) = (take(a.clone(), "daniyar"), take(b.clone(), "saule"));
            let (da, sa) = (da.await.unwrap(), sa.await.unwrap());
            let winner = match (&da, &sa) {
                (Ok(()), Err(StoreError::Taken { job: j, by })) if *j == job && by == "daniyar" => "daniyar",
                (Err(StoreError::Taken { job: j, by }), Ok(())) if *j == job && by == "saule" => "saule",
                other => panic!("job {job}: {other:?}"),
            };
            assert_eq!(b.job_summary(job).await.unwrap().assignee.as_deref(), Some(winner));
            let assigns: Vec<_> =
                a.events(Some(job)).await.unwrap().into_iter().filter(|e| e.kind == "assign").collect();
            assert_eq!(assigns.len(), 1, "one take is logged");
            assert_eq!((assigns[0].actor.as_str(), assigns[0].before.as_deref()), (winner, None));
        }
    }

    async fn taking_and_assigning_are_refused_with_their_reason(s: Arc<dyn Store>) {
        s.add_user("daniyar", Role::Translator, "h", "t").await.unwrap();
        s.add_user("saule", Role::Translator, "h", "t").await.unwrap();
        let job = queued(&*s).await;
        s.take_job(job, "daniyar", "daniyar").await.unwrap();
        s.take_job(job, "daniyar", "daniyar").await.unwrap();
        let err = s.take_job(job, "saule", "saule").await.unwrap_err();
        assert!(matches!(&err, StoreError::Taken { by, .. } if by == "daniyar"), "{err}");
        assert_eq!(err.to_string(), format!("job {job} is already taken by daniyar"));
        // A reviewer assigns whoever has it; then the job is saule's to take again.
        s.assign_job(job, Some("saule"), "aigerim").await.unwrap();
        s.take_job(job, "saule", "saule").await.unwrap();
        let log: Vec<(String, Option<String>, Option<String>)> = s
            .events(Some(job))
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "assign")
            .map(|e| (e.actor, e.before, e.after))
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            log,
            [
                ("daniyar".into(), None, some("daniyar")),
                ("daniyar".into(), some("daniyar"), some("daniyar")),
                ("aigerim".into(), some("daniyar"), some("saule")),
                ("saule".into(), some("saule"), some("saule")),
            ]
        );
        assert!(matches!(s.take_job(job, "ghost", "ghost").await, Err(StoreError::NoSuchUser(_))));
        assert!(matches!(s.assign_job(job, Some("ghost"), "aigerim").await, Err(StoreError::NoSuchUser(_))));
        assert!(matches!(s.take_job(999, "saule", "saule").await, Err(StoreError::NoSuchJob(999))));
        assert!(matches!(s.assign_job(999, None, "aigerim").await, Err(StoreError::NoSuchJob(999))));
        assert_eq!(s.job_summary(job).await.unwrap().assignee.as_deref(), Some("saule"), "refusals write nothing");

        // Approved jobs are neither taken nor reassigned.
        let claim = s.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
        let sugg: Vec<Suggestion> = (0..3).map(|i| suggestion(i, vec![])).collect();
        s.complete_translation(job, claim.lease("run"), &sugg, "run").await.unwrap();
        s.approve_job(job, "aigerim", None).await.unwrap();
        let approved =
            |r: Result<(), StoreError>| matches!(r, Err(StoreError::WrongState { state: JobState::Approved, .. }));
        assert!(approved(s.take_job(job, "daniyar", "daniyar").await));
        assert!(approved(s.assign_job(job, None, "aigerim").await));
        assert!(approved(s.assign_job(job, Some("daniyar"), "aigerim").await));
        assert_eq!(s.job_summary(job).await.unwrap().assignee.as_deref(), Some("saule"));
    }
}
