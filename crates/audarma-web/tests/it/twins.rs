//! Two desks on one PostgreSQL, as two `audarma serve` processes behind a load balancer: whichever one
//! a request reaches, the desk behaves as one — a login, its CSRF token, the login rate limit and the
//! versions of segments are the same on both.

use crate::common::{TestDesk, PASSWORD};
use audarma_store_tests::{open, Backend};
use audarma_web::DeskConfig;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_on_one_database_behave_as_one() {
    let Some((store, db)) = open(Backend::Postgres).await else { return };
    let config = DeskConfig { login_attempts: 3, ..DeskConfig::default() };
    let other = db.open_again().await;
    let a = TestDesk::start_on(store, config, Arc::new(db)).await;
    let b = a.twin(other).await;

    // Logged in on one desk, logged in on the other; the CSRF token one page gave is good on the other.
    let browser = a.login("aigerim", PASSWORD).await.unwrap();
    let queue = b.http.get(b.url("/queue")).header("cookie", &browser.cookie).send().await.unwrap();
    assert_eq!(queue.status().as_u16(), 200, "the session made on one desk is not known to the other");
    let comment = b
        .http
        .post(b.url(&format!("/api/jobs/{}/comments", b.ru_job)))
        .header("cookie", &browser.cookie)
        .header("x-csrf-token", &browser.csrf)
        .json(&json!({ "body": "Проверьте термин." }))
        .send()
        .await
        .unwrap();
    assert!(comment.status().is_success(), "{}", comment.text().await.unwrap());
    // Logging out on the second ends the session on the first.
    let out = b
        .http
        .post(b.url("/logout"))
        .header("cookie", &browser.cookie)
        .form(&[("csrf", browser.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 303);
    let queue = a.http.get(a.url("/queue")).header("cookie", &browser.cookie).send().await.unwrap();
    assert_eq!(queue.status().as_u16(), 303, "logged out everywhere");

    // Failed logins count on both: three wrong passwords spread over the desks, and the fourth is refused
    // on either with 429, even with the right password.
    for d in [&a, &b, &a] {
        assert_eq!(d.login("daniyar", "not the password").await.err(), Some(401));
    }
    assert_eq!(b.login("daniyar", PASSWORD).await.err(), Some(429));
    assert_eq!(a.login("daniyar", PASSWORD).await.err(), Some(429));

    // An edit saved on one desk makes the version the other holds stale: 409, and the text stands.
    let path = format!("/api/jobs/{}/segments/1", a.ru_job);
    let good = "Глава государства принял Генерального секретаря ОБСЕ в Астане.";
    let (s, saved) = a.send_json("bolat", Method::PUT, &path, json!({ "text": good, "version": 1 })).await;
    assert_eq!((s, saved["version"].as_i64()), (200, Some(2)), "{saved}");
    let (s, e) = b.send_json("aigerim", Method::PUT, &path, json!({ "text": "Президент принял.", "version": 1 })).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "{e}");
    let (_, job) = b.get_json("bolat", &format!("/api/jobs/{}", b.ru_job)).await;
    assert_eq!(job["segments"][1]["current"], good);
}
