//! `audarma export --script latn`: approved Kazakh translations in the Latin alphabet, names from
//! the glossary's `kk-Latn` forms, other languages left out, bad input named in one line.

use crate::e2e::{root, Audarma};
use serde_json::Value;

/// An English release translated (pseudo) into Kazakh and Russian, the Kazakh job edited into
/// real Kazakh, and both jobs approved. Returns the release id.
fn approved_kk_and_ru(a: &Audarma) -> i64 {
    let dir = a.dir().join("releases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("talks.txt"),
        "Tokayev met Erdoğan\n\nThe President of Türkiye arrived in Astana. UNESCO was discussed.\n",
    )
    .unwrap();
    let wf = a.dir().join("w.toml");
    std::fs::write(
        &wf,
        format!(
            "name = \"latn\"\n[sources]\npaths = [{:?}]\n[languages]\ntargets = [\"kk\", \"ru\"]\n[glossary]\npaths = [{:?}]\n[backend]\nkind = \"pseudo\"\n",
            dir.display().to_string(),
            root().join("glossaries").display().to_string()
        ),
    )
    .unwrap();
    a.ok(&["run", wf.to_str().unwrap()]);
    let jobs = a.json(&["queue"]);
    let job = |lang: &str| {
        jobs["jobs"].as_array().unwrap().iter().find(|j| j["target_lang"] == lang).unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (kk, ru) = (job("kk"), job("ru"));
    let segs = a.json(&["show", &kk])["segments"].as_array().unwrap().len();
    assert_eq!(segs, 3, "a title and two sentences");
    for (i, text) in
        ["Тоқаев Ердоғанмен кездесті", "Түркия Президенті Астанаға келді.", "ЮНЕСКО-мен ынтымақтастық талқыланды."]
            .iter()
            .enumerate()
    {
        a.ok(&["edit", &kk, &i.to_string(), text]);
    }
    for job in [&kk, &ru] {
        a.ok(&["approve", job, "--as", "aigerim", "--override", "a test"]);
    }
    a.json(&["show", &kk])["release_id"].as_i64().unwrap()
}

#[test]
fn export_script_latn_writes_kazakh_in_latin_with_glossary_names_and_leaves_other_languages_out() {
    let a = Audarma::new();
    let release = approved_kk_and_ru(&a);
    let out = a.dir().join("out");
    let glossary = root().join("glossaries");
    let args = ["export", "--out", out.to_str().unwrap(), "--script", "latn", "--glossary", glossary.to_str().unwrap()];
    let exported = a.json(&args);
    assert_eq!(exported["script"], "latn", "{exported}");
    assert_eq!(exported["left_out"], 1, "the Russian translation: {exported}");
    assert_eq!(exported["written"].as_array().unwrap().len(), 2, "{exported}");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, [format!("release-{release}.kk-Latn.json"), format!("release-{release}.kk-Latn.md")]);

    let md = std::fs::read_to_string(out.join(format!("release-{release}.kk-Latn.md"))).unwrap();
    assert!(md.starts_with("---\ntitle: \"Toqaev Erdoğanmen kezdestı\"\n"), "{md}");
    assert!(md.contains("\nlanguage: kk-Latn\nsource_language: en\n"), "{md}");
    assert!(md.contains("\n# Toqaev Erdoğanmen kezdestı\n"), "{md}");
    // The glossary's form for ЮНЕСКО, not the letter-by-letter İUNESKO; the rest letter by letter.
    assert!(md.contains("Türkiia Prezidentı Astanağa keldı. UNESCO-men yntymaqtastyq talqylandy.\n"), "{md}");
    assert!(!md.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "Cyrillic left: {md}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(format!("release-{release}.kk-Latn.json"))).unwrap())
            .unwrap();
    assert_eq!(json["language"], "kk-Latn");
    assert_eq!(json["title"], "Toqaev Erdoğanmen kezdestı");

    // Without --script, both translations in their own script, as before.
    let plain = a.dir().join("plain");
    let exported = a.json(&["export", "--out", plain.to_str().unwrap()]);
    assert_eq!(exported["written"].as_array().unwrap().len(), 4, "{exported}");
    let md = std::fs::read_to_string(plain.join(format!("release-{release}.kk.md"))).unwrap();
    assert!(md.contains("title: \"Тоқаев Ердоғанмен кездесті\"\n") && md.contains("\nlanguage: kk\n"), "{md}");

    // Text output says what was left out.
    let text = a.ok(&args);
    assert_eq!(
        text.trim_end(),
        format!(
            "exported 1 approved Kazakh translation(s) in Latin script to {} (1 in other languages left out)",
            out.display()
        )
    );
}

#[test]
fn export_script_refuses_an_unknown_script_and_a_broken_glossary_in_one_line() {
    let a = Audarma::new();
    let out = a.dir().join("out");
    let bad = a.run(&["export", "--out", out.to_str().unwrap(), "--script", "cyrl"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("invalid value 'cyrl' for '--script <SCRIPT>'") && err.contains("latn"), "{err}");

    let g = a.dir().join("g.toml");
    std::fs::write(&g, "[[concept]]\nid = \"x\"\nen = \"X\"\nkk = \"Х\"\nru = \"Х\"\nkk-Latn = []\n").unwrap();
    let broken =
        a.run(&["export", "--out", out.to_str().unwrap(), "--script", "latn", "--glossary", g.to_str().unwrap()]);
    assert_ne!(broken.status.code(), Some(0));
    let err = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(&format!("{}:1: concept `x`: `kk-Latn` is an empty list", g.display())), "{err}");
    assert!(!out.exists(), "nothing is written when the glossary is broken");
}
