//! The store verbs of the review desk: assignment, plans, comments, sessions, fuzzy memory, text search.

use audarma_core::{JobState, Lang, Paragraph, Release};
use audarma_store::{fuzzy_matches, JobFilter, JobSort, Store, StoreError, TmUnit};
use audarma_store_tests::{conformance, Backend, Guard};
use chrono::{Duration, NaiveDate, Utc};
use std::sync::Arc;

fn release(title: &str, date: u32, body: &str) -> Release {
    Release {
        source: format!("{title}.txt"),
        lang: Lang::Ru,
        title: title.into(),
        date: NaiveDate::from_ymd_opt(2026, 5, date),
        place: None,
        paragraphs: vec![Paragraph::new(vec![body.into()])],
    }
}

async fn seed(s: &dyn Store) {
    for (i, (t, b)) in [
        ("Встреча с Генеральным секретарём ОБСЕ", "Стороны обсудили безопасность."),
        ("Заседание правительства", "Рассмотрены вопросы экономики."),
        ("Визит в Монголию", "Подписано соглашение о транзите."),
    ]
    .iter()
    .enumerate()
    {
        let id = s.insert_release(&release(t, 10 + i as u32, b), "t").await.unwrap().id();
        s.ensure_jobs(id, &[Lang::En, Lang::Kk], "w", "t").await.unwrap();
    }
    s.add_user("aigerim", audarma_core::Role::Reviewer, "hash", "t").await.unwrap();
}

