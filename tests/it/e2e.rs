//! End to end, through the real `audarma` binary, as a translator and cron would use it: the demo
//! workflow into a fresh database, review on the command line, export, and the event log.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

pub(crate) struct Audarma {
    pub(crate) db: String,
    _dir: tempfile::TempDir,
}

impl Audarma {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite:{}", dir.path().join("test.db").display());
        Audarma { db, _dir: dir }
    }

    pub(crate) fn dir(&self) -> &Path {
        self._dir.path()
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_audarma"))
            .current_dir(root())
            .env("AUDARMA_DB", &self.db)
            .env_remove("AUDARMA_LOG")
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "audarma {args:?} failed ({:?}):\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Starts `audarma serve` on a free loopback port; the process and the address it says it serves on.
    pub(crate) fn serve(&self) -> (std::process::Child, String) {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_audarma"))
            .current_dir(root())
            .env("AUDARMA_DB", &self.db)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line}"));
        (child, addr.to_string())
    }

    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }
}

#[test]
fn demo_workflow_review_approve_export() {
    let a = Audarma::new();
    // A dry run says what would be sent and writes nothing.
    let dry = a.json(&["run", "workflows/demo.toml", "--dry-run"]);
    assert_eq!((dry["releases_new"].as_u64(), dry["jobs_new"].as_u64()), (Some(12), Some(24)), "{dry}");
    assert!(dry["chars"].as_u64().unwrap() > 10_000, "{dry}");
    assert_eq!(dry["pairs"].as_array().unwrap().len(), 6);
    assert_eq!(a.json(&["queue"])["jobs"].as_array().unwrap().len(), 0, "a dry run stores nothing");

    let out = a.ok(&["run", "workflows/demo.toml"]);
    // Quiet from cron: one summary line and nothing on stderr.
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("demo: releases 12 new, 0 skipped; jobs 24 created, 24 translated, 0 failed"), "{out}");

    // A second run does nothing new.
    let again = a.json(&["run", "workflows/demo.toml"]);
    assert_eq!(again["releases_new"], 0);
    assert_eq!(again["releases_skipped"], 12);
    assert_eq!(again["jobs_created"], 0);
    assert_eq!(again["jobs_translated"], 0);
    let dry = a.json(&["run", "workflows/demo.toml", "--dry-run"]);
    assert_eq!((dry["chars"].as_u64(), dry["jobs_new"].as_u64()), (Some(0), Some(0)), "{dry}");

    let queue = a.json(&["queue", "--state", "in_review"]);
    let jobs = queue["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 24);
    let ru_en = jobs
        .iter()
        .find(|j| {
            j["source_lang"] == "ru" && j["target_lang"] == "en" && j["title"].as_str().unwrap().contains("Монголии")
        })
        .unwrap();
    let id = ru_en["id"].as_i64().unwrap().to_string();

    // The job shows glossary terms with their required target form and a pseudo suggestion.
    let job = a.json(&["show", &id]);
    let segs = job["segments"].as_array().unwrap();
    assert_eq!(segs[0]["source"], "Глава государства провел переговоры с Президентом Монголии");
    assert!(segs[0]["suggestion"].as_str().unwrap().starts_with("⟦en⟧ Head of State"), "{}", segs[0]);
    let terms = segs[0]["terms"].as_array().unwrap();
    assert!(
        terms.iter().any(|t| t["id"] == "head-of-state" && t["target"] == "Head of State" && t["status"] == "ok"),
        "{terms:?}"
    );
    assert!(segs.iter().all(|s| !s["suggestion"].is_null()));

    // Edit a segment: the new text is checked, and a lost number is reported.
    let edited =
        a.json(&["edit", &id, "0", "The Head of State held talks with the President of Mongolia", "--version", "1"]);
    assert_eq!(edited["version"], 2);
    let n = segs.iter().find(|s| s["source"].as_str().unwrap().contains("9,3%")).unwrap()["idx"]
        .as_u64()
        .unwrap()
        .to_string();
    let bad = a.json(&["edit", &id, &n, "In 2025 trade grew.", "--as", "aigerim", "--workflow", "workflows/demo.toml"]);
    assert!(
        bad["findings"].as_array().unwrap().iter().any(|f| f["check"] == "numbers" && f["severity"] == "error"),
        "{bad}"
    );
    // A stale version is refused and nothing is overwritten.
    let stale = a.run(&["edit", &id, "0", "Something else", "--version", "1"]);
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("changed by someone else"));

    // The lost number is an error: approval is refused until a reviewer overrides it with a reason.
    let blocked = a.run(&["approve", &id, "--as", "aigerim"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&blocked.stderr).contains("error finding(s)"),
        "{}",
        String::from_utf8_lossy(&blocked.stderr)
    );
    a.ok(&["approve", &id, "--as", "aigerim", "--override", "figures are given in the annex"]);
    // Approving twice is refused with a clear reason.
    let twice = a.run(&["approve", &id]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("is approved"));

    // Reject another job with a reason, and send it back to the queue.
    let other =
        jobs.iter().find(|j| j["id"].as_i64().unwrap().to_string() != id).unwrap()["id"].as_i64().unwrap().to_string();
    assert_eq!(a.run(&["reject", &other]).status.code(), Some(2), "reject needs --reason");
    a.ok(&["reject", &other, "--reason", "wrong register"]);
    a.ok(&["retry", &other]);
    assert_eq!(a.json(&["show", &other])["state"], "queued");

    // Export writes Markdown with front matter and JSON for the approved job only.
    let out_dir = a.dir().join("out");
    let exported = a.json(&["export", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(exported["written"].as_array().unwrap().len(), 2);
    let release = ru_en["release_id"].as_i64().unwrap();
    let md = std::fs::read_to_string(out_dir.join(format!("release-{release}.en.md"))).unwrap();
    assert!(md.starts_with("---\ntitle: \"The Head of State held talks with the President of Mongolia\"\ndate: 2026-06-03\nlanguage: en\n"), "{md}");
    assert!(md.contains(&format!("source_release: {release}\n")), "{md}");
    assert!(md.contains("In 2025 trade grew."), "{md}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join(format!("release-{release}.en.json"))).unwrap())
            .unwrap();
    assert_eq!(json["language"], "en");
    assert_eq!(json["source_language"], "ru");
    assert_eq!(json["approved_by"], "aigerim");

    // The approved text feeds translation memory: the edited title is now an exact match.
    // The event log has the whole story, with who and before/after.
    let events = a.json(&["history", &id]);
    let kinds: Vec<(String, Option<String>)> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_string(), e["after"].as_str().map(str::to_string)))
        .collect();
    let kinds: Vec<(&str, Option<&str>)> = kinds.iter().map(|(k, a)| (k.as_str(), a.as_deref())).collect();
    assert_eq!(kinds[0], ("job-created", Some("queued")));
    assert_eq!(kinds[1], ("state", Some("translating")));
    assert_eq!(kinds[2], ("state", Some("in_review")));
    assert_eq!(kinds[3], ("edit", Some("The Head of State held talks with the President of Mongolia")));
    assert_eq!(kinds[4], ("edit", Some("In 2025 trade grew.")));
    assert_eq!(kinds[5], ("state", Some("approved")));
    assert_eq!(kinds[6].0, "override");
    assert_eq!(kinds[7].0, "tm");
    let edit = &events["events"][4];
    assert_eq!(edit["actor"], "aigerim");
    assert!(edit["before"].as_str().unwrap().starts_with("⟦en⟧"));
}

