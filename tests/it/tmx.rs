//! The memory as TMX, through the real binary: export, import into an empty database and export
//! again gives the same files; agencies' files (UTF-16, other languages, inline codes, conflicts) are
//! read and reported; broken files are refused whole; and real readers take what we write —
//! xmllint against the TMX 1.4 DTD, translate-toolkit's TMX store, OmegaT using it as project memory.
//! Reader tests skip (or fail when required) as in `xliff`.

use crate::e2e::Audarma;
use crate::xliff::{available, catalog, has_xmllint, omegat_project, omegat_translate, runs, OMEGAT_JAR};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"OfficeCAT\" creationtoolversion=\"9\" segtype=\"sentence\" o-tmf=\"ocat\" adminlang=\"en-US\" srclang=\"en-US\" datatype=\"plaintext\"/>\n  <body>\n";

fn tmx(body: &str) -> String {
    format!("{HEAD}{body}  </body>\n</tmx>\n")
}

fn tu(attrs: &str, variants: &[(&str, &str)]) -> String {
    let mut t = format!("    <tu{attrs}>\n");
    for (lang, seg) in variants {
        t.push_str(&format!("      <tuv xml:lang=\"{lang}\"><seg>{seg}</seg></tuv>\n"));
    }
    t.push_str("    </tu>\n");
    t
}

/// A memory as a press office might hold it: en→kk and en→ru, dated and signed, with text that
/// needs escaping.
fn office_memory() -> String {
    tmx(&[
        tu(
            " creationdate=\"20240115T080000Z\" creationid=\"aigerim\"",
            &[
                ("en-US", "The Head of State received the OSCE Secretary General."),
                ("kk-KZ", "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдады."),
                ("ru-RU", "Глава государства принял Генерального секретаря ОБСЕ."),
            ],
        ),
        tu(
            " creationdate=\"20260302T101500Z\" creationid=\"dana\"",
            &[
                ("en-US", "Trade grew by 12% &amp; exports by 8%."),
                ("kk-KZ", "Тауар айналымы 12%-ға, экспорт 8%-ға өсті."),
            ],
        ),
        tu(
            "",
            &[
                ("en-US", "The talks were held in the &lt;narrow&gt; format."),
                ("ru-RU", "Переговоры прошли в узком составе."),
            ],
        ),
    ]
    .concat())
}

