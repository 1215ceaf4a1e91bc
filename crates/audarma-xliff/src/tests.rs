#![allow(clippy::unwrap_used)]

use super::*;
use audarma_core::{Check, Finding, SuggestionOrigin, TermResult};
use audarma_store::{JobSummary, TargetSegment};

fn segment(idx: u32, source: &str, suggestion: &str, edited: Option<&str>, version: i64) -> TargetSegment {
    TargetSegment {
        idx,
        paragraph: Some(idx),
        source: source.into(),
        source_lang: None,
        suggestion: Some(suggestion.into()),
        origin: SuggestionOrigin::Pseudo,
        backend: Some("pseudo".into()),
        edited: edited.map(str::to_string),
        version,
        terms: Vec::new(),
        findings: Vec::new(),
        tm: None,
        dismissals: Vec::new(),
    }
}

fn job(state: JobState) -> JobDetail {
    let mut first = segment(0, "Глава государства принял посла Японии", "⟦kk⟧ Мемлекет басшысы", None, 1);
    first.terms.push(TermResult {
        id: "head-of-state".into(),
        source: "Глава государства".into(),
        target: "Мемлекет басшысы".into(),
        dnt: false,
        status: None,
        found: None,
    });
    first.findings.push(Finding::new(Check::Numbers, Severity::Error, "the number 12 < 13 & \"so\" is missing".into()));
    first.tm = Some(vec![TmMatch {
        source: "Глава государства принял посла Кореи".into(),
        target: "Мемлекет басшысы Корея елшісін қабылдады".into(),
        score: 81,
    }]);
    let second = segment(1, "Стороны обсудили торговлю.", "⟦kk⟧ Тараптар", Some("Тараптар сауданы талқылады."), 3);
    JobDetail {
        summary: JobSummary {
            id: 12,
            release_id: 4,
            title: "Глава государства принял посла Японии".into(),
            release_date: None,
            source_lang: Lang::Ru,
            target_lang: Lang::Kk,
            state,
            workflow: "demo".into(),
            segments: 2,
            edited: 1,
            error: None,
            updated_at: chrono::Utc::now(),
            assignee: None,
            priority: 0,
            deadline: None,
        },
        release_source: "x.txt".into(),
        release_place: None,
        segments: vec![first, second],
    }
}

fn comment(segment: Option<u32>, body: &str) -> Comment {
    Comment { id: 1, job_id: 12, segment, author: "aigerim".into(), body: body.into(), at: chrono::Utc::now() }
}

const ALL: [XliffVersion; 3] = [XliffVersion::V12, XliffVersion::V20, XliffVersion::V21];

fn bytes(d: &JobDetail, version: XliffVersion, copy_source: bool) -> String {
    let doc = Document::from_job(d, &[comment(Some(1), "check the verb")]);
    String::from_utf8(write(&doc, &Options { version, copy_source })).unwrap()
}

#[test]
fn states_follow_the_job_and_the_edit() {
    let d = job(JobState::InReview);
    let doc = Document::from_job(&d, &[]);
    assert_eq!(doc.units[0].state, UnitState::Initial);
    assert_eq!(doc.units[1].state, UnitState::Translated);
    assert_eq!(doc.units[1].target.as_deref(), Some("Тараптар сауданы талқылады."));
    let doc = Document::from_job(&job(JobState::Approved), &[]);
    assert!(doc.units.iter().all(|u| u.state == UnitState::Final));
    let x = bytes(&job(JobState::Approved), XliffVersion::V12, false);
    assert_eq!(x.matches("approved=\"yes\"").count(), 2, "{x}");
    assert_eq!(x.matches("state=\"final\"").count(), 2, "{x}");
}