#[test]
fn translation_memory_fills_exact_matches() {
    let a = Audarma::new();
    let imported = a.json(&["tm", "import", "examples/tm/seed.tsv"]);
    assert!(imported["added"].as_u64().unwrap() >= 40, "{imported}");
    a.ok(&["run", "workflows/memory.toml"]);
    let jobs = a.json(&["queue"]);
    let mut from_memory = 0;
    let mut fuzzy = 0;
    for j in jobs["jobs"].as_array().unwrap() {
        let d = a.json(&["show", &j["id"].to_string()]);
        for s in d["segments"].as_array().unwrap() {
            // Every translated segment carries the memory matches found for the translator.
            let tm = s["tm"].as_array().unwrap_or_else(|| panic!("no tm on {s}"));
            fuzzy += tm.len();
            if s["origin"] == "memory" {
                from_memory += 1;
                assert_eq!(tm[0]["score"], 100, "{s}");
                assert_eq!(tm[0]["target"], s["suggestion"]);
            } else {
                assert!(s["suggestion"].is_null(), "{s}");
            }
        }
    }
    assert!(from_memory >= 4, "only {from_memory} segments came from memory");
    assert!(fuzzy >= from_memory);
}

#[test]
fn tm_import_names_the_first_bad_line_and_imports_nothing() {
    let a = Audarma::new();
    let tsv = a.dir().join("memory.tsv");
    let bad = |body: &str, message: &str| {
        std::fs::write(&tsv, format!("source_lang\ttarget_lang\tsource\ttarget\nen\tkk\tYes.\tИә.\n\n{body}\n"))
            .unwrap();
        let out = a.run(&["tm", "import", tsv.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{body:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), format!("audarma: {}:4: {message}\n", tsv.display()));
        assert!(out.stdout.is_empty());
    };
    bad("en\tkk\tYes.", "expected 4 tab-separated columns: source_lang, target_lang, source, target");
    bad("de\tkk\tJa.\tИә.", "source_lang: unknown language \"de\" (expected en, kk or ru)");
    bad("en\tfr\tYes.\tOui.", "target_lang: unknown language \"fr\" (expected en, kk or ru)");
    bad("en\tkk\t \tИә.", "empty source or target");
    // Nothing was imported by the refused files: the good line of the last one is new now.
    std::fs::write(&tsv, "source_lang\ttarget_lang\tsource\ttarget\r\nen\tkk\t Yes. \tИә.\r\n").unwrap();
    let stdout = a.ok(&["tm", "import", tsv.to_str().unwrap()]);
    assert_eq!(
        stdout,
        format!(
            "{}: 1 line(s) read, 1 unit(s): 1 new, 0 already in the memory (or repeated in the file)\n",
            tsv.display()
        )
    );
}

#[test]
fn bad_input_is_named_and_the_rest_still_ingested() {
    let a = Audarma::new();
    let dir = a.dir().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("zip.html"), b"PK\x03\x04\x00\x00binary\x00").unwrap();
    std::fs::copy(
        root().join("examples/releases/en-2026-04-15-un-secretary-general-at-akorda.txt"),
        dir.join("good.txt"),
    )
    .unwrap();
    let out = a.run(&["ingest", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines.iter().any(|l| l.contains("empty.txt: empty file")), "{stderr}");
    assert!(lines.iter().any(|l| l.contains("zip.html: not a text file")), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("good.txt: new release 1 (en,"), "{stdout}");
    // Ingesting the same release again creates nothing and says so.
    let again = a.ok(&["ingest", dir.join("good.txt").to_str().unwrap()]);
    assert!(again.contains("already stored as release 1; nothing created"), "{again}");
}

#[test]
fn malformed_workflow_and_glossary_name_file_line_and_field() {
    let a = Audarma::new();
    let wf = a.dir().join("wf.toml");
    std::fs::write(&wf, "name = \"x\"\n[sources]\npaths = [\"a\"]\n[languages]\ntargets = [\"en\"]\n[backend]\nkind = \"pseudo\"\nretries = 3\n").unwrap();
    let out = a.run(&["workflow", "check", wf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wf.toml:8: unknown field `retries`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let g = a.dir().join("g.toml");
    std::fs::write(&g, "[[concept]]\nid = \"osce\"\nen = \"OSCE\"\nkk = \"ЕҚЫҰ\"\nru = \"OБСЕ\"\n").unwrap();
    let out = a.run(&["glossary", "lint", g.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("g.toml:1: concept `osce`: Latin letters in ru term \"OБСЕ\""), "{stdout}");

    assert!(a.ok(&["workflow", "check", "workflows/demo.toml"]).contains("is valid"));
    a.ok(&["glossary", "lint"]);
}

#[test]
fn glossary_match_prints_character_offsets() {
    let a = Audarma::new();
    let f = a.dir().join("ru.txt");
    std::fs::write(&f, "Казахстан председательствовал в ОБСЕ в 2010 году.\n").unwrap();
    let m = a.json(&["glossary", "match", "--lang", "ru", f.to_str().unwrap()]);
    let osce = m["matches"].as_array().unwrap().iter().find(|x| x["id"] == "osce").unwrap().clone();
    assert_eq!(
        osce,
        serde_json::json!({"line": 1, "id": "osce", "text": "ОБСЕ", "start": 32, "end": 36, "forbidden": false})
    );
}

#[test]
fn overlapping_runs_translate_each_job_once() {
    let a = Audarma::new();
    // Create the database first so both runs race on jobs, not on migrations.
    a.ok(&["queue"]);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_audarma"))
            .current_dir(root())
            .env("AUDARMA_DB", &a.db)
            .args(["run", "workflows/demo.toml", "--json"])
            .output()
            .unwrap()
    };
    let (one, two) = std::thread::scope(|s| {
        let h1 = s.spawn(spawn);
        let h2 = s.spawn(spawn);
        (h1.join().unwrap(), h2.join().unwrap())
    });
    let mut translated = 0;
    let mut created = 0;
    for out in [&one, &two] {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        translated += v["jobs_translated"].as_u64().unwrap();
        created += v["jobs_created"].as_u64().unwrap();
    }
    assert_eq!((created, translated), (24, 24));
    let events = a.json(&["history"]);
    let claims = events["events"].as_array().unwrap().iter().filter(|e| e["after"] == "translating").count();
    assert_eq!(claims, 24, "every job claimed exactly once");
}

#[test]
fn backend_configuration_is_checked_before_any_call() {
    let a = Audarma::new();
    let wf = a.dir().join("deepl.toml");
    let releases = root().join("examples/releases");
    std::fs::write(
        &wf,
        format!(
            "name = \"d\"\n[sources]\npaths = [\"{}\"]\n[languages]\ntargets = [\"en\", \"ru\"]\n[backend]\nkind = \"deepl\"\napi_key_env = \"AUDARMA_TEST_UNSET_KEY\"\n",
            releases.display()
        ),
    )
    .unwrap();
    for cmd in [&["workflow", "check"][..], &["run"][..]] {
        let mut args = cmd.to_vec();
        args.push(wf.to_str().unwrap());
        let out = a.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("AUDARMA_TEST_UNSET_KEY"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // Nothing was ingested by the refused run.
    assert_eq!(a.json(&["queue"])["jobs"].as_array().unwrap().len(), 0);

    // A pair no configured backend supports is refused too.
    let routed = a.dir().join("routed.toml");
    std::fs::write(
        &routed,
        format!(
            "name = \"r\"\n[sources]\npaths = [\"{}\"]\n[languages]\ntargets = [\"kk\", \"ru\"]\n\
             [backends.fast]\nkind = \"pseudo\"\n[routing]\n\"en-ru\" = [\"fast\"]\n\"kk-ru\" = [\"fast\"]\n\"ru-kk\" = [\"fast\"]\n",
            releases.display()
        ),
    )
    .unwrap();
    let out = a.run(&["workflow", "check", routed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no configured backend translates en→kk"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn glossary_verify_and_qa_on_aligned_files() {
    let a = Audarma::new();
    let (src, tgt) = (a.dir().join("en.txt"), a.dir().join("ru.txt"));
    std::fs::write(&src, "The Head of State met the OSCE Secretary General.\nTrade grew by 15% in 2025.\n").unwrap();
    std::fs::write(
        &tgt,
        "Глава государства встретился с Генеральным секретарем ОБСЕ.\nТоварооборот вырос на 16% в 2025 году.\n",
    )
    .unwrap();
    let (s, t) = (src.to_str().unwrap(), tgt.to_str().unwrap());
    let v = a.json(&["glossary", "verify", "--from", "en", "--to", "ru", s, t]);
    let first = v["segments"][0]["terms"].as_array().unwrap();
    let osce = first.iter().find(|t| t["id"] == "osce").unwrap();
    assert_eq!(osce["status"], "ok");
    assert_eq!(osce["target"], "ОБСЕ");
    assert!(first.iter().any(|t| t["id"] == "head-of-state" && t["target"] == "Глава государства"), "{first:?}");

    // qa exits 1 because line 2 lost a number; the JSON names the check and the span.
    let out = a.run(&["qa", "--from", "en", "--to", "ru", s, t, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let q: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        q["segments"][0]["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == "error").count(),
        0,
        "{q}"
    );
    let issues = q["segments"][1]["issues"].as_array().unwrap();
    assert!(issues.iter().any(|i| i["check"] == "numbers" && i["severity"] == "error"), "{q}");

    let short = a.dir().join("short.txt");
    std::fs::write(&short, "Одна строка.\n").unwrap();
    let out = a.run(&["qa", "--from", "en", "--to", "ru", s, short.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be aligned line by line"));
}

/// A reviewer's view of real-text paraphrases and mistakes: warnings print and exit 0, only certain
/// evidence exits 1, and every finding says why.
#[test]
fn qa_exits_1_only_for_errors_and_says_why() {
    let a = Audarma::new();
    let (src, tgt) = (a.dir().join("en.txt"), a.dir().join("kk.txt"));
    // A correct paraphrase (the title for the President's name), then a glossary term left out.
    std::fs::write(&src, "President Tokayev met the OSCE delegation.\nThe talks focused on trade.\n").unwrap();
    std::fs::write(&tgt, "Мемлекет басшысы ЕҚЫҰ делегациясымен кездесті.\nӘңгіме сауда туралы болды.\n").unwrap();
    let (s, t) = (src.to_str().unwrap(), tgt.to_str().unwrap());
    let out = a.run(&["qa", "--from", "en", "--to", "kk", "--date", "2025-03-01", s, t, "--json"]);
    assert_eq!(out.status.code(), Some(0), "warnings alone exit 0: {}", String::from_utf8_lossy(&out.stdout));
    let q: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(q["segments"][0]["issues"].as_array().unwrap().iter().all(|i| i["check"] != "terminology"), "{q}");
    let talks = q["segments"][1]["issues"].as_array().unwrap().iter().find(|i| i["check"] == "terminology").unwrap();
    assert_eq!(talks["severity"], "warning", "{talks}");
    assert_eq!(
        (talks["evidence"]["rule"].as_str(), talks["evidence"]["concept"].as_str()),
        (Some("missing-term"), Some("talks"))
    );
    let v = a.json(&["glossary", "verify", "--from", "en", "--to", "kk", "--date", "2025-03-01", s, t]);
    let tokayev = &v["segments"][0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "kassym-jomart-tokayev")
        .unwrap()
        .clone();
    assert_eq!((tokayev["status"].as_str(), tokayev["via"].as_str()), (Some("realised"), Some("head-of-state")));

    // An outdated name on the release date is certain: exit 1, with the rule.
    std::fs::write(
        &tgt,
        "Мемлекет басшысы Нұр-Сұлтанда ЕҚЫҰ делегациясымен кездесті.\nКеліссөздер сауда туралы болды.\n",
    )
    .unwrap();
    std::fs::write(&src, "President Tokayev met the OSCE delegation in Astana.\nThe talks focused on trade.\n")
        .unwrap();
    let out = a.run(&["qa", "--from", "en", "--to", "kk", "--date", "2025-03-01", s, t, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let q: Value = serde_json::from_slice(&out.stdout).unwrap();
    let astana =
        q["segments"][0]["issues"].as_array().unwrap().iter().find(|i| i["check"] == "terminology").unwrap().clone();
    assert_eq!(
        (astana["severity"].as_str(), astana["evidence"]["rule"].as_str()),
        (Some("error"), Some("outdated-name")),
        "{q}"
    );
    let out = a.run(&["glossary", "verify", "--from", "en", "--to", "kk", "--date", "2025-03-01", s, t]);
    assert_eq!(out.status.code(), Some(1));
}

/// A workflow's word list extends the spelling check; a missing list is named.
#[test]
fn a_workflow_word_list_is_read_and_a_missing_one_named() {
    let a = Audarma::new();
    let wf = a.dir().join("wf.toml");
    let demo = std::fs::read_to_string(root().join("workflows/demo.toml")).unwrap();
    let abs = |p: &str| root().join("workflows").join(p).display().to_string();
    let text = demo
        .replace("\"../examples/releases\"", &format!("{:?}", abs("../examples/releases")))
        .replace("\"../glossaries\"", &format!("{:?}", abs("../glossaries")));
    std::fs::write(&wf, format!("{text}\n[qa]\nwords = [\"missing-words.txt\"]\n")).unwrap();
    let out = a.run(&["workflow", "check", wf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing-words.txt"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(a.dir().join("missing-words.txt"), "# press office words\nкиберполигон\n").unwrap();
    a.ok(&["workflow", "check", wf.to_str().unwrap()]);
}

#[test]
fn users_and_tokens_keep_only_hashes() {
    use std::io::Write;
    let a = Audarma::new();
    let add = |name: &str, role: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_audarma"))
            .current_dir(root())
            .env("AUDARMA_DB", &a.db)
            .args(["user", "add", name, "--role", role])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A refused argument ends the process before it reads stdin: a broken pipe is fine then.
        let _ = child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes());
        child.wait_with_output().unwrap()
    };
    let ok = add("aigerim", "reviewer", "a long enough passphrase");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "user aigerim added as reviewer");
    let again = add("aigerim", "translator", "another long passphrase");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("user \"aigerim\" already exists"));
    assert_eq!(add("bolat", "translator", "short").status.code(), Some(2));
    assert_eq!(add("bolat", "boss", "a long enough passphrase").status.code(), Some(2));

    let token = a.json(&["token", "create", "aigerim"])["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("aud_") && token.len() > 60);
    assert_eq!(a.run(&["token", "create", "nobody"]).status.code(), Some(2));

    // The store has the password's Argon2id hash and the token's SHA-256, never either in clear.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use audarma_store::Store;
        let store = audarma_store_sqlite::SqliteStore::open(&a.db).await.unwrap();
        let user = store.user("aigerim").await.unwrap().unwrap();
        assert!(user.password_hash.starts_with("$argon2id$") && !user.password_hash.contains("passphrase"));
        let hash = audarma_web::auth::token_hash(&token);
        assert_eq!(store.user_by_token(&hash).await.unwrap().unwrap().name, "aigerim");
        assert!(store.user_by_token(&token).await.unwrap().is_none());
    });
}

#[test]
fn an_unreachable_postgres_database_is_one_line_naming_it_without_its_password() {
    let a = Audarma::new();
    for args in [&["queue"][..], &["serve", "--addr", "127.0.0.1:0"]] {
        let out = a.run(&[&["--db", "postgres://press:s3cret@127.0.0.1:9/audarma"][..], args].concat());
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("audarma: database: cannot connect to postgres://press:***@127.0.0.1:9/audarma: "),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
    }
}

#[test]
fn serve_starts_the_review_desk_and_refuses_a_bad_address() {
    let a = Audarma::new();
    a.ok(&["run", "workflows/demo.toml"]);
    let out = a.run(&["serve", "--addr", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--addr not-an-address") && err.lines().count() == 1, "{err}");
    let out = a.run(&["serve", "--metrics-token-env", "AUDARMA_T_NO_SUCH_TOKEN_VAR"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--metrics-token-env AUDARMA_T_NO_SUCH_TOKEN_VAR: the variable is not set"), "{err}");

    let (mut child, addr) = a.serve();
    let get = |path: &str| http_get(&addr, path);
    assert!(get("/healthz").ends_with("ok\n"));
    let metrics = get("/metrics");
    assert!(metrics.contains("audarma_jobs{state=\"in_review\",target_lang=\"kk\"} 8"), "{metrics}");
    assert!(get("/queue").starts_with("HTTP/1.1 303"), "the queue needs a login");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_reader_that_stops_early_does_not_make_it_panic() {
    let a = Audarma::new();
    a.ok(&["run", "workflows/demo.toml"]);
    // The read end is closed before the command writes anything (it has a database to open first).
    let mut child = Command::new(env!("CARGO_BIN_EXE_audarma"))
        .current_dir(root())
        .env("AUDARMA_DB", &a.db)
        .args(["show", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains("panicked"), "{:?}: {err}", out.status);
}

#[test]
fn segment_cuts_real_release_layout_in_three_languages() {
    let a = Audarma::new();
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "ru",
            "Глава государства провел совещание по энергетике\nАСТАНА. КАЗИНФОРМ – Касым-Жомарт Токаев заслушал доклады министров.\n«Мы готовы к зиме. Запасы угля созданы», — сказал министр.\nФото: Акорда\n",
            &[
                "Глава государства провел совещание по энергетике",
                "АСТАНА. КАЗИНФОРМ – Касым-Жомарт Токаев заслушал доклады министров.",
                "«Мы готовы к зиме.",
                "Запасы угля созданы», — сказал министр.",
                "Фото: Акорда",
            ],
        ),
        (
            "kk",
            "Мемлекет басшысы энергетика мәселелері бойынша кеңес өткізді\nАСТАНА. ҚазАқпарат – Қасым-Жомарт Тоқаев министрлердің баяндамаларын тыңдады.\n«Біз қысқа дайынбыз. Көмір қоры жасалды», – деді министр.\nФото: Ақорда\n",
            &[
                "Мемлекет басшысы энергетика мәселелері бойынша кеңес өткізді",
                "АСТАНА. ҚазАқпарат – Қасым-Жомарт Тоқаев министрлердің баяндамаларын тыңдады.",
                "«Біз қысқа дайынбыз.",
                "Көмір қоры жасалды», – деді министр.",
                "Фото: Ақорда",
            ],
        ),
        (
            "en",
            "President holds meeting on energy\nASTANA. KAZINFORM – Kassym-Jomart Tokayev heard reports from the ministers.\n\"We are ready for winter. Coal reserves are in place,\" the minister said.\nPhoto: Akorda\n",
            &[
                "President holds meeting on energy",
                "ASTANA. KAZINFORM – Kassym-Jomart Tokayev heard reports from the ministers.",
                "\"We are ready for winter.",
                "Coal reserves are in place,\" the minister said.",
                "Photo: Akorda",
            ],
        ),
    ];
    for (lang, text, want) in cases {
        let file = a.dir().join(format!("{lang}.txt"));
        std::fs::write(&file, text).unwrap();
        let v = a.json(&["segment", file.to_str().unwrap()]);
        assert_eq!(v["lang"], lang, "{v}");
        let got: Vec<&str> = v["sentences"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert_eq!(got, want);
        // The text output has the same sentences, one a line.
        let plain = a.ok(&["segment", file.to_str().unwrap()]);
        assert_eq!(plain.lines().collect::<Vec<_>>(), want);
    }
    // Bad input: one clear line, exit 2.
    let out = a.run(&["segment", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_edit_without_a_version_warns_that_it_overwrites() {
    let a = Audarma::new();
    a.ok(&["run", "workflows/demo.toml"]);
    let out = a.run(&["edit", "1", "0", "A new title", "--workflow", "workflows/demo.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: without --version this overwrites segment 0"), "{err}");
    assert!(err.contains("pass --version 1"), "{err}");
    let out = a.run(&["edit", "1", "0", "Another title", "--version", "2", "--workflow", "workflows/demo.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "no warning with --version");
}

#[test]
fn tokens_expire_and_are_revoked_and_users_are_disabled_and_get_new_passwords() {
    use std::io::Write;
    let a = Audarma::new();
    let with_stdin = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_audarma"))
            .current_dir(root())
            .env("AUDARMA_DB", &a.db)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(format!("{input}\n").as_bytes());
        child.wait_with_output().unwrap()
    };
    assert!(with_stdin(&["user", "add", "aigerim", "--role", "reviewer"], "a long enough passphrase").status.success());
    let out = a.run(&["token", "create", "aigerim", "--expires", "90d"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("valid until"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(a.run(&["token", "create", "aigerim", "--expires", "0d"]).status.code(), Some(2));
    assert_eq!(a.run(&["token", "create", "aigerim", "--expires", "soon"]).status.code(), Some(2));
    let list = a.ok(&["token", "list", "--user", "aigerim"]);
    assert!(list.lines().nth(1).is_some_and(|l| l.ends_with("active")), "{list}");
    assert_eq!(a.ok(&["token", "revoke", "1"]).trim(), "token 1 revoked");
    assert!(a.ok(&["token", "list"]).lines().nth(1).is_some_and(|l| l.ends_with("revoked")));
    let missing = a.run(&["token", "revoke", "42"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no token 42"));

    assert_eq!(a.ok(&["user", "disable", "aigerim"]).trim(), "user aigerim disabled");
    assert_eq!(a.ok(&["user", "enable", "aigerim"]).trim(), "user aigerim enabled");
    assert_eq!(a.ok(&["user", "sessions", "aigerim"]).trim(), "aigerim has no open session");
    assert_eq!(a.ok(&["user", "sessions", "aigerim", "--end"]).trim(), "0 session(s) of aigerim ended");
    let short = with_stdin(&["user", "passwd", "aigerim"], "short");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("password: at least 10 characters"));
    let ok = with_stdin(&["user", "passwd", "aigerim"], "another long passphrase");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(with_stdin(&["user", "passwd", "nobody"], "another long passphrase").status.code(), Some(2));
    let history = a.ok(&["history"]);
    for kind in ["token-revoked", "user-disabled", "user-enabled", "password-changed", "sessions-ended"] {
        assert!(history.contains(kind), "{kind} in the log:\n{history}");
    }
    assert!(!history.contains("another long passphrase"), "no password in the log");
}

#[test]
fn a_feed_link_made_on_the_command_line_serves_the_users_jobs_without_a_login() {
    use std::io::Write;
    let a = Audarma::new();
    a.ok(&["run", "workflows/demo.toml"]);
    let mut add = Command::new(env!("CARGO_BIN_EXE_audarma"))
        .current_dir(root())
        .env("AUDARMA_DB", &a.db)
        .args(["user", "add", "daniyar", "--role", "translator"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"a long enough passphrase\n").unwrap();
    assert!(add.wait().unwrap().success());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = audarma_store_sqlite::SqliteStore::open(&a.db).await.unwrap();
        audarma_store::Store::assign_job(&store, 3, Some("daniyar"), "aigerim").await.unwrap();
    });

    let out = a.run(&["user", "feed-token", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user named \"nobody\""));
    let out = a.run(&["user", "feed-token", "daniyar", "--base", "desk.example.kz"]);
    assert_eq!(out.status.code(), Some(2), "a base without a scheme is refused");
    let first = a.ok(&["user", "feed-token", "daniyar", "--base", "https://desk.example.kz/"]);
    assert!(first.starts_with("https://desk.example.kz/feed/audf_") && first.trim_end().ends_with(".atom"), "{first}");
    let path = a.ok(&["user", "feed-token", "daniyar"]).trim().to_string();
    assert!(path.starts_with("/feed/audf_"), "{path}");

    let (mut child, addr) = a.serve();
    let get = |path: &str| http_get(&addr, path);
    let feed = get(&path);
    assert!(feed.starts_with("HTTP/1.1 200"), "{feed}");
    assert!(feed.contains("application/atom+xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("<title type=\"text\">audarma: jobs of daniyar</title>"), "{feed}");
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"/jobs/3\"/>"), "{feed}");
    // The first link was replaced by the second.
    let old = first.trim().trim_start_matches("https://desk.example.kz");
    assert!(get(old).starts_with("HTTP/1.1 404"));
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A GET over a plain TCP connection: the whole response, headers included.
fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}
