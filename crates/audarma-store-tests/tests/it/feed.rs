//! A user's feed: a token stored as its hash (one per user, a new one replacing the old; none for a
//! disabled user) and the events of the jobs assigned to them, newest first.

use audarma_core::{Due, Lang, Paragraph, Release, Role, SuggestionOrigin};
use audarma_store::{JobId, LeaseOwner, Store, StoreError, Suggestion};
use audarma_store_tests::conformance;
use std::sync::Arc;

async fn translated(s: &dyn Store, title: &str) -> JobId {
    let release = Release {
        source: format!("{title}.txt"),
        lang: Lang::Ru,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Стороны подписали соглашение.".into()])],
    };
    let id = s.insert_release(&release, "cron").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Kk], "w", "cron").await.unwrap();
    let job = s.claim_next_job("w", LeaseOwner("run:1"), 60).await.unwrap().unwrap();
    let sugg: Vec<Suggestion> = (0..job.segments.len() as u32)
        .map(|idx| Suggestion {
            idx,
            text: Some(format!("аударма {idx}")),
            origin: SuggestionOrigin::Pseudo,
            backend: None,
            model: None,
            terms: vec![],
            findings: vec![],
            tm: None,
        })
        .collect();
    s.complete_translation(job.id, job.lease("run:1"), &sugg, "run:1").await.unwrap();
    job.id
}

conformance! {
    async fn a_feed_token_is_one_per_user_replaced_by_a_new_one_and_dead_for_a_disabled_user(s: Arc<dyn Store>) {
        s.add_user("aigerim", Role::Translator, "h", "admin").await.unwrap();
        s.add_user("daniyar", Role::Translator, "h", "admin").await.unwrap();
        assert!(matches!(s.set_feed_token("nobody", "x", "admin").await, Err(StoreError::NoSuchUser(_))));
        s.set_feed_token("aigerim", "hash-a", "aigerim").await.unwrap();
        s.set_feed_token("daniyar", "hash-d", "admin").await.unwrap();
        assert_eq!(s.user_by_feed_token("hash-a").await.unwrap().unwrap().name, "aigerim");
        assert!(s.user_by_feed_token("hash-x").await.unwrap().is_none());
        // A new link replaces the old one.
        s.set_feed_token("aigerim", "hash-b", "aigerim").await.unwrap();
        assert!(s.user_by_feed_token("hash-a").await.unwrap().is_none());
        assert_eq!(s.user_by_feed_token("hash-b").await.unwrap().unwrap().name, "aigerim");
        assert_eq!(s.user_by_feed_token("hash-d").await.unwrap().unwrap().name, "daniyar");
        // Disabled: the feed stops; enabled again, it works again.
        s.set_user_disabled("aigerim", true, "admin").await.unwrap();
        assert!(s.user_by_feed_token("hash-b").await.unwrap().is_none());
        s.set_user_disabled("aigerim", false, "admin").await.unwrap();
        assert!(s.user_by_feed_token("hash-b").await.unwrap().is_some());
        let logged = s.events(None).await.unwrap().into_iter().filter(|e| e.kind == "feed-token-created").count();
        assert_eq!(logged, 3);
    }

    async fn a_feed_has_the_state_changes_assignments_and_deadlines_of_the_users_jobs_newest_first(s: Arc<dyn Store>) {
        s.add_user("aigerim", Role::Reviewer, "h", "admin").await.unwrap();
        s.add_user("daniyar", Role::Translator, "h", "admin").await.unwrap();
        let mine = translated(&*s, "Визит").await;
        let also_mine = translated(&*s, "Брифинг").await;
        let theirs = translated(&*s, "Чужое").await;
        s.assign_job(mine, Some("aigerim"), "admin").await.unwrap();
        s.assign_job(also_mine, Some("aigerim"), "admin").await.unwrap();
        s.assign_job(theirs, Some("daniyar"), "admin").await.unwrap();
        s.add_comment(also_mine, None, "не в ленте", "daniyar").await.unwrap();
        s.approve_job(mine, "aigerim", None).await.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        s.plan_job(also_mine, 0, Some(today), "admin").await.unwrap();
        s.mark_due_jobs(Due::by(today), "deliverer").await.unwrap();

        let feed = s.feed("aigerim", 50).await.unwrap();
        let seen: Vec<(JobId, &str, Option<&str>)> =
            feed.iter().map(|i| (i.event.job_id.unwrap(), i.event.kind.as_str(), i.event.after.as_deref())).collect();
        assert_eq!(
            seen,
            [
                (also_mine, "deadline", None),
                (mine, "state", Some("approved")),
                (also_mine, "assign", Some("aigerim")),
                (mine, "assign", Some("aigerim")),
                (also_mine, "state", Some("in_review")),
                (also_mine, "state", Some("translating")),
                (mine, "state", Some("in_review")),
                (mine, "state", Some("translating")),
            ]
        );
        assert!(feed.windows(2).all(|w| w[0].event.id > w[1].event.id), "newest first");
        // Each with its job as it is now.
        assert!(feed.iter().all(|i| Some(i.job.id) == i.event.job_id));
        let job = &feed.iter().find(|i| i.job.id == mine).unwrap().job;
        assert_eq!((job.title.as_str(), job.state, job.assignee.as_deref()), ("Визит", audarma_core::JobState::Approved, Some("aigerim")));
        assert_eq!(feed[0].job.deadline, Some(today));
        assert_eq!(s.feed("aigerim", 2).await.unwrap().len(), 2);
        assert_eq!(s.feed("daniyar", 50).await.unwrap().iter().filter(|i| i.job.id == theirs).count(), 3);

        // A job given to someone else leaves the feed.
        s.assign_job(also_mine, Some("daniyar"), "admin").await.unwrap();
        assert!(s.feed("aigerim", 50).await.unwrap().iter().all(|i| i.job.id == mine));
        assert!(s.feed("nobody", 50).await.unwrap().is_empty());
    }
}