#[test]
fn every_version_reads_back_what_was_written() {
    let d = job(JobState::InReview);
    for v in ALL {
        let x = bytes(&d, v, false);
        let r = read(x.as_bytes()).unwrap_or_else(|e| panic!("{v}: {e}\n{x}"));
        assert_eq!((r.version, r.job, r.source_lang, r.target_lang), (v, 12, Lang::Ru, Lang::Kk));
        assert_eq!(r.units.len(), 2);
        assert_eq!(r.units[0].source, Content::Text("Глава государства принял посла Японии".into()));
        assert_eq!(
            r.units[0].target,
            Some(Content::Text("⟦kk⟧ Мемлекет басшысы".into())),
            "{v}: matches are not the target"
        );
        assert_eq!(r.units[1].version, 3);
        assert_eq!(r.units[1].base, base_of(Some("Тараптар сауданы талқылады.")));
        assert_eq!(r.units[1].state.as_deref(), Some("translated"));
        assert_eq!(
            r.units[0].state.as_deref(),
            Some(if v == XliffVersion::V12 { "needs-translation" } else { "initial" })
        );
        // The escaped finding survives as text, and nothing changed: the plan is empty.
        assert!(x.contains("12 &lt; 13 &amp; \"so\""), "{x}");
        let p = plan(&r, &d, None).unwrap();
        assert_eq!((p.edits.len(), p.unchanged.len()), (0, 2), "{p:?}");
    }
}

#[test]
fn a_changed_target_is_an_edit_and_a_moved_segment_a_conflict() {
    let d = job(JobState::InReview);
    for v in ALL {
        let x = bytes(&d, v, false)
            .replace(">⟦kk⟧ Мемлекет басшысы<", ">Мемлекет басшысы Жапония елшісін қабылдады<")
            .replace(">Тараптар сауданы талқылады.<", ">Тараптар сауда туралы сөйлесті.<");
        let r = read(x.as_bytes()).unwrap();
        let mut moved = d.clone();
        moved.segments[1].version = 4;
        moved.segments[1].edited = Some("Тараптар сауданы кеңінен талқылады.".into());
        let p = plan(&r, &moved, None).unwrap();
        assert_eq!(
            p.edits,
            vec![PlannedEdit {
                segment: 0,
                text: "Мемлекет басшысы Жапония елшісін қабылдады".into(),
                expected_version: 1
            }]
        );
        assert_eq!(p.conflicts, vec![Conflict { segment: 1, exported_version: 3, current_version: 4 }]);
        // The same file against the unmoved job: both edits.
        assert_eq!(plan(&r, &d, None).unwrap().edits.len(), 2);
    }
}

#[test]
fn another_job_language_or_source_is_refused() {
    let d = job(JobState::InReview);
    for v in ALL {
        let x = bytes(&d, v, false);
        let other = read(x.replace("audarma:job/12", "audarma:job/13").as_bytes()).unwrap();
        assert!(matches!(plan(&other, &d, None), Err(Refusal::WrongJob { file: 13, job: 12 })));
        let r = read(x.as_bytes()).unwrap();
        assert!(matches!(plan(&r, &d, Some(11)), Err(Refusal::WrongJob { file: 12, job: 11 })));
        let lang = if v == XliffVersion::V12 {
            ("target-language=\"kk\"", "target-language=\"en\"")
        } else {
            ("trgLang=\"kk\"", "trgLang=\"en\"")
        };
        let r = read(x.replace(lang.0, lang.1).as_bytes()).unwrap();
        let e = plan(&r, &d, None).unwrap_err();
        assert_eq!(e.to_string(), "the file is ru→en, but job 12 is ru→kk");
        let r = read(x.replace(">Стороны обсудили торговлю.<", ">Стороны обсудили туризм.<").as_bytes()).unwrap();
        let e = plan(&r, &d, None).unwrap_err();
        assert!(matches!(e, Refusal::SourceModified { segment: 1, .. }), "{e}");
        assert!(e.to_string().contains("modified source"), "{e}");
    }
}

