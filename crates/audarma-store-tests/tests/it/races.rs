//! Many callers at once: every store answers each of them as if they had come one after another.

use audarma_core::{JobState, Lang, Paragraph, Release, Role};
use audarma_store::{Inserted, JobFilter, JobId, LeaseOwner, Store, StoreError};
use audarma_store_tests::conformance;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::Barrier;

/// An English release of three segments.
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

/// Runs `call` in `n` tasks that start together; their results in task order.
async fn at_once<T, F, Fut>(s: &Arc<dyn Store>, n: usize, call: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Arc<dyn Store>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let start = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (start, call) = (start.clone(), call(s.clone(), i));
            tokio::spawn(async move {
                start.wait().await;
                call.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

conformance! {
    /// Sixteen admins adding the same user: one adds it, the others are told it exists.
    async fn of_many_adding_the_same_user_at_once_one_adds_it(s: Arc<dyn Store>) {
        let added =
            at_once(&s, 16, |s, _| async move { s.add_user("aigerim", Role::Translator, "h", "t").await }).await;
        let mut ok = 0;
        for r in added {
            match r {
                Ok(user) => {
                    assert_eq!(user.name, "aigerim");
                    ok += 1;
                }
                Err(StoreError::UserExists(name)) => assert_eq!(name, "aigerim"),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(ok, 1, "exactly one adds the user");
        assert_eq!(s.users().await.unwrap().len(), 1);
    }

    /// Sixteen runs ingesting the same release: one stores it, all get its id.
    async fn of_many_inserting_the_same_release_at_once_one_stores_it(s: Arc<dyn Store>) {
        let inserted =
            at_once(&s, 16, |s, _| async move { s.insert_release(&talks("Talks"), "t").await.unwrap() }).await;
        let id = inserted[0].id();
        assert!(inserted.iter().all(|i| i.id() == id), "{inserted:?}");
        let new = inserted.iter().filter(|i| matches!(i, Inserted::New { .. })).count();
        assert_eq!(new, 1, "{inserted:?}");
        assert_eq!(s.ensure_jobs(id, &[Lang::Ru], "w", "t").await.unwrap().len(), 1);
        assert_eq!(s.job(s.list_jobs(&JobFilter::default()).await.unwrap()[0].id).await.unwrap().segments.len(), 3);
    }

    /// Eight workers claiming from a queue of five jobs: each job is claimed once, three workers get none.
    async fn of_many_claiming_at_once_each_job_goes_to_one_worker(s: Arc<dyn Store>) {
        for (i, targets) in [&[Lang::Ru, Lang::Kk][..], &[Lang::Ru, Lang::Kk], &[Lang::Ru]].into_iter().enumerate() {
            let id = s.insert_release(&talks(&format!("Talks {i}")), "t").await.unwrap().id();
            s.ensure_jobs(id, targets, "w", "t").await.unwrap();
        }
        let owners: Vec<String> = (0..8).map(|i| format!("host:{i}")).collect();
        let claims = at_once(&s, 8, |s, i| {
            let owner = owners[i].clone();
            async move { s.claim_next_job("w", LeaseOwner(&owner), 60).await.unwrap().map(|j| (j.id, owner)) }
        })
        .await;
        let claimed: Vec<(JobId, String)> = claims.iter().flatten().cloned().collect();
        assert_eq!(claimed.len(), 5, "three workers get none: {claims:?}");
        let distinct: BTreeSet<JobId> = claimed.iter().map(|(job, _)| *job).collect();
        assert_eq!(distinct.len(), 5, "each job claimed exactly once: {claims:?}");

        let jobs = s.list_jobs(&JobFilter::default()).await.unwrap();
        assert_eq!(jobs.len(), 5);
        for job in jobs {
            assert_eq!(job.state, JobState::Translating);
            let claims = s.events(Some(job.id)).await.unwrap();
            let claims: Vec<_> = claims.iter().filter(|e| e.after.as_deref() == Some("translating")).collect();
            assert_eq!(claims.len(), 1, "one claim logged for job {}", job.id);
            let (_, owner) = claimed.iter().find(|(j, _)| *j == job.id).unwrap();
            assert_eq!(&claims[0].actor, owner, "logged under the worker that holds it");
        }
    }

    /// Eight reviewers assigning one job to eight people at once: every assignment is applied in some
    /// order, and the log says so truthfully — each `assign` event's "before" is the previous one's
    /// "after", and the job ends with the last one's assignee.
    async fn of_many_assigning_at_once_the_log_chains_and_the_last_one_holds(s: Arc<dyn Store>) {
        let id = s.insert_release(&talks("Talks"), "t").await.unwrap().id();
        let job = s.ensure_jobs(id, &[Lang::Ru], "w", "t").await.unwrap()[0];
        for i in 0..8 {
            s.add_user(&format!("t{i}"), Role::Translator, "h", "t").await.unwrap();
        }
        let results =
            at_once(&s, 8, |s, i| async move { s.assign_job(job, Some(&format!("t{i}")), &format!("r{i}")).await }).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        let events = s.events(Some(job)).await.unwrap();
        let assigns: Vec<_> = events.iter().filter(|e| e.kind == "assign").collect();
        assert_eq!(assigns.len(), 8);
        let mut holder: Option<String> = None;
        for e in &assigns {
            assert_eq!(e.before, holder, "{assigns:?}");
            holder = e.after.clone();
        }
        assert_eq!(s.job_summary(job).await.unwrap().assignee, holder);
    }
}
