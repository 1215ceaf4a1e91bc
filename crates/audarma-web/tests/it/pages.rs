//! The pages as a browser without JavaScript uses them: forms post and redirect, in the user's language.

use crate::common;

use common::{attr_after, TestDesk, PASSWORD};

#[tokio::test]
async fn the_ui_speaks_the_users_language_from_setting_cookie_or_browser() {
    let d = TestDesk::start().await;
    let login = |lang: &'static str| d.http.get(d.url("/login")).header("accept-language", lang).send();
    let kk = login("kk-KZ,ru;q=0.8").await.unwrap().text().await.unwrap();
    assert!(kk.contains("<html lang=\"kk\">") && kk.contains("audarma жүйесіне кіру") && kk.contains("Құпиясөз"));
    let ru = login("ru").await.unwrap().text().await.unwrap();
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Вход в audarma"));
    let en = login("fr, de").await.unwrap().text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Log in to audarma"));

    // A logged-in user's choice wins over the browser's and is remembered.
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let res = d
        .http
        .post(d.url("/settings/locale"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str()), ("locale", "ru"), ("back", "/queue")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/queue");
    let res =
        d.http.get(d.url("/queue")).header("cookie", &b.cookie).header("accept-language", "en").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">"), "the stored setting wins");
    // Russian plural and Russian date.
    assert!(html.contains("3 задания"), "{}", &html[html.find("class=\"total\"").unwrap()..][..80]);
    assert!(html.contains("20 ноября 2026\u{a0}г."));
    let user = audarma_store::Store::user(d.store.as_ref(), "daniyar").await.unwrap().unwrap();
    assert_eq!(user.locale.as_deref(), Some("ru"));

    // Kazakh: every label of the queue comes from kk.ftl.
    d.http
        .post(d.url("/settings/locale"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str()), ("locale", "kk"), ("back", "/queue")])
        .send()
        .await
        .unwrap();
    let (_, html) = d.page(&b, "/queue").await;
    assert!(
        html.contains("<html lang=\"kk\">") && html.contains("3 тапсырма") && html.contains("2026\u{a0}ж. 20 қараша")
    );
    assert!(html.contains("Тексеру кезегі") && !html.contains("Review queue"));

    // Without the session's CSRF token the setting is not changed; an unknown locale is refused.
    let res = d
        .http
        .post(d.url("/settings/locale"))
        .header("cookie", &b.cookie)
        .form(&[("locale", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = d.http.post(d.url("/settings/locale")).form(&[("locale", "de")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
}

#[tokio::test]
async fn a_translator_edits_by_form_and_sees_the_finding_go() {
    let d = TestDesk::start().await;
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (s, html) = d.page(&b, &format!("/jobs/{}", d.ru_job)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<mark class=\"term\" title=\"Глава государства\""),
        "terms are marked with their translation"
    );
    assert!(html.contains("id=\"seg-1\"") && html.contains("seg has-error"));
    assert!(
        html.contains("Why: <code>other-concept</code> · <code>osce</code> → <code>sco</code>"),
        "a finding says why: the rule, the concept and the one named instead"
    );
    assert!(!html.contains("id=\"approve\""), "translators have no approve button");
    assert!(
        html.contains("Глава государства принял Генерального секретаря ОБСЕ в Алматы."),
        "the memory match is shown"
    );

    let post = |version: &str, text: &str| {
        d.http
            .post(d.url(&format!("/jobs/{}/segments/1", d.ru_job)))
            .header("cookie", &b.cookie)
            .form(&[("csrf", b.csrf.as_str()), ("version", version), ("text", text)])
            .send()
    };
    let res = post("1", "Глава государства принял Генерального секретаря ОБСЕ в Астане.").await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/jobs/{}?done=saved#seg-1", d.ru_job));
    let (_, html) = d.page(&b, &format!("/jobs/{}?done=saved", d.ru_job)).await;
    assert!(html.contains("class=\"flash\"") && html.contains("Saved."));
    let (_, html) = d.page(&b, &format!("/jobs/{}?done=Your+account+is+locked", d.ru_job)).await;
    assert!(!html.contains("class=\"flash\"") && !html.contains("Your account is locked"), "only known flash messages");
    assert!(!html.contains("seg has-error"), "the terminology error is gone");
    // A second tab still at version 1 cannot overwrite it.
    let res = post("1", "Президент.").await.unwrap();
    assert_eq!(res.status().as_u16(), 409);
    assert!(res.text().await.unwrap().contains("Someone else changed this segment"));

    // History shows the change word by word, with who made it.
    let (_, html) = d.page(&b, &format!("/jobs/{}/history", d.ru_job)).await;
    assert!(html.contains("<del>Президент</del>") && html.contains("<ins>Глава государства</ins>"), "{html}");
    assert!(html.contains("<b>daniyar</b>"));
}

#[tokio::test]
async fn a_reviewer_approves_and_rejects_by_form() {
    let d = TestDesk::start().await;
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.kk_job)).await;
    assert!(html.contains("id=\"approve\"") && html.contains("id=\"reject\""));
    let form = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let mut f: Vec<(&str, &str)> = vec![("csrf", b.csrf.as_str())];
        f.extend(fields);
        d.http.post(d.url(&path)).header("cookie", &b.cookie).form(&f).send()
    };
    let res = form(format!("/jobs/{}/reject", d.kk_job), vec![("reason", "")]).await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("Rejecting a job needs a reason."));
    let res = form(format!("/jobs/{}/approve", d.ru_job), vec![]).await.unwrap();
    assert_eq!(res.status().as_u16(), 422, "error findings block approval");
    let res =
        form(format!("/jobs/{}/approve", d.ru_job), vec![("override_reason", "name kept on purpose")]).await.unwrap();
    assert_eq!(res.headers()["location"], "/queue?done=approved");
    let (_, html) = d.page(&b, "/queue?state=in_review").await;
    assert!(!html.contains(&format!("href=\"/jobs/{}\"", d.ru_job)), "the approved job left the review queue");
    assert!(html.contains(&format!("href=\"/jobs/{}\"", d.kk_job)));

    // Assigning from the job page, then "mine" for the assignee.
    let res = form(format!("/jobs/{}/assign", d.kk_job), vec![("assignee", "daniyar")]).await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let t = d.login("daniyar", PASSWORD).await.unwrap();
    let (_, html) = d.page(&t, "/queue?mine=1").await;
    assert!(html.contains(&format!("href=\"/jobs/{}\"", d.kk_job)) && html.contains("1 job"), "{html}");

    // The release in all its languages, side by side.
    let (s, html) = d.page(&b, &format!("/releases/{}", 1)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Мемлекет басшысы Астанада ЕҚЫҰ Бас хатшысын қабылдады.") && html.contains("Президент принял")
    );
    assert_eq!(d.page(&b, "/releases/999").await.0, 404);
}