conformance! {
    async fn jobs_are_searched_in_any_case_counted_sorted_and_paged(s: Arc<dyn Store>, db: &Guard) {
        seed(&*s).await;
        let find = |text: &str| JobFilter { text: Some(text.into()), ..Default::default() };
        // Case-folded in Cyrillic (LIKE would not), in titles and bodies, every word required.
        assert_eq!(s.count_jobs(&find("обсе")).await.unwrap(), 2);
        assert_eq!(s.count_jobs(&find("ТРАНЗИТЕ")).await.unwrap(), 2);
        assert_eq!(s.count_jobs(&find("визит транзите")).await.unwrap(), 2);
        assert_eq!(s.count_jobs(&find("визит экономики")).await.unwrap(), 0);
        // Short words match titles: «в» is in «Визит в Монголию» and «Заседание правительства»; PostgreSQL
        // also folds «Встреча» (the contract), SQLite's LIKE folds ASCII only (its documented limitation).
        let short = if db.backend() == Backend::Postgres { 6 } else { 4 };
        assert_eq!(s.count_jobs(&find("в")).await.unwrap(), short, "short words match titles");
        assert_eq!(s.count_jobs(&find("\"; DROP TABLE jobs; --")).await.unwrap(), 0);

        let en = JobFilter { target_lang: Some(Lang::En), sort: JobSort::Date, ..Default::default() };
        let titles: Vec<String> = s.list_jobs(&en).await.unwrap().into_iter().map(|j| j.title).collect();
        assert_eq!(titles, ["Визит в Монголию", "Заседание правительства", "Встреча с Генеральным секретарём ОБСЕ"]);
        let page = JobFilter { limit: Some(2), offset: 4, ..Default::default() };
        assert_eq!(s.list_jobs(&page).await.unwrap().len(), 2);
        assert_eq!(s.count_jobs(&page).await.unwrap(), 6);

        s.plan_job(5, 3, NaiveDate::from_ymd_opt(2026, 6, 1), "aigerim").await.unwrap();
        s.plan_job(2, 1, NaiveDate::from_ymd_opt(2026, 5, 30), "aigerim").await.unwrap();
        let by = |sort| JobFilter { sort, limit: Some(2), ..Default::default() };
        let ids = |v: Vec<audarma_store::JobSummary>| v.into_iter().map(|j| j.id).collect::<Vec<_>>();
        assert_eq!(ids(s.list_jobs(&by(JobSort::Priority)).await.unwrap()), [5, 2]);
        assert_eq!(ids(s.list_jobs(&by(JobSort::Deadline)).await.unwrap()), [2, 5]);
        assert!(matches!(s.plan_job(99, 1, None, "x").await, Err(StoreError::NoSuchJob(99))));

        let counts = s.job_counts().await.unwrap();
        assert_eq!(counts.iter().map(|c| c.jobs).sum::<u64>(), 6);
        assert!(counts.iter().all(|c| c.state == JobState::Queued));
    }

    async fn assignment_and_comments_are_logged_with_their_author(s: Arc<dyn Store>) {
        seed(&*s).await;
        s.assign_job(1, Some("aigerim"), "boss").await.unwrap();
        assert!(matches!(s.assign_job(1, Some("ghost"), "boss").await, Err(StoreError::NoSuchUser(_))));
        let mine = JobFilter { assignee: Some("aigerim".into()), ..Default::default() };
        assert_eq!(s.list_jobs(&mine).await.unwrap()[0].assignee.as_deref(), Some("aigerim"));
        s.assign_job(1, None, "boss").await.unwrap();
        assert_eq!(s.count_jobs(&mine).await.unwrap(), 0);

        let c = s.add_comment(1, Some(0), "Проверьте название", "aigerim").await.unwrap();
        assert_eq!((c.segment, c.author.as_str()), (Some(0), "aigerim"));
        assert!(matches!(s.add_comment(1, Some(7), "x", "a").await, Err(StoreError::NoSuchSegment { .. })));
        assert!(matches!(s.add_comment(42, None, "x", "a").await, Err(StoreError::NoSuchJob(42))));
        assert_eq!(s.comments(1).await.unwrap(), vec![c]);
        let kinds: Vec<(String, String)> =
            s.events(Some(1)).await.unwrap().into_iter().map(|e| (e.kind, e.actor)).skip(1).collect();
        let expected = [("assign", "boss"), ("assign", "boss"), ("comment", "aigerim")];
        assert_eq!(kinds, expected.map(|(k, a)| (k.to_string(), a.to_string())));
    }

    async fn sessions_expire_and_end(s: Arc<dyn Store>) {
        seed(&*s).await;
        s.create_session("h1", "aigerim", "csrf1", Utc::now() + Duration::hours(1)).await.unwrap();
        s.create_session("h2", "aigerim", "csrf2", Utc::now() - Duration::seconds(1)).await.unwrap();
        let live = s.session("h1").await.unwrap().unwrap();
        assert_eq!((live.user.name.as_str(), live.csrf.as_str()), ("aigerim", "csrf1"));
        assert!(s.session("h2").await.unwrap().is_none(), "expired");
        s.delete_session("h1").await.unwrap();
        assert!(s.session("h1").await.unwrap().is_none());
        assert!(matches!(s.create_session("h3", "ghost", "c", Utc::now()).await, Err(StoreError::NoSuchUser(_))));
        s.set_user_locale("aigerim", Some("kk")).await.unwrap();
        assert_eq!(s.user("aigerim").await.unwrap().unwrap().locale.as_deref(), Some("kk"));
    }

    async fn fuzzy_memory_finds_similar_sentences_best_first(s: Arc<dyn Store>) {
        seed(&*s).await;
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
                unit("Стороны обсудили вопросы региональной безопасности.", "The parties discussed regional security."),
                unit("Стороны обсудили вопросы торговли.", "The parties discussed trade."),
                unit("Погода была солнечной.", "The weather was sunny."),
            ],
            "t",
        )
        .await
        .unwrap();
        let m = fuzzy_matches(
            &*s,
            Lang::Ru,
            Lang::En,
            "Стороны обсудили вопросы региональной БЕЗОПАСНОСТИ и торговли.",
            50,
            5,
        )
        .await
        .unwrap();
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].target, "The parties discussed regional security.");
        assert!(m[0].score > m[1].score && m[0].score >= 75, "{m:?}");
        assert!(
            fuzzy_matches(&*s, Lang::Ru, Lang::Kk, "Стороны обсудили вопросы торговли.", 50, 5)
                .await
                .unwrap()
                .is_empty(),
            "other pair"
        );
        let exact = fuzzy_matches(&*s, Lang::Ru, Lang::En, "Стороны обсудили вопросы торговли.", 50, 5).await.unwrap();
        assert_eq!(exact[0].score, 100);
        assert!(fuzzy_matches(&*s, Lang::Ru, Lang::En, "и в", 0, 5).await.unwrap().is_empty());
    }

    async fn tokens_expire_and_are_revoked_and_a_disabled_user_has_no_way_in(s: Arc<dyn Store>) {
        use chrono::{Duration, Utc};
        s.add_user("aigerim", audarma_core::Role::Reviewer, "hash", "t").await.unwrap();
        s.add_token("aigerim", "live", None, "t").await.unwrap();
        s.add_token("aigerim", "old", Some(Utc::now() - Duration::minutes(1)), "t").await.unwrap();
        s.add_token("aigerim", "soon", Some(Utc::now() + Duration::days(90)), "t").await.unwrap();
        assert!(s.user_by_token("live").await.unwrap().is_some());
        assert!(s.user_by_token("old").await.unwrap().is_none(), "an expired token does not work");
        assert!(s.user_by_token("soon").await.unwrap().is_some());
        let listed = s.tokens(Some("aigerim")).await.unwrap();
        assert_eq!(listed.len(), 3);
        let live = listed.iter().find(|t| t.expires_at.is_none()).unwrap().id;
        s.revoke_token(live, "admin").await.unwrap();
        assert!(s.user_by_token("live").await.unwrap().is_none(), "a revoked token stops at once");
        assert!(matches!(s.revoke_token(999, "admin").await, Err(audarma_store::StoreError::NoSuchToken(999))));

        s.create_session("cookie", "aigerim", "csrf", Utc::now() + Duration::hours(1)).await.unwrap();
        s.create_session("cookie2", "aigerim", "csrf", Utc::now() + Duration::hours(1)).await.unwrap();
        assert_eq!(s.sessions_of("aigerim").await.unwrap().len(), 2);
        s.set_user_disabled("aigerim", true, "admin").await.unwrap();
        assert!(s.user("aigerim").await.unwrap().unwrap().disabled);
        assert!(s.session("cookie").await.unwrap().is_none(), "disabling ends the sessions");
        assert!(s.user_by_token("soon").await.unwrap().is_none(), "and stops the tokens");
        s.set_user_disabled("aigerim", false, "admin").await.unwrap();
        assert!(s.user_by_token("soon").await.unwrap().is_some(), "enabled again, the unexpired token works");

        s.create_session("cookie3", "aigerim", "csrf", Utc::now() + Duration::hours(1)).await.unwrap();
        s.set_password("aigerim", "new-hash", "aigerim").await.unwrap();
        assert_eq!(s.user("aigerim").await.unwrap().unwrap().password_hash, "new-hash");
        assert!(s.session("cookie3").await.unwrap().is_none(), "a new password ends the sessions");
        s.create_session("cookie4", "aigerim", "csrf", Utc::now() + Duration::hours(1)).await.unwrap();
        assert_eq!(s.end_sessions("aigerim", "admin").await.unwrap(), 1);
        let kinds: Vec<String> = s.events(None).await.unwrap().into_iter().map(|e| e.kind).collect();
        for k in ["token-revoked", "user-disabled", "user-enabled", "password-changed", "sessions-ended"] {
            assert!(kinds.iter().any(|x| x == k), "{k} logged: {kinds:?}");
        }
    }
}
