//! XLIFF out and back in, through the real binary, and read by real readers: xmllint against the XLIFF
//! 1.2 strict and 2.0/2.1 core schemas (with the glossary and matches modules, through a wrapper
//! schema), translate-toolkit's XLIFF 1.2 and 2.0 stores, and OmegaT translating an exported file
//! from a TMX and its target file imported back.
//!
//! Each reader test prints `SKIPPED: …` and passes when its tool is missing, unless
//! `AUDARMA_REQUIRE_XMLLINT`, `AUDARMA_REQUIRE_TRANSLATE_TOOLKIT` or `AUDARMA_REQUIRE_OMEGAT` is `1`
//! (`.ci/run` sets them where the tools are installed): then a missing tool fails the test.
//! The schemas are the shared ones (`../shared/schemas/catalog` from the repository, or
//! `$AUDARMA_SHARED/schemas/catalog`).

use crate::e2e::{root, Audarma};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const RELEASE: &str = "examples/releases/en-2026-03-12-state-visit-to-seoul.txt";

/// A database with one English release translated into Kazakh by the pseudo backend; returns the job id.
pub(crate) fn translated() -> (Audarma, String) {
    let a = Audarma::new();
    let wf = a.dir().join("one.toml");
    std::fs::write(
        &wf,
        format!(
            "name = \"one\"\n[sources]\npaths = [{:?}]\n[languages]\ntargets = [\"kk\"]\n[glossary]\npaths = [{:?}]\n[backend]\nkind = \"pseudo\"\n",
            root().join(RELEASE),
            root().join("glossaries")
        ),
    )
    .unwrap();
    a.ok(&["run", wf.to_str().unwrap()]);
    let jobs = a.json(&["queue", "--state", "in_review"]);
    let jobs = jobs["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    (a, jobs[0]["id"].to_string())
}

fn export(a: &Audarma, job: &str, version: &str, extra: &[&str]) -> PathBuf {
    static EXPORTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = EXPORTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = a.dir().join(format!("out-{n}"));
    let mut args = vec!["xliff", "export", job, "--out", out.to_str().unwrap(), "--version", version];
    args.extend_from_slice(extra);
    let written = a.json(&args);
    let files = written["written"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{written}");
    PathBuf::from(files[0].as_str().unwrap())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The file with the target of unit `sIDX` (the unit's own, not a match's) replaced by `text`.
fn set_target(xml: &str, idx: u32, text: &str) -> String {
    let unit = xml.find(&format!(" id=\"s{idx}\"")).unwrap_or_else(|| panic!("no unit s{idx}"));
    let from = if xml.contains("urn:oasis:names:tc:xliff:document:2.0") {
        unit + xml[unit..].find("<segment").unwrap()
    } else {
        unit
    };
    let open = from + xml[from..].find("<target").unwrap();
    let start = open + xml[open..].find('>').unwrap() + 1;
    let end = start + xml[start..].find("</target>").unwrap();
    format!("{}{}{}", &xml[..start], xml_escape(text), &xml[end..])
}

fn segments(a: &Audarma, job: &str) -> Vec<Value> {
    a.json(&["show", job])["segments"].as_array().unwrap().clone()
}

fn current(seg: &Value) -> String {
    seg["edited"].as_str().or(seg["suggestion"].as_str()).unwrap().to_string()
}

fn edits(a: &Audarma, job: &str) -> Vec<Value> {
    a.json(&["history", job])["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "edit").cloned().collect()
}

#[test]
fn export_edit_import_logs_edits_and_refuses_conflicts() {
    for version in ["1.2", "2.0", "2.1"] {
        let (a, job) = translated();
        let file = export(&a, &job, version, &[]);
        let xml = std::fs::read_to_string(&file).unwrap();
        let segs = segments(&a, &job);
        // A translator changes three targets in a CAT tool; meanwhile segment 2 is edited in audarma.
        let xml =
            set_target(&xml, 0, "Мемлекет басшысы Сеулде Корея Республикасының Президентімен келіссөздер жүргізді");
        let xml = set_target(&xml, 1, "  Тараптар   екіжақты ынтымақтастықты талқылады.  ");
        let xml = set_target(&xml, 2, "Сауда көлемі артты.");
        std::fs::write(&file, xml).unwrap();
        a.ok(&["edit", &job, "2", "Екі ел арасындағы сауда өсті.", "--version", "1", "--as", "aigerim"]);

        let out = a.run(&["xliff", "import", file.to_str().unwrap(), "--as", "dana", "--json"]);
        assert_eq!(out.status.code(), Some(2), "a conflict makes the import fail: {out:?}");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = &report["files"][0];
        assert_eq!(f["edited"].as_array().unwrap().len(), 2, "{version}: {report}");
        assert_eq!(f["edited"][0][0], 0);
        assert_eq!(f["conflicts"][0]["segment"], 2, "{report}");
        assert_eq!(f["conflicts"][0]["exported_version"], 1);
        assert_eq!(f["conflicts"][0]["current_version"], 2);
        assert_eq!(f["unchanged"].as_u64().unwrap() as usize, segs.len() - 3);

        let now = segments(&a, &job);
        assert_eq!(
            current(&now[0]),
            "Мемлекет басшысы Сеулде Корея Республикасының Президентімен келіссөздер жүргізді"
        );
        assert_eq!(
            current(&now[1]),
            "Тараптар екіжақты ынтымақтастықты талқылады.",
            "spaces as XML tools reflow them are collapsed"
        );
        assert_eq!(current(&now[2]), "Екі ел арасындағы сауда өсті.", "the conflict overwrote nothing");
        assert_eq!(current(&now[3]), current(&segs[3]));
        // Each edit is logged with who made it, before and after, and was checked (findings stored).
        let log = edits(&a, &job);
        let by_dana: Vec<&Value> = log.iter().filter(|e| e["actor"] == "dana").collect();
        assert_eq!(by_dana.len(), 2, "{log:?}");
        assert_eq!(by_dana[0]["before"].as_str(), segs[0]["suggestion"].as_str());
        assert!(now[0]["version"].as_i64().unwrap() == 2);

        // The same file again: nothing changes (what it holds is now audarma's text), still the conflict.
        let again = a.run(&["xliff", "import", file.to_str().unwrap(), "--as", "dana"]);
        let text = String::from_utf8_lossy(&again.stdout);
        assert!(text.contains("0 edited") && text.contains("1 conflict(s)"), "{text}");
        assert!(text.contains("conflict: segment 2 changed in audarma since the export"), "{text}");
        assert_eq!(edits(&a, &job).len(), 3);
    }
}

#[test]
fn files_for_another_job_language_or_source_are_refused_whole() {
    let (a, job) = translated();
    for version in ["1.2", "2.0"] {
        let file = export(&a, &job, version, &[]);
        let xml = set_target(&std::fs::read_to_string(&file).unwrap(), 0, "Жаңа тақырып");
        let before = edits(&a, &job).len();
        let lang = if version == "1.2" { "target-language=\"kk\"" } else { "trgLang=\"kk\"" };
        let cases = [
            ("job", xml.replace(&format!("audarma:job/{job}\""), "audarma:job/999\""), "job 999, which does not exist"),
            ("lang", xml.replace(lang, &lang.replace("kk", "ru")), "the file is en→ru, but job"),
            (
                "source",
                xml.replacen(">Head of State holds talks", ">The Head of State holds talks", 1),
                "(modified source; export the job again)",
            ),
            ("broken", xml.replace("</file>", ""), "not well-formed XML"),
        ];
        for (name, bad, why) in cases {
            let path = a.dir().join(format!("bad-{name}.xlf"));
            std::fs::write(&path, bad).unwrap();
            let out = a.run(&["xliff", "import", path.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(2), "{name}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("refused: ") && text.contains(why), "{version} {name}: {text}");
            assert_eq!(edits(&a, &job).len(), before, "{name}: a refused file wrote nothing");
        }
        // The desk's check: a file imported for a named job must be that job's.
        let path = a.dir().join("ok.xlf");
        std::fs::write(&path, &xml).unwrap();
        let out = a.run(&["xliff", "import", path.to_str().unwrap(), "--job", "7"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("the file is for job {job}, not job 7")));
        assert_eq!(edits(&a, &job).len(), before);
    }
}

#[test]
fn jobs_are_selected_by_state_and_language_and_files_are_imported_one_by_one() {
    let (a, job) = translated();
    let out = a.dir().join("by-state");
    let kk = a.json(&["xliff", "export", "--state", "in_review", "--lang", "kk", "--out", out.to_str().unwrap()]);
    assert_eq!(kk["written"].as_array().unwrap().len(), 1, "{kk}");
    let en = a.json(&["xliff", "export", "--state", "in_review", "--lang", "en", "--out", out.to_str().unwrap()]);
    assert_eq!(en["written"].as_array().unwrap().len(), 0, "{en}");
    assert_eq!(a.run(&["xliff", "export", "--out", out.to_str().unwrap()]).status.code(), Some(2), "jobs or --state");
    let unknown = a.run(&["xliff", "export", &job, "--out", out.to_str().unwrap(), "--version", "3.0"]);
    assert_eq!(unknown.status.code(), Some(2));

    // Two files: one good, one refused. The good one is imported; the command fails for the other.
    let good = PathBuf::from(kk["written"][0].as_str().unwrap());
    std::fs::write(&good, set_target(&std::fs::read_to_string(&good).unwrap(), 0, "Сеулдегі келіссөздер")).unwrap();
    let bad = a.dir().join("bad.xlf");
    std::fs::write(&bad, "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"/>\n").unwrap();
    let res = a.run(&["xliff", "import", bad.to_str().unwrap(), good.to_str().unwrap(), "--json"]);
    assert_eq!(res.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(report["files"][0]["refused"], "line 2: not an XLIFF file: the root element is <tmx>", "{report}");
    assert_eq!(report["files"][1]["edited"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(current(&segments(&a, &job)[0]), "Сеулдегі келіссөздер");
}

#[test]
fn markup_in_a_target_is_refused_and_the_rest_imported() {
    let (a, job) = translated();
    let file = export(&a, &job, "1.2", &[]);
    let xml = std::fs::read_to_string(&file).unwrap();
    let xml = set_target(&xml, 0, "Мемлекет басшысы келіссөздер жүргізді");
    let xml = set_target(&xml, 1, "MARK");
    let xml = xml.replace(">MARK<", ">Тараптар <g id=\"1\">ынтымақтастықты</g> талқылады.<");
    std::fs::write(&file, xml).unwrap();
    let out = a.run(&["xliff", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 edited") && text.contains("1 refused"), "{text}");
    assert!(text.contains("unit s1: the target holds markup (<g>)"), "{text}");
    let now = segments(&a, &job);
    assert_eq!(current(&now[0]), "Мемлекет басшысы келіссөздер жүргізді");
    assert!(now[1]["edited"].is_null(), "{}", now[1]);
}

// ---------------------------------------------------------------------------------------------
// Real readers.

/// Whether a reader test may run: `false` (after printing why) when the tool is missing and not
/// required; a panic when it is required.
pub(crate) fn available(tool: &str, present: bool, var: &str, install: &str) -> bool {
    if present {
        return true;
    }
    let msg = format!("SKIPPED: {tool} is missing ({install})");
    if std::env::var(var).is_ok_and(|v| v == "1") {
        panic!("{msg}, and {var}=1");
    }
    eprintln!("{msg}");
    false
}

/// Whether xmllint may be run: see [`available`].
pub(crate) fn has_xmllint() -> bool {
    available("xmllint", runs("xmllint", &["--version"]), "AUDARMA_REQUIRE_XMLLINT", "apt-get install libxml2-utils")
}

pub(crate) fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success())
}

pub(crate) fn catalog() -> PathBuf {
    // Beside the repository, as on the machines the project is built on; else where they keep it.
    let shared = std::env::var_os("AUDARMA_SHARED").map(PathBuf::from).unwrap_or_else(|| {
        let beside = root().join("../shared");
        if beside.exists() {
            beside
        } else {
            PathBuf::from("/work/shared")
        }
    });
    let c = shared.join("schemas/catalog");
    assert!(c.join("catalog.xml").exists(), "no XML catalog at {} (set AUDARMA_SHARED)", c.display());
    c.canonicalize().unwrap()
}

/// xmllint's verdict on `file` against `schema`, with the shared catalog.
fn xmllint(schema: &Path, file: &Path) -> (bool, String) {
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", catalog().join("catalog.xml"))
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema)
        .arg(file)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A schema that imports the XLIFF 2 core of `dir` and its glossary and matches modules, so that
/// module elements are validated, not skipped as the core's lax wildcards would.
fn wrapper(dir: &Path, version: &str) -> PathBuf {
    let c = catalog();
    let (core, modules) = if version == "2.0" {
        (c.join("xliff2.0/xliff_core_2.0.xsd"), c.join("xliff2.0/modules"))
    } else {
        (c.join("xliff2.1/xliff_core_2.0.xsd"), c.join("xliff2.1"))
    };
    let xsd = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0" schemaLocation="file://{}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:glossary:2.0" schemaLocation="file://{}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:matches:2.0" schemaLocation="file://{}"/>
</xs:schema>
"#,
        core.display(),
        modules.join("glossary.xsd").display(),
        modules.join("matches.xsd").display()
    );
    let path = dir.join(format!("wrap-{version}.xsd"));
    std::fs::write(&path, xsd).unwrap();
    path
}

/// A job with every state a job in review has: segment 1 edited by a person (translated), the rest
/// the machine's (initial), and a comment on segment 2.
fn job_with_every_state() -> (Audarma, String) {
    let (a, job) = translated();
    a.ok(&["edit", &job, "1", "Тараптар екіжақты ынтымақтастықты талқылады.", "--version", "1", "--as", "dana"]);
    add_comment(&a, &job, 2, "check the number of visits");
    (a, job)
}

/// Comments are made on the desk; here straight through the store.
fn add_comment(a: &Audarma, job: &str, segment: u32, body: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = audarma_store_sqlite::SqliteStore::open(&a.db).await.unwrap();
        audarma_store::Store::add_comment(&store, job.parse().unwrap(), Some(segment), body, "aigerim").await.unwrap();
    });
}

#[test]
fn xmllint_validates_every_version_against_the_schemas() {
    if !has_xmllint() {
        return;
    }
    let (a, job) = job_with_every_state();
    let strict = catalog().join("xliff/xliff-core-1.2-strict.xsd");
    let mut files = Vec::new();
    for (version, extra) in
        [("1.2", &[][..]), ("1.2", &["--copy-source"][..]), ("2.0", &[][..]), ("2.1", &["--copy-source"][..])]
    {
        files.push((version, export(&a, &job, version, extra)));
    }
    a.ok(&["approve", &job, "--override", "pseudo-translation test"]);
    for version in ["1.2", "2.0", "2.1"] {
        let out = a.dir().join(format!("approved-{version}"));
        let w = a.json(&["xliff", "export", &job, "--out", out.to_str().unwrap(), "--version", version]);
        files.push((version, PathBuf::from(w["written"][0].as_str().unwrap())));
    }
    for (version, file) in &files {
        let schema = if *version == "1.2" { strict.clone() } else { wrapper(a.dir(), version) };
        let (ok, msg) = xmllint(&schema, file);
        assert!(ok, "XLIFF {version} {}: {msg}", file.display());
    }
    let approved = std::fs::read_to_string(&files.last().unwrap().1).unwrap();
    assert!(approved.contains("state=\"final\""), "{approved}");
    // The wrapper validates the modules: a glossary entry without its term fails, and so does a state
    // XLIFF 2 does not have.
    let good = std::fs::read_to_string(&files[2].1).unwrap();
    let start = good.find("<gls:term ").unwrap();
    let end = good[start..].find("</gls:term>").unwrap() + start + "</gls:term>".len();
    for (name, bad) in [
        ("no-term", format!("{}{}", &good[..start], &good[end..])),
        ("state", good.replacen("state=\"initial\"", "state=\"approved\"", 1)),
    ] {
        let path = a.dir().join(format!("invalid-{name}.xlf"));
        std::fs::write(&path, bad).unwrap();
        let (ok, msg) = xmllint(&wrapper(a.dir(), "2.0"), &path);
        assert!(!ok, "{name}: xmllint accepted an invalid file: {msg}");
    }
}

/// translate-toolkit's reading of a file: per unit its id, target, fuzzy, translated, approved and
/// notes (1.2: `getnotes`; 2.x: the unit's `<notes>`, which its `getnotes` does not read).
const TT_READ: &str = r#"
import json, sys
from translate.storage import factory, xliff2
path, version = sys.argv[1], sys.argv[2]
if version == "1.2":
    store = factory.getobject(path)
else:
    store = xliff2.Xliff2File.parsefile(path)
units = []
for u in store.units:
    if version == "1.2":
        notes = u.getnotes()
    else:
        ns = "{urn:oasis:names:tc:xliff:document:2.0}"
        box = u.getunitelement().find(ns + "notes")
        notes = "\n".join(n.text for n in box.iterfind(ns + "note")) if box is not None else ""
    units.append({"id": u.getid(), "source": u.source, "target": u.target, "fuzzy": u.isfuzzy(),
                  "translated": u.istranslated(), "approved": bool(u.isapproved()), "notes": notes})
print(json.dumps(units))
"#;

fn tt_read(file: &Path, version: &str) -> Vec<Value> {
    let out = Command::new("python3").args(["-c", TT_READ]).arg(file).arg(version).output().unwrap();
    assert!(out.status.success(), "translate-toolkit: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

/// One unit as translate-toolkit read it against the segment as audarma shows it.
fn tt_unit(version: &str, job: &str, u: &Value, s: &Value, approved_job: bool) {
    let idx = s["idx"].as_u64().unwrap();
    let id = if version == "1.2" { format!("audarma:job/{job}\u{4}s{idx}") } else { format!("s{idx}::1") };
    assert_eq!(u["id"], id.as_str());
    assert_eq!(u["source"], s["source"], "{version}");
    assert_eq!(u["target"].as_str().unwrap(), current(s), "{version} s{idx}");
    let edited = !s["edited"].is_null();
    // Ours → theirs: the machine's text (initial / needs-translation) is fuzzy; a person's text in a
    // job in review is translated in 2.x, and in 1.2 fuzzy (the toolkit counts only approved="yes" as
    // done); an approved job's segments (final, approved="yes") are approved.
    let (fuzzy, translated, approved) = match (version, approved_job, edited) {
        (_, true, _) => (false, true, true),
        ("1.2", false, _) => (true, false, false),
        (_, false, true) => (false, true, false),
        (_, false, false) => (true, false, false),
    };
    assert_eq!(
        (u["fuzzy"].as_bool(), u["translated"].as_bool(), u["approved"].as_bool()),
        (Some(fuzzy), Some(translated), Some(approved)),
        "{version} s{idx} (edited: {edited}, approved job: {approved_job}): {u}"
    );
    // Notes: every finding not dismissed, the glossary terms (1.2), the comment on its segment.
    let notes = u["notes"].as_str().unwrap();
    let has = |line: &str| assert!(notes.lines().any(|l| l == line), "{version} s{idx}: {line:?} not in {notes:?}");
    for f in s["findings"].as_array().unwrap() {
        has(&format!(
            "{} {}: {}",
            f["severity"].as_str().unwrap(),
            f["check"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        ));
    }
    if version == "1.2" {
        for t in s["terms"].as_array().unwrap() {
            has(&format!(
                "term {}: {} → {}",
                t["id"].as_str().unwrap(),
                t["source"].as_str().unwrap(),
                t["target"].as_str().unwrap()
            ));
        }
    }
    if idx == 2 {
        has("check the number of visits");
    }
}

#[test]
fn translate_toolkit_reads_our_states_targets_and_notes() {
    let present = runs("python3", &["-c", "import translate.storage.xliff2"]);
    if !available(
        "translate-toolkit",
        present,
        "AUDARMA_REQUIRE_TRANSLATE_TOOLKIT",
        "pip install 'translate-toolkit>=3.20'",
    ) {
        return;
    }
    let (a, job) = job_with_every_state();
    for approved_job in [false, true] {
        if approved_job {
            a.ok(&["approve", &job, "--override", "pseudo-translation test"]);
        }
        let segs = segments(&a, &job);
        for version in ["1.2", "2.0", "2.1"] {
            let file = export(&a, &job, version, &[]);
            let units = tt_read(&file, version);
            assert_eq!(units.len(), segs.len(), "{version}");
            for (u, s) in units.iter().zip(&segs) {
                tt_unit(version, &job, u, s, approved_job);
            }
            // pocount, the toolkit's counter, shows the same mapping.
            if version == "1.2" {
                let out = Command::new("pocount").args(["--short-strings", "--no-color"]).arg(&file).output().unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                let n = segs.len();
                let want = if approved_job {
                    format!("total: {n}\t| {n}t\t0f\t0u")
                } else {
                    format!("total: {n}\t| 0t\t{n}f\t0u")
                };
                assert!(text.contains(&want), "{text}");
            }
        }
    }
}

pub(crate) const OMEGAT_JAR: &str = "/usr/share/omegat/OmegaT.jar";

/// An OmegaT project (`omegat.project` and its folders) for an en→kk job, sentence segmentation off
/// (one segment per unit, as exported).
pub(crate) fn omegat_project(dir: &Path) {
    for d in ["source", "target", "tm/auto", "glossary", "omegat", "dictionary"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(
        dir.join("omegat.project"),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes><mask>**/.svn/**</mask></source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>en</source_lang>
    <target_lang>kk</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"#,
    )
    .unwrap();
}

/// Runs OmegaT's console translation of a project (a scratch `HOME` in the test's directory) and
/// expects it to succeed.
pub(crate) fn omegat_translate(a: &Audarma, proj: &Path) {
    let home = a.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new("java")
        .env("HOME", &home)
        .args(["-Djava.awt.headless=true", "-jar", OMEGAT_JAR])
        .arg(proj)
        .arg("--mode=console-translate")
        .output()
        .unwrap();
    assert!(out.status.success(), "OmegaT: {}", String::from_utf8_lossy(&out.stderr));
}

/// A TMX 1.4 of (English source, Kazakh target) pairs.
fn tmx(pairs: &[(&str, &str)]) -> String {
    let mut t = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"audarma-test\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"audarma\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n  <body>\n",
    );
    for (s, k) in pairs {
        t.push_str(&format!(
            "    <tu><tuv xml:lang=\"en\"><seg>{}</seg></tuv><tuv xml:lang=\"kk\"><seg>{}</seg></tuv></tu>\n",
            xml_escape(s),
            xml_escape(k)
        ));
    }
    t.push_str("  </body>\n</tmx>\n");
    t
}

#[test]
fn omegat_translates_an_export_from_a_tmx_and_its_target_file_imports_back() {
    let present = Path::new(OMEGAT_JAR).exists() && runs("java", &["-version"]);
    if !available("OmegaT", present, "AUDARMA_REQUIRE_OMEGAT", "apt-get install omegat") {
        return;
    }
    let (a, job) = translated();
    let segs = segments(&a, &job);
    // OmegaT's XLIFF filter translates <target> and leaves <source> alone: export targets as copies
    // of the source.
    let file = export(&a, &job, "1.2", &["--copy-source"]);
    let proj = a.dir().join("omegat-project");
    omegat_project(&proj);
    std::fs::copy(&file, proj.join("source").join(file.file_name().unwrap())).unwrap();
    let title = segs[0]["source"].as_str().unwrap();
    let third = segs[2]["source"].as_str().unwrap();
    let kk_title = "Мемлекет басшысы Сеулде Корея Республикасының Президентімен келіссөздер жүргізді";
    let kk_third = "Келіссөздер алдымен шағын, содан кейін кеңейтілген құрамда өтті.";
    std::fs::write(proj.join("tm/auto/mt.tmx"), tmx(&[(title, kk_title), (third, kk_third)])).unwrap();
    omegat_translate(&a, &proj);
    let translated = proj.join("target").join(file.file_name().unwrap());
    let written = std::fs::read_to_string(&translated).unwrap();
    assert!(written.contains(kk_title), "OmegaT did not translate from tm/auto:\n{written}");

    let report = a.json(&["xliff", "import", translated.to_str().unwrap(), "--as", "omegat-user"]);
    let f = &report["files"][0];
    let edited: Vec<u64> = f["edited"].as_array().unwrap().iter().map(|e| e[0].as_u64().unwrap()).collect();
    assert_eq!(edited, vec![0, 2], "{report}");
    assert_eq!(
        f["unchanged"].as_u64().unwrap() as usize,
        segs.len() - 2,
        "untranslated copies are unchanged: {report}"
    );
    let now = segments(&a, &job);
    assert_eq!(current(&now[0]), kk_title);
    assert_eq!(current(&now[2]), kk_third);
    assert_eq!(current(&now[1]), current(&segs[1]), "a segment OmegaT left as the source copy is not touched");
    let log = edits(&a, &job);
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|e| e["actor"] == "omegat-user"), "{log:?}");
}

/// translate-toolkit as the CAT tool: it opens our file, sets one unit's target, marks it translated
/// and saves; the file it wrote imports back as that one edit.
const TT_TRANSLATE: &str = r#"
import sys
from translate.storage import factory, xliff2
path, version, unit_id, text = sys.argv[1:5]
store = factory.getobject(path) if version == "1.2" else xliff2.Xliff2File.parsefile(path)
for u in store.units:
    if u.getid() == unit_id:
        u.target = text
        u.markfuzzy(False)
        if version == "1.2":
            u.markapproved(False)
store.savefile(path)
"#;

#[test]
fn a_file_translate_toolkit_wrote_imports_back() {
    let present = runs("python3", &["-c", "import translate.storage.xliff2"]);
    if !available(
        "translate-toolkit",
        present,
        "AUDARMA_REQUIRE_TRANSLATE_TOOLKIT",
        "pip install 'translate-toolkit>=3.20'",
    ) {
        return;
    }
    for version in ["1.2", "2.0", "2.1"] {
        let (a, job) = translated();
        let file = export(&a, &job, version, &[]);
        let unit = if version == "1.2" { format!("audarma:job/{job}\u{4}s3") } else { "s3::1".to_string() };
        let text = "Президенттер екі ел арасындағы сауда мен инвестиция туралы пікір алмасты.";
        let out = Command::new("python3")
            .args(["-c", TT_TRANSLATE])
            .arg(&file)
            .args([version, &unit, text])
            .output()
            .unwrap();
        assert!(out.status.success(), "translate-toolkit: {}", String::from_utf8_lossy(&out.stderr));
        let report = a.json(&["xliff", "import", file.to_str().unwrap(), "--as", "dana"]);
        let f = &report["files"][0];
        assert_eq!(f["edited"].as_array().unwrap().len(), 1, "{version}: {report}");
        assert_eq!(f["edited"][0][0], 3, "{report}");
        assert!(
            f["conflicts"].as_array().unwrap().is_empty() && f["refused"].as_array().unwrap().is_empty(),
            "{report}"
        );
        assert_eq!(current(&segments(&a, &job)[3]), text);
    }
}