fn write(a: &Audarma, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = a.dir().join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn export(a: &Audarma, out: &Path, extra: &[&str]) -> Vec<(PathBuf, u64)> {
    let mut args = vec!["tm", "export", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let written = a.json(&args);
    written["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (PathBuf::from(w["file"].as_str().unwrap()), w["units"].as_u64().unwrap()))
        .collect()
}

fn import(a: &Audarma, file: &Path) -> Value {
    a.json(&["tm", "import", file.to_str().unwrap()])
}

#[test]
fn export_import_into_an_empty_database_and_export_again_gives_the_same_files() {
    let a = Audarma::new();
    let seed = write(&a, "office.tmx", office_memory());
    let report = import(&a, &seed);
    assert_eq!(
        (report["read"].as_u64(), report["units"].as_u64(), report["added"].as_u64()),
        (Some(3), Some(4), Some(4)),
        "{report}"
    );
    a.ok(&["tm", "import", "examples/tm/seed.tsv"]);

    let first = export(&a, &a.dir().join("first"), &[]);
    let names: Vec<String> = first.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    let pairs = ["en-kk", "en-ru", "kk-en", "kk-ru", "ru-en", "ru-kk"];
    assert_eq!(names, pairs.map(|p| format!("memory.{p}.tmx")), "one file per pair that has units");
    let kk = std::fs::read_to_string(&first[0].0).unwrap();
    assert!(kk.contains("<tu creationdate=\"20240115T080000Z\" creationid=\"aigerim\">"), "{kk}");
    assert!(kk.contains("Trade grew by 12% &amp; exports by 8%."), "{kk}");
    assert!(kk.find("xml:lang=\"en\"").unwrap() < kk.find("xml:lang=\"kk\"").unwrap(), "source first");

    let b = Audarma::new();
    for (file, units) in &first {
        let r = import(&b, file);
        assert_eq!((r["units"].as_u64(), r["added"].as_u64()), (Some(*units), Some(*units)), "{r}");
    }
    let second = export(&b, &b.dir().join("second"), &[]);
    assert_eq!(first.len(), second.len());
    for ((f1, n1), (f2, n2)) in first.iter().zip(&second) {
        assert_eq!(n1, n2);
        assert_eq!(
            std::fs::read(f1).unwrap(),
            std::fs::read(f2).unwrap(),
            "{} and {} differ",
            f1.display(),
            f2.display()
        );
    }
    // Idempotent: the same file again adds nothing.
    let again = import(&b, &first[0].0);
    assert_eq!(
        (again["added"].as_u64(), &again["duplicates"], again["conflicts"].as_u64()),
        (Some(0), &again["units"], Some(0))
    );
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn an_agency_file_in_utf16_is_read_and_what_it_holds_beyond_the_memory_is_reported() {
    let a = Audarma::new();
    import(&a, &write(&a, "office.tmx", office_memory()));
    let body = [
        // A unit with inline codes (bold around a word), and a German variant.
        tu(
            "",
            &[
                (
                    "EN-GB",
                    "Press <bpt i=\"1\">&lt;b&gt;</bpt>releases<ept i=\"1\">&lt;/b&gt;</ept> are published daily.",
                ),
                ("kk-KZ", "Баспасөз хабарламалары күн сайын жарияланады."),
                ("de-DE", "Pressemitteilungen werden täglich veröffentlicht."),
            ],
        ),
        // Another translation of a source the memory has: a conflict, kept and reported.
        tu(
            " changedate=\"20190101T000000Z\"",
            &[
                ("en-GB", "The Head of State received the OSCE Secretary General."),
                ("kk-KZ", "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдап алды."),
            ],
        ),
        // Already there: a duplicate.
        tu(
            "",
            &[("en", "Trade grew by 12% &amp; exports by 8%."), ("kk", "Тауар айналымы 12%-ға, экспорт 8%-ға өсті.")],
        ),
        // Kazakh in Latin script is derived, not kept; alone, the English has nothing to pair with.
        tu("", &[("en", "Astana"), ("kk-Latn", "Astana")]),
    ]
    .concat();
    let text = tmx(&body).replace("UTF-8", "UTF-16").replace("en-US", "en-GB");
    let file = write(&a, "agency.tmx", utf16le_bom(&text));
    let r = import(&a, &file);
    assert_eq!(r["read"], 4, "{r}");
    assert_eq!(
        (r["units"].as_u64(), r["added"].as_u64(), r["duplicates"].as_u64()),
        (Some(3), Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(r["conflicts"], 1, "{r}");
    let c = &r["conflict_examples"][0];
    assert_eq!(c["line"], 10, "the <tu>'s line: {r}");
    assert_eq!(c["memory"], "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдады.");
    assert_eq!(r["with_codes"], 1);
    let skipped: Vec<(String, u64)> = serde_json::from_value(r["skipped"].clone()).unwrap();
    assert!(skipped.contains(&("a variant in de-DE, a language the memory does not keep".into(), 1)), "{skipped:?}");
    assert!(skipped.contains(&("a variant in kk-Latn, a language the memory does not keep".into(), 1)), "{skipped:?}");
    assert!(skipped.contains(&("fewer than two variants in en, ru or kk".into(), 1)), "{skipped:?}");
    // The newer translation stays the exact match; the old conflicting one is in the memory too.
    let kk = export(&a, &a.dir().join("kk.tmx"), &["--pair", "en-kk"]);
    let text = std::fs::read_to_string(&kk[0].0).unwrap();
    assert!(text.contains("Press releases are published daily."), "codes left out of the text: {text}");
    assert!(text.contains("қабылдап алды") && text.contains("<tu creationdate=\"20190101T000000Z\">"), "{text}");
    // And on the terminal, the same in words.
    let out = a.ok(&["tm", "import", file.to_str().unwrap()]);
    assert!(out.contains("4 translation unit(s) read, 3 unit(s): 0 new, 3 already in the memory"), "{out}");
    assert!(out.contains("skipped 1 × a variant in de-DE"), "{out}");
}

#[test]
fn a_broken_file_is_refused_whole_with_its_line_and_nothing_is_imported() {
    let a = Audarma::new();
    let whole = office_memory();
    let refused = |name: &str, content: &str, message: &str| {
        let file = write(&a, name, content);
        let out = a.run(&["tm", "import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), format!("audarma: {}: {message}\n", file.display()));
        assert!(out.stdout.is_empty());
    };
    refused(
        "cut.tmx",
        &whole[..whole.rfind("Переговоры").unwrap()],
        "line 16: the file ends inside a <seg> (cut short?); nothing was imported",
    );
    refused(
        "date.tmx",
        &whole.replace("20260302T101500Z", "2026-03-02"),
        "line 10: creationdate \"2026-03-02\" is not a TMX date (YYYYMMDDThhmmssZ); nothing was imported",
    );
    refused(
        "xliff.tmx",
        "<xliff version=\"1.2\"></xliff>",
        "line 1: the root element is <xliff>, not <tmx>: not a TMX file",
    );
    let missing = a.run(&["tm", "import", "no/such.tmx"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("audarma: no/such.tmx: cannot read:"));
    // The first units of the cut file were not stored.
    assert_eq!(export(&a, &a.dir().join("out"), &[]).len(), 0);
    let out = a.ok(&["tm", "export", "--out", a.dir().join("out").to_str().unwrap()]);
    assert_eq!(out, "the memory has no units to export\n");
}

#[test]
fn export_takes_a_pair_and_a_day_and_refuses_bad_ones_by_name() {
    let a = Audarma::new();
    import(&a, &write(&a, "office.tmx", office_memory()));
    let out = a.dir().join("recent.tmx");
    let written = export(&a, &out, &["--pair", "en-kk", "--since", "2025-01-01"]);
    assert_eq!(written, [(out.clone(), 1)]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Тауар айналымы") && !text.contains("Мемлекет басшысы"), "{text}");
    let tsv = export(&a, &a.dir().join("tsv"), &["--format", "tsv", "--pair", "en-ru"]);
    let text = std::fs::read_to_string(&tsv[0].0).unwrap();
    assert!(text.starts_with("source_lang\ttarget_lang\tsource\ttarget\nen\tru\tThe Head of State"), "{text}");
    let back = Audarma::new();
    assert_eq!(import(&back, &tsv[0].0)["added"], 2, "the TSV export imports");
    for (args, message) in [
        (
            ["--pair", "en-fr"],
            "invalid value 'en-fr' for '--pair <PAIR>': \"en-fr\" is not a language pair such as en-kk",
        ),
        (["--since", "March"], "invalid value 'March' for '--since <SINCE>'"),
    ] {
        let o = a.run(&["tm", "export", "--out", a.dir().join("x").to_str().unwrap(), args[0], args[1]]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains(message), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// The office memory exported: one en→kk file.
fn exported_en_kk() -> (Audarma, PathBuf) {
    let a = Audarma::new();
    import(&a, &write(&a, "office.tmx", office_memory()));
    let out = a.dir().join("memory.en-kk.tmx");
    export(&a, &out, &["--pair", "en-kk"]);
    (a, out)
}

#[test]
fn xmllint_validates_the_export_against_the_tmx_dtd() {
    if !has_xmllint() {
        return;
    }
    let (a, file) = exported_en_kk();
    let lint = |file: &Path| {
        let out = Command::new("xmllint")
            .env("XML_CATALOG_FILES", catalog().join("catalog.xml"))
            .args(["--noout", "--nonet", "--valid"])
            .arg(file)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, errors) = lint(&file);
    assert!(ok, "{errors}");
    // The check can fail: a <tu> without <tuv> is not TMX.
    let broken =
        write(&a, "broken.tmx", std::fs::read_to_string(&file).unwrap().replacen("<tuv xml:lang=\"en\">", "<tuv>", 1));
    let (ok, errors) = lint(&broken);
    assert!(!ok && errors.contains("xml:lang"), "{errors}");
}

#[test]
fn translate_toolkit_reads_our_units() {
    let present = runs("python3", &["-c", "import translate.storage.tmx"]);
    if !available(
        "translate-toolkit",
        present,
        "AUDARMA_REQUIRE_TRANSLATE_TOOLKIT",
        "pip install 'translate-toolkit>=3.20'",
    ) {
        return;
    }
    let (_a, file) = exported_en_kk();
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, json\nfrom translate.storage import tmx\ns = tmx.tmxfile.parsefile(sys.argv[1])\nprint(json.dumps([[u.source, u.target] for u in s.units]))",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let units: Vec<(String, String)> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        units,
        [
            (
                "The Head of State received the OSCE Secretary General.".into(),
                "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдады.".into()
            ),
            ("Trade grew by 12% & exports by 8%.".into(), "Тауар айналымы 12%-ға, экспорт 8%-ға өсті.".into()),
        ]
    );
}

#[test]
fn omegat_translates_a_text_from_our_export_as_project_memory() {
    let present = Path::new(OMEGAT_JAR).exists() && runs("java", &["-version"]);
    if !available("OmegaT", present, "AUDARMA_REQUIRE_OMEGAT", "apt-get install omegat") {
        return;
    }
    let (a, file) = exported_en_kk();
    let proj = a.dir().join("omegat-project");
    omegat_project(&proj);
    std::fs::copy(&file, proj.join("tm/auto/memory.en-kk.tmx")).unwrap();
    std::fs::write(
        proj.join("source/release.txt"),
        "The Head of State received the OSCE Secretary General.\n\nA sentence the memory does not hold.\n",
    )
    .unwrap();
    omegat_translate(&a, &proj);
    let translated = std::fs::read_to_string(proj.join("target/release.txt")).unwrap();
    assert_eq!(translated, "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдады.\n\nA sentence the memory does not hold.\n");
}
