//! XLIFF on the desk: a job page offers the export, and a file uploaded from it (multipart, with the
//! session's CSRF token) is imported through the same operation as `audarma xliff import`.

use crate::common;

use common::{TestDesk, PASSWORD};

/// A `multipart/form-data` body of the given fields (the `file` one as a file part).
fn multipart(fields: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----audarma-test-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if *name == "file" {
            body.extend_from_slice(
                b"Content-Disposition: form-data; name=\"file\"; filename=\"job.xlf\"\r\nContent-Type: application/xliff+xml\r\n\r\n",
            );
        } else {
            body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The 1.2 file with the target of unit `sIDX` replaced.
fn set_target(xml: &str, idx: u32, text: &str) -> String {
    let unit = xml.find(&format!(" id=\"s{idx}\"")).unwrap();
    let open = unit + xml[unit..].find("<target").unwrap();
    let start = open + xml[open..].find('>').unwrap() + 1;
    let end = start + xml[start..].find("</target>").unwrap();
    format!("{}{text}{}", &xml[..start], &xml[end..])
}

#[tokio::test]
async fn a_translator_downloads_a_job_as_xliff_and_uploads_it_translated() {
    let d = TestDesk::start().await;
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let job = d.ru_job;
    let (_, html) = d.page(&b, &format!("/jobs/{job}")).await;
    assert!(html.contains(&format!("href=\"/jobs/{job}/xliff?version=1.2\"")), "the job page links the export");
    assert!(html.contains("enctype=\"multipart/form-data\""), "and offers the upload");

    let res =
        d.http.get(d.url(&format!("/jobs/{job}/xliff?version=1.2"))).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-disposition"], format!("attachment; filename=\"job-{job}.en-ru.xlf\""));
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with("<?xml") && xml.contains(&format!("original=\"audarma:job/{job}\"")), "{xml}");
    let bad =
        d.http.get(d.url(&format!("/jobs/{job}/xliff?version=3"))).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    let text = "Стороны обсудили вопросы региональной безопасности.";
    let edited = set_target(&xml, 2, text);
    let upload = |fields: Vec<(&'static str, Vec<u8>)>, path: String| {
        let f: Vec<(&str, &[u8])> = fields.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let (ct, body) = multipart(&f);
        d.http.post(d.url(&path)).header("cookie", &b.cookie).header("content-type", ct).body(body).send()
    };
    let path = format!("/jobs/{job}/xliff");
    // Without the session's token nothing is imported.
    let res =
        upload(vec![("csrf", b"forged".to_vec()), ("file", edited.clone().into_bytes())], path.clone()).await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // Another job's file, posted on this job's page, is refused whole.
    let other = d
        .http
        .get(d.url(&format!("/jobs/{}/xliff?version=1.2", d.kk_job)))
        .header("cookie", &b.cookie)
        .send()
        .await
        .unwrap();
    let other = set_target(&other.text().await.unwrap(), 2, "Тараптар аймақтық қауіпсіздікті талқылады.");
    let res =
        upload(vec![("csrf", b.csrf.clone().into_bytes()), ("file", other.into_bytes())], path.clone()).await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains(&format!("the file is for job {}, not job {job}", d.kk_job)));
    let seg = audarma_store::Store::job_segment(d.store.as_ref(), job, 2).await.unwrap().1;
    assert!(seg.edited.is_none(), "nothing was written");
    // Someone who may not edit cannot import, whatever the file.
    let g = d.login("saule", PASSWORD).await.unwrap();
    let (ct, body) = multipart(&[("csrf", g.csrf.as_bytes()), ("file", edited.as_bytes())]);
    let res = d
        .http
        .post(d.url(&path))
        .header("cookie", &g.cookie)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);

    let res = upload(vec![("csrf", b.csrf.clone().into_bytes()), ("file", edited.clone().into_bytes())], path.clone())
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("1 segment edited") && page.contains("0 conflicts"), "{page}");
    let seg = audarma_store::Store::job_segment(d.store.as_ref(), job, 2).await.unwrap().1;
    assert_eq!(seg.edited.as_deref(), Some(text));
    let events = audarma_store::Store::events(d.store.as_ref(), Some(job)).await.unwrap();
    let edit = events.iter().rfind(|e| e.kind == "edit").unwrap();
    assert_eq!((edit.actor.as_str(), edit.after.as_deref()), ("daniyar", Some(text)), "logged with the user");

    // The reviewer changes the segment; the old file, changed again, is a conflict and overwrites nothing.
    audarma_store::Store::edit_segment(
        d.store.as_ref(),
        job,
        2,
        "Стороны обсудили безопасность.",
        &[],
        None,
        "aigerim",
    )
    .await
    .unwrap();
    let again = set_target(&xml, 2, "Стороны подробно обсудили безопасность региона.");
    let res =
        upload(vec![("csrf", b.csrf.clone().into_bytes()), ("file", again.into_bytes())], path.clone()).await.unwrap();
    let status = res.status().as_u16();
    let page = res.text().await.unwrap();
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("1 conflict"), "{page}");
    let seg = audarma_store::Store::job_segment(d.store.as_ref(), job, 2).await.unwrap().1;
    assert_eq!(seg.edited.as_deref(), Some("Стороны обсудили безопасность."));
}