#[tokio::test]
async fn the_queue_pages_filters_and_the_glossary_browser_work_without_javascript() {
    let d = TestDesk::start().await;
    let b = d.login("saule", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, "/queue?lang=ru&state=in_review").await;
    assert!(html.contains("1 job") && html.contains("value=\"ru\" selected"));
    let (s, html) = d.page(&b, "/queue?lang=xx").await;
    assert_eq!(s, 400);
    assert!(html.contains("lang: &#34;xx&#34; is not en, kk or ru") || html.contains("is not en, kk or ru"));
    let (_, html) = d.page(&b, "/glossary?q=%D0%95%D2%9A%D0%AB%D2%B0").await; // ЕҚЫҰ
    assert!(html.contains("ОБСЕ") && html.contains("OSCE"));
    let (_, html) = d.page(&b, "/glossary?q=UNESCO").await;
    assert!(html.contains("<span class=\"latin\" lang=\"kk-Latn\">UNESCO</span>"), "{html}");
    // Glossary maintainers read jobs but get no editing form.
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.kk_job)).await;
    assert!(!html.contains("<textarea name=\"text\""));
    assert_eq!(attr_after(&html, "data-editable=\"").as_deref(), Some("false"));
}

#[tokio::test]
async fn admins_add_users_and_change_roles_on_the_users_page() {
    let d = TestDesk::start().await;
    let b = d.login("admin", PASSWORD).await.unwrap();
    let (s, html) = d.page(&b, "/admin/users").await;
    assert_eq!(s, 200);
    assert!(html.contains("href=\"/admin/users\"") && html.contains("<td>daniyar</td>"));
    let res = d
        .http
        .post(d.url("/admin/users"))
        .header("cookie", &b.cookie)
        .form(&[
            ("csrf", b.csrf.as_str()),
            ("name", "Әйгерім"),
            ("role", "reviewer"),
            ("password", "a long passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/admin/users?done=user-added");
    let res = d
        .http
        .post(d.url("/admin/users/daniyar/role"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str()), ("role", "reviewer")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let user = audarma_store::Store::user(d.store.as_ref(), "daniyar").await.unwrap().unwrap();
    assert_eq!(user.role, audarma_core::Role::Reviewer);
    assert!(d.login("Әйгерім", "a long passphrase").await.is_ok());
    // Others see neither the link nor the page.
    let t = d.login("saule", PASSWORD).await.unwrap();
    let (s, html) = d.page(&t, "/admin/users").await;
    assert_eq!(s, 403);
    assert!(!html.contains("href=\"/admin/users\""));
}

#[tokio::test]
async fn a_conflict_on_save_keeps_the_translators_text_on_the_page() {
    let d = TestDesk::start().await;
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let post = |version: &str, text: &str| {
        d.http
            .post(d.url(&format!("/jobs/{}/segments/1", d.ru_job)))
            .header("cookie", &b.cookie)
            .form(&[("csrf", b.csrf.as_str()), ("version", version), ("text", text)])
            .send()
    };
    assert_eq!(post("1", "Первый вариант перевода.").await.unwrap().status().as_u16(), 303);
    let res = post("1", "Мой долгий перевод, набранный вручную.").await.unwrap();
    assert_eq!(res.status().as_u16(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("Someone else changed this segment"), "{html}");
    assert!(html.contains("Мой долгий перевод, набранный вручную.</textarea>"), "the typed text is kept: {html}");
    assert!(html.contains(&format!("href=\"/jobs/{}#seg-1\"", d.ru_job)));
}

#[tokio::test]
async fn an_admin_disables_a_user_and_a_user_changes_their_password_on_their_page() {
    let d = TestDesk::start().await;
    let admin = d.login("admin", PASSWORD).await.unwrap();
    let post = |b: &common::Browser, path: &str, fields: Vec<(&'static str, &'static str)>| {
        let mut f: Vec<(&str, &str)> = vec![("csrf", b.csrf.as_str())];
        f.extend(fields);
        d.http.post(d.url(path)).header("cookie", &b.cookie).form(&f).send()
    };
    let (_, html) = d.page(&admin, "/admin/users").await;
    assert!(html.contains("action=\"/admin/users/bolat/disable\""), "{html}");
    let res = post(&admin, "/admin/users/bolat/disable", vec![]).await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/users?done=user-disabled");
    let (_, html) = d.page(&admin, "/admin/users?done=user-disabled").await;
    assert!(html.contains("action=\"/admin/users/bolat/enable\"") && html.contains("User disabled"), "{html}");
    assert!(d.login("bolat", PASSWORD).await.is_err());

    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (status, html) = d.page(&b, "/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("Open sessions") && html.contains("action=\"/account/password\""), "{html}");
    let wrong = post(&b, "/account/password", vec![("current", "not my password"), ("new", "a new long passphrase")])
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 403);
    let ok =
        post(&b, "/account/password", vec![("current", PASSWORD), ("new", "a new long passphrase")]).await.unwrap();
    assert_eq!(ok.headers()["location"], "/login");
    assert_eq!(d.page(&b, "/queue").await.0, 303, "the old session ended");
    let b = d.login("daniyar", "a new long passphrase").await.unwrap();
    assert_eq!(post(&b, "/account/sessions/end", vec![]).await.unwrap().headers()["location"], "/login");
    assert_eq!(d.page(&b, "/queue").await.0, 303);
}

#[tokio::test]
async fn the_users_page_revokes_tokens_and_sets_passwords() {
    let d = TestDesk::start().await;
    let admin = d.login("admin", PASSWORD).await.unwrap();
    let (_, html) = d.page(&admin, "/admin/users").await;
    assert!(html.contains("Tokens") && html.contains("/revoke\""), "{html}");
    let post = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let mut f: Vec<(&str, &str)> = vec![("csrf", admin.csrf.as_str())];
        f.extend(fields);
        d.http.post(d.url(&path)).header("cookie", &admin.cookie).form(&f).send()
    };
    let (_, list) = d.get_json("admin", "/api/tokens?user=saule").await;
    let id = list["tokens"][0]["id"].as_i64().unwrap();
    let res = post(format!("/admin/tokens/{id}/revoke"), vec![]).await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/users?done=token-revoked");
    assert_eq!(d.get_json("saule", "/api/me").await.0, 401);
    let res = post("/admin/users/saule/password".into(), vec![("new", "a fresh long passphrase")]).await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/users?done=password-set");
    assert!(d.login("saule", "a fresh long passphrase").await.is_ok());
}

#[tokio::test]
async fn a_kazakh_job_shows_its_text_in_latin_script_read_only() {
    let d = TestDesk::start().await;
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.kk_job)).await;
    assert!(html.contains(&format!(
        "<a href=\"/jobs/{}?script=latn\" id=\"script-toggle\">Show in Latin script</a>",
        d.kk_job
    )));
    let res = d
        .http
        .post(d.url(&format!("/jobs/{}/segments/2", d.kk_job)))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str()), ("version", "1"), ("text", "Антониу Гутерриш Тоқаевпен кездесті.")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);

    let (s, html) = d.page(&b, &format!("/jobs/{}?script=latn", d.kk_job)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<p class=\"current latin\" lang=\"kk-Latn\">Memleket basşysy EQYŪ Bas hatşysyn qabyldady</p>"),
        "{html}"
    );
    assert!(html.contains("Memleket basşysy Astanada EQYŪ Bas hatşysyn qabyldady."), "{html}");
    // The glossary's kk-Latn forms, with the ending transliterated after the name.
    assert!(html.contains(">António Guterres Toqaevpen kezdestı.</p>"), "{html}");
    // Read-only: no editor, no approval, no dismissal; the way back to the Cyrillic text.
    assert!(
        !html.contains("<textarea name=\"text\"")
            && !html.contains("id=\"approve\"")
            && !html.contains("class=\"dismiss\"")
    );
    assert!(
        html.contains(&format!("<a href=\"/jobs/{}\" id=\"script-toggle\">Show in Cyrillic (to edit)</a>", d.kk_job))
    );
    assert!(html.contains("class=\"latin-note\""));

    // The toggle speaks the user's language.
    let res = d
        .http
        .post(d.url("/settings/locale"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str()), ("locale", "kk"), ("back", "/queue")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let (_, html) = d.page(&b, &format!("/jobs/{}?script=latn", d.kk_job)).await;
    assert!(html.contains("Кириллицамен көрсету (өңдеу үшін)") && html.contains("Memleket basşysy"), "{html}");

    // Other languages have no Latin view, and other scripts do not exist: named, 400.
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.ru_job)).await;
    assert!(!html.contains("script-toggle"));
    let (s, html) = d.page(&b, &format!("/jobs/{}?script=latn", d.ru_job)).await;
    assert_eq!(s, 400);
    assert!(html.contains("the only other script is latn, for a job into Kazakh (this one is into ru)"), "{html}");
    let (s, _) = d.page(&b, &format!("/jobs/{}?script=cyrl", d.kk_job)).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn the_queue_marks_jobs_near_or_past_their_deadline_in_every_language() {
    let d = TestDesk::start().await;
    let today = chrono::Local::now().date_naive();
    let s = d.store.as_ref();
    s.plan_job(d.ru_job, 0, today.pred_opt(), "aigerim").await.unwrap();
    s.plan_job(d.kk_job, 0, today.succ_opt(), "aigerim").await.unwrap();
    s.plan_job(d.xss_job, 0, Some(today + chrono::Days::new(7)), "aigerim").await.unwrap();
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let row = |html: &str, job: i64| {
        let at = html.find(&format!("<td>{job}</td>")).unwrap();
        let start = html[..at].rfind("<tr").unwrap();
        html[start..at + html[at..].find("</tr>").unwrap()].to_string()
    };
    for (locale, soon, overdue) in
        [("en", "due soon", "overdue"), ("ru", "срок подходит", "просрочено"), ("kk", "мерзімі жақын", "мерзімі өтті")]
    {
        d.http
            .post(d.url("/settings/locale"))
            .header("cookie", &b.cookie)
            .form(&[("csrf", b.csrf.as_str()), ("locale", locale), ("back", "/queue")])
            .send()
            .await
            .unwrap();
        let (status, html) = d.page(&b, "/queue?sort=deadline").await;
        assert_eq!(status, 200);
        let late = row(&html, d.ru_job);
        assert!(late.contains("class=\"state-in_review due-overdue\""), "{late}");
        assert!(late.contains(&format!("<strong class=\"due due-overdue\">{overdue}</strong>")), "{locale}: {late}");
        let near = row(&html, d.kk_job);
        assert!(near.contains(&format!("<strong class=\"due due-soon\">{soon}</strong>")), "{locale}: {near}");
        let far = row(&html, d.xss_job);
        assert!(!far.contains("due-") && !far.contains("class=\"due"), "{locale}: {far}");
    }
    // An approved job is done: its deadline passed, it is not marked.
    let (status, _) = d
        .send_json(
            "aigerim",
            reqwest::Method::POST,
            &format!("/api/jobs/{}/approve", d.ru_job),
            serde_json::json!({ "override_reason": "checked" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, html) = d.page(&b, "/queue").await;
    assert!(!row(&html, d.ru_job).contains("due-"));
}