#[test]
fn markup_and_emptied_targets_are_refused_not_dropped() {
    let d = job(JobState::InReview);
    for v in ALL {
        let x = bytes(&d, v, false);
        let tag =
            if v == XliffVersion::V12 { "<g id=\"1\">сауданы</g>" } else { "<pc id=\"1\">сауданы</pc>" };
        let x = x.replace(">Тараптар сауданы талқылады.<", &format!(">Тараптар {tag} кеңінен талқылады.<"));
        let x = x.replace(">⟦kk⟧ Мемлекет басшысы<", "><");
        let r = read(x.as_bytes()).unwrap();
        assert_eq!(
            r.units[1].target,
            Some(Content::Markup {
                text: "Тараптар сауданы кеңінен талқылады.".into(),
                element: tag[1..3].trim().into()
            })
        );
        let p = plan(&r, &d, None).unwrap();
        assert!(p.edits.is_empty(), "{p:?}");
        assert_eq!(p.refused.len(), 2, "{p:?}");
        assert!(p.refused[0].reason.contains("emptied"), "{p:?}");
        assert!(p.refused[1].reason.contains("markup"), "{p:?}");
    }
}

#[test]
fn an_approved_job_takes_no_edits() {
    let d = job(JobState::Approved);
    let x = bytes(&d, XliffVersion::V20, false)
        .replace(">Тараптар сауданы талқылады.<", ">Тараптар сауда жайын талқылады.<");
    let e = plan(&read(x.as_bytes()).unwrap(), &d, None).unwrap_err();
    assert_eq!(e.to_string(), "job 12 is approved: edits need a job in in_review");
}

#[test]
fn copies_of_the_source_read_back_as_unchanged() {
    let d = job(JobState::InReview);
    for v in ALL {
        let x = bytes(&d, v, true);
        assert!(x.contains("audarma-current"), "{x}");
        let r = read(x.as_bytes()).unwrap();
        assert_eq!(r.units[0].target, Some(Content::Text("Глава государства принял посла Японии".into())));
        let p = plan(&r, &d, None).unwrap();
        assert_eq!(p.unchanged, vec![0, 1], "{p:?}");
        let x = x.replacen(">Стороны обсудили торговлю.</target>", ">Тараптар сауда мәселесін талқылады.</target>", 1);
        let p = plan(&read(x.as_bytes()).unwrap(), &d, None).unwrap();
        assert_eq!(p.edits.len(), 1, "{v}: {p:?}\n{x}");
    }
}

#[test]
fn bad_files_name_the_line() {
    let e = read(b"<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"/>").unwrap_err();
    assert_eq!(e.to_string(), "line 2: not an XLIFF file: the root element is <tmx>");
    let x = bytes(&job(JobState::InReview), XliffVersion::V20, false);
    let e = read(x.replace("aud:version=\"3\"", "").as_bytes()).unwrap_err();
    assert!(e.to_string().contains("unit s1 has no audarma version"), "{e}");
    assert!(e.line > 3, "{e}");
    let e = read(x.replace("</file>", "").as_bytes()).unwrap_err();
    assert!(e.to_string().contains("not well-formed"), "{e}");
    let e = read(x.replace("audarma:job/12", "other.docx").as_bytes()).unwrap_err();
    assert!(e.to_string().contains("not an audarma job"), "{e}");
    let e = read(b"<!DOCTYPE x [<!ENTITY a \"b\">]><xliff/>").unwrap_err();
    assert!(e.to_string().contains("DOCTYPE"), "{e}");
}

#[test]
fn notes_carry_findings_comments_terms_and_matches() {
    let d = job(JobState::InReview);
    let x = bytes(&d, XliffVersion::V12, false);
    assert!(x.contains("<note from=\"audarma-qa\" priority=\"1\" annotates=\"target\">error numbers:"), "{x}");
    assert!(x.contains("<note from=\"aigerim\" priority=\"2\" annotates=\"general\">check the verb"), "{x}");
    assert!(x.contains("term head-of-state: Глава государства → Мемлекет басшысы"), "{x}");
    assert!(x.contains("<alt-trans origin=\"audarma-tm\" match-quality=\"81%\">"), "{x}");
    let x = bytes(&d, XliffVersion::V21, false);
    assert!(x.contains("<mtc:match ref=\"#1\" matchQuality=\"81\" origin=\"audarma-tm\" type=\"tm\">"), "{x}");
    assert!(x.contains("<gls:translation>Мемлекет басшысы</gls:translation>"), "{x}");
    assert!(x.contains("version=\"2.1\""), "{x}");
}
