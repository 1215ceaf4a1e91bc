//! Glossary exchange: TBX, CSV and TSV round trips (the shipped glossary and awkward values), the
//! errors import reports, and validation of the TBX export against the shipped TBX schema.

use audarma_core::Lang;
use audarma_glossary::exchange::{export, import, to_toml, COLUMNS};
use audarma_glossary::{lint, Concept, Format, Glossary, Holding, Problem};
use std::path::{Path, PathBuf};

fn shipped() -> Glossary {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
    Glossary::load(&[dir]).unwrap_or_else(|e| panic!("shipped glossary does not load:\n{e}"))
}

fn parse(text: &str) -> Glossary {
    let mut g = Glossary::default();
    let mut p = Vec::new();
    g.parse_file(Path::new("g.toml"), text, &mut p);
    assert!(p.is_empty(), "{p:?}");
    g
}

type Key<'a> = (
    &'a str,
    &'a std::collections::BTreeMap<Lang, Vec<String>>,
    &'a std::collections::BTreeMap<Lang, Vec<String>>,
    &'a Option<String>,
    &'a [String],
    Option<bool>,
    bool,
    Option<audarma_glossary::Validity>,
    &'a [String],
    (bool, bool, &'a [String], &'a [Holding], &'a std::collections::BTreeMap<Lang, Vec<String>>),
    &'a [String],
);

/// Every field but `file` and `line`.
fn key(c: &Concept) -> Key<'_> {
    let Concept {
        id,
        terms,
        forbidden,
        note,
        domain,
        case_sensitive,
        dnt,
        valid,
        lint_allow,
        verbatim,
        ambiguous,
        alternatives,
        holds,
        exclude,
        kk_latn,
        file: _,
        line: _,
    } = c;
    (
        id,
        terms,
        forbidden,
        note,
        domain,
        *case_sensitive,
        *dnt,
        *valid,
        lint_allow,
        (*verbatim, *ambiguous, alternatives, holds, exclude),
        kk_latn,
    )
}

fn assert_same(want: &Glossary, got: &Glossary, what: &str) {
    assert_eq!(want.len(), got.len(), "{what}: concept count");
    for (w, g) in want.concepts.iter().zip(&got.concepts) {
        assert_eq!(key(w), key(g), "{what}: concept `{}` changed", w.id);
    }
}

fn ext(f: Format) -> &'static str {
    f.name()
}

/// Export, import, then write TOML and load it: each step must give the same concepts.
fn round_trip(g: &Glossary, format: Format) -> String {
    let what = format!("{format} round trip");
    let text = export(g, format).unwrap_or_else(|e| panic!("{what}: export failed:\n{e}"));
    let file = PathBuf::from(format!("sheet.{}", ext(format)));
    let back = import(&file, &text, format).unwrap_or_else(|e| panic!("{what}: import failed:\n{e}\n{text}"));
    assert_same(g, &back, &what);
    assert!(back.concepts.iter().all(|c| c.file == file && c.line > 0), "{what}: imported concepts name their source");
    let toml = to_toml(&back, "imported");
    let again = parse(&toml);
    assert_same(g, &again, &format!("{what} through TOML"));
    text
}

#[test]
fn the_shipped_glossary_survives_every_format() {
    let g = shipped();
    assert!(g.len() >= 150);
    for format in Format::ALL {
        round_trip(&g, format);
    }
    // What import writes passes lint, as the shipped files do.
    let back = import(Path::new("g.csv"), &export(&g, Format::Csv).unwrap(), Format::Csv).unwrap();
    let problems: Vec<String> = lint(&parse(&to_toml(&back, "x"))).iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

const AWKWARD: &str = r#"
[[concept]]
id = "quotes-and-commas"
en = ["The \"Big\" One, Ltd", "A | B", "back\\slash", "x|y|z"]
kk = ["Қазақстан Республикасы, «Нұр Отан»", "Ә & Ө <ұ>"]
ru = "«Рога и копыта», ООО"
forbidden = { en = ["Kazakstan", "a,b|c"], ru = ["Казахстан | РК", "<b>&amp;</b>"] }
note = "Line one, with \"quotes\" and a | bar;\nline two < three & four > two.\r\nWindows line end, tab\there."
domain = ["state", "a|b", "with, comma"]
case_sensitive = false
valid = { from = "2019-03-23", until = "2022-09-17" }
lint_allow = ["script", "odd|one"]
verbatim = true
alternatives = ["astana-hub", "not-in-this-glossary", "2030-agenda"]
holds = [{ id = "2030-agenda", from = "2019-03-20" }, { id = "ghost" }, { id = "astana-hub", from = "2018-01-01", until = "2019-01-01" }, { id = "x", until = "2020-01-01" }]
exclude = { en = ["the \"Big\" One, Ltd's | bar", "a <b> & c; back\\slash"], kk = ["Қазақстан Республикасы, «Нұр Отан» ішінде"], ru = ["«Рога и копыта», ООО и партнёры", "x|y|z"] }

[[concept]]
id = "astana-hub"
en = "Astana Hub"
kk = "Astana Hub"
ru = "Astana Hub"
dnt = true
case_sensitive = true
valid = { from = "2018-01-01" }
ambiguous = true
alternatives = ["quotes-and-commas"]

[[concept]]
id = "2030-agenda"
en = "2030 Agenda"
kk = "2030 күн тәртібі"
ru = "Повестка дня на период до 2030 года"
valid = { until = "2031-01-01" }
note = "  leading and trailing spaces, kept  "
ambiguous = true
verbatim = false
exclude = { ru = ["до 2030 года"] }
"#;

#[test]
fn awkward_values_survive_csv_and_tbx() {
    let g = parse(AWKWARD);
    let csv = round_trip(&g, Format::Csv);
    // RFC 4180: quoted because of the comma, inner quotes doubled; bars in a term escaped.
    assert!(csv.contains(r#""The ""Big"" One, Ltd | A \| B | back\\slash | x\|y\|z""#), "{csv}");
    assert!(csv.starts_with(&format!("{}\r\n", COLUMNS.join(","))));
    let tbx = round_trip(&g, Format::Tbx);
    assert!(tbx.contains("<term>Ә &amp; Ө &lt;ұ&gt;</term>"), "{tbx}");
    assert!(tbx.contains("<conceptEntry id=\"_2030-agenda\">"), "{tbx}");
    assert!(tbx.contains("line end, tab\there."));
    assert!(tbx.contains("&#13;\n"), "a CR is kept as a reference");
    assert!(tbx.contains(">deprecatedTerm-admn-sts<"));
    // The five relation and sense fields, each in the form the docs give.
    assert!(csv.contains(",true,,astana-hub | not-in-this-glossary | 2030-agenda,"), "{csv}");
    assert!(
        csv.contains("2030-agenda 2019-03-20.. | ghost | astana-hub 2018-01-01..2019-01-01 | x ..2020-01-01,"),
        "{csv}"
    );
    assert!(csv.contains(r#""the ""Big"" One, Ltd's \| bar | a <b> & c; back\\slash""#), "{csv}");
    assert!(tbx.contains("<ref type=\"crossReference\" target=\"_2030-agenda\">2030-agenda</ref>"), "{tbx}");
    assert!(tbx.contains("<admin type=\"x-audarma-alternative\">not-in-this-glossary</admin>"), "{tbx}");
    assert!(tbx.contains("<admin type=\"x-audarma-holds\">x ..2020-01-01</admin>"), "{tbx}");
    assert!(tbx.contains("<admin type=\"x-audarma-exclusion\">a &lt;b&gt; &amp; c; back\\slash</admin>"), "{tbx}");
    let toml = to_toml(&g, "x");
    assert!(toml.contains("holds = [{ id = \"2030-agenda\", from = \"2019-03-20\" }, { id = \"ghost\" }, "), "{toml}");
    assert!(toml.contains("exclude = { en = [\"the \\\"Big\\\" One"), "{toml}");
    assert!(toml.contains("verbatim = true\nalternatives = ["), "{toml}");
    assert_eq!(toml.matches("ambiguous = true").count(), 2, "{toml}");
}

#[test]
fn tsv_carries_what_has_no_tab_or_line_break_and_names_what_does() {
    let g = parse(AWKWARD);
    let err = export(&g, Format::Tsv).unwrap_err().to_string();
    assert!(err.contains("g.toml:2: concept `quotes-and-commas`: note "), "{err}");
    assert!(err.contains("TSV cannot carry"), "{err}");
    let mut clean = g.clone();
    clean.concepts[0].note = Some("One, \"two\" | three <four> & 'five'".into());
    let tsv = round_trip(&clean, Format::Tsv);
    assert!(tsv.contains("\tOne, \"two\" | three <four> & 'five'\t"), "TSV does not quote: {tsv}");
}

fn problems(file: &str, text: &str, format: Format) -> Vec<String> {
    match import(Path::new(file), text, format) {
        Ok(g) => lint(&g).iter().map(Problem::to_string).collect(),
        Err(e) => e.0.iter().map(Problem::to_string).collect(),
    }
}

fn has(problems: &[String], want: &str) {
    assert!(problems.iter().any(|p| p.starts_with(want)), "no {want:?} in {problems:#?}");
}

const TBX_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
"#;

#[test]
fn tbx_import_names_file_line_and_element() {
    let text = format!(
        r#"{TBX_HEAD}<conceptEntry id="senate">
  <admin type="x-audarma-dnt">maybe</admin>
  <admin type="x-audarma-valid-from">2019-02-30</admin>
  <admin type="x-audarma-colour">red</admin>
  <langSec xml:lang="en"><termSec><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
  <langSec xml:lang="de"><termSec><term>Senat</term></termSec></langSec>
  <langSec xml:lang="kk"><termSec><term>Сенат</term><termNote type="administrativeStatus">bestTerm</termNote></termSec></langSec>
</conceptEntry>
<conceptEntry>
  <langSec xml:lang="en"><termSec><term>X</term></termSec></langSec>
</conceptEntry>
<conceptEntry id="no-ru">
  <langSec xml:lang="en"><termSec><term>Y</term></termSec></langSec>
  <langSec xml:lang="kk"><termSec><term>Ы</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"#
    );
    let p = problems("terms.tbx", &text, Format::Tbx);
    has(&p, "terms.tbx:6: <admin type=\"x-audarma-dnt\">: \"maybe\" is not true or false");
    has(&p, "terms.tbx:7: <admin type=\"x-audarma-valid-from\">: \"2019-02-30\" is not a date (YYYY-MM-DD)");
    has(&p, "terms.tbx:8: unknown <admin type=\"x-audarma-colour\">");
    has(&p, "terms.tbx:9: <termSec> has no <term>");
    has(&p, "terms.tbx:10: <langSec xml:lang=\"de\">: audarma glossaries hold en, kk and ru only");
    has(&p, "terms.tbx:11: <termNote type=\"administrativeStatus\">: \"bestTerm\" is not one of");
    has(&p, "terms.tbx:13: <conceptEntry> has no id");
    has(&p, "terms.tbx:16: <conceptEntry id=\"no-ru\"> has no ru term");

    let text = format!(
        r#"{TBX_HEAD}<conceptEntry id="tokayev">
  <admin type="x-audarma-verbatim">yes</admin>
  <admin type="x-audarma-ambiguous">TRUE</admin>
  <admin type="x-audarma-holds">head-of-state 2019-03-20</admin>
  <admin type="x-audarma-holds">head-of-state 2019-03-20..2019-13-01</admin>
  <admin type="x-audarma-exclusion">heads of state</admin>
  <admin type="x-audarma-alternative"> </admin>
  <ref type="crossReference"/>
  <ref type="crossReference" target="_2030-agenda">ignored, the target counts</ref>
  <ref type="crossReference">president</ref>
  <langSec xml:lang="en">
    <admin type="x-audarma-exclusion"></admin>
    <admin type="x-audarma-dnt">true</admin>
    <admin type="x-audarma-exclusion">Tokayev Street</admin>
    <termSec><term>Tokayev</term></termSec>
  </langSec>
  <langSec xml:lang="kk"><termSec><term>Тоқаев</term></termSec></langSec>
  <langSec xml:lang="ru"><termSec><term>Токаев</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"#
    );
    let p = problems("rel.tbx", &text, Format::Tbx);
    has(&p, "rel.tbx:6: <admin type=\"x-audarma-verbatim\">: \"yes\" is not true or false");
    has(&p, "rel.tbx:8: <admin type=\"x-audarma-holds\">: \"head-of-state 2019-03-20\" is not a holding");
    has(&p, "rel.tbx:9: <admin type=\"x-audarma-holds\">: \"2019-13-01\" is not a date");
    has(&p, "rel.tbx:10: <admin type=\"x-audarma-exclusion\"> belongs in the <langSec> of its language");
    has(&p, "rel.tbx:11: <admin type=\"x-audarma-alternative\"> is empty");
    has(&p, "rel.tbx:12: <ref type=\"crossReference\"> names no concept");
    has(&p, "rel.tbx:16: <admin type=\"x-audarma-exclusion\"> is empty");
    has(&p, "rel.tbx:17: <admin type=\"x-audarma-dnt\"> in a <langSec>: only x-audarma-exclusion and x-audarma-kk-latn go there");
    assert_eq!(p.len(), 8, "{p:#?}");
    let fixed: String = text
        .lines()
        .filter(|l| {
            !["yes", "2019-03-20<", "-13-", "heads of", "> <", "Reference\"/>", "></admin>", "dnt"]
                .iter()
                .any(|b| l.contains(b))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let g = import(Path::new("rel.tbx"), &fixed, Format::Tbx).unwrap();
    let c = &g.concepts[0];
    assert!(c.ambiguous && !c.verbatim);
    assert_eq!(c.alternatives, ["2030-agenda", "president"]);
    assert_eq!(c.excluded(Lang::En), ["Tokayev Street"]);
    assert!(c.holds.is_empty());

    let p = problems("broken.tbx", &format!("{TBX_HEAD}<conceptEntry id=\"a\">\n</langSec>"), Format::Tbx);
    has(&p, "broken.tbx:6: not well-formed XML");
    let p = problems("x.tbx", "<?xml version=\"1.0\"?>\n<xliff/>", Format::Tbx);
    has(&p, "x.tbx:2: not a TBX file: the root element is <xliff>");
}

#[test]
fn tbx_import_puts_the_preferred_term_first_and_reads_tbx_2008() {
    let text = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><martifHeader/><text><body>
<termEntry id="c1">
  <descrip type="subjectField">diplomacy</descrip>
  <descrip type="definition">ignored</descrip>
  <note>First &amp; <hi>only</hi> note</note>
  <langSet xml:lang="en-GB">
    <tig><term>Head of the State</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>Head of State</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term><![CDATA[Chief <of> State]]></term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
  </langSet>
  <langSet xml:lang="kk"><tig><term>Мемлекет басшысы</term></tig></langSet>
  <langSet xml:lang="ru"><ntig><termGrp><term>Глава государства</term></termGrp></ntig></langSet>
</termEntry>
</body></text></martif>"#;
    let g = import(Path::new("old.tbx"), text, Format::Tbx).unwrap();
    let c = &g.concepts[0];
    assert_eq!((c.id.as_str(), c.line), ("c1", 3));
    assert_eq!(c.terms(Lang::En), ["Head of State", "Head of the State"]);
    assert_eq!(c.forbidden(Lang::En), ["Chief <of> State"]);
    assert_eq!(c.preferred(Lang::Ru), Some("Глава государства"));
    assert_eq!(c.domain, ["diplomacy"]);
    assert_eq!(c.note.as_deref(), Some("First & only note"));
}

#[test]
fn sheet_import_names_file_line_and_column() {
    // A file from before `verbatim` and the columns after it: still read.
    let header = COLUMNS[..14].join(",");
    let text = format!(
        "{header}\n\
         ok,A,Ә,А,,,,,,,,,,\n\
         bad-domain,B,Б,Б,,,,,a\\b,,,,,\n\
         bad-flags,C,С,С,,,,,,yes,,2020-13-01,,\n\
         \"multi\nline\",D,Д,Д,,,,\"note\"\"\",,,,,2020-01-01,\n\
         short,E,Е\n\
         no-kk,F,,Ф,,,,,,,,,,\n\
         ,,,,,,,,,,,,,\n\
         empty-item,G | | H,Г,Г,,,,,,,,,,\n"
    );
    let p = problems("sheet.csv", &text, Format::Csv);
    has(&p, "sheet.csv:3: column domain: `\\b` is not an escape");
    has(&p, "sheet.csv:4: column case_sensitive: \"yes\" is not true or false");
    has(&p, "sheet.csv:4: column valid_from: \"2020-13-01\" is not a date (YYYY-MM-DD)");
    has(&p, "sheet.csv:7: the row has 3 cells but the header has 14");
    has(&p, "sheet.csv:8: column kk: concept `no-kk` has no kk term");
    has(&p, "sheet.csv:10: column en: an empty value between ` | ` separators");
    assert_eq!(p.len(), 6, "{p:#?}");

    // The newer columns, in another order, with bad values.
    let text = "exclude_ru,holds,id,en,kk,ru,verbatim,alternatives,ambiguous\n\
                в области,,ok,A,Ә,А,,,\n\
                ,x 2019-03-20,h1,B,Б,Б,,,\n\
                ,x 2019-02-30..,h2,C,С,С,yes,a | ,maybe\n\
                \"a\\b\",x | x y..z,h3,D,Д,Д,,,\n";
    let p = problems("new.csv", text, Format::Csv);
    has(&p, "new.csv:3: column holds: \"x 2019-03-20\" is not a holding (a concept id, then from..until");
    has(&p, "new.csv:4: column holds: \"2019-02-30\" is not a date (YYYY-MM-DD)");
    has(&p, "new.csv:4: column verbatim: \"yes\" is not true or false");
    has(&p, "new.csv:4: column alternatives: an empty value between ` | ` separators");
    has(&p, "new.csv:4: column ambiguous: \"maybe\" is not true or false");
    has(&p, "new.csv:5: column exclude_ru: `\\b` is not an escape");
    has(&p, "new.csv:5: column holds: \"y\" is not a date (YYYY-MM-DD)");
    assert_eq!(p.len(), 7, "{p:#?}");

    let p = problems("s.csv", "id,en,kk,ru,colour\n", Format::Csv);
    has(&p, "s.csv:1: unknown column \"colour\"");
    let p = problems("s.tsv", "id\ten\tru\n", Format::Tsv);
    has(&p, "s.tsv:1: no column kk");
    let p = problems("s.csv", "id,en,kk,ru\na,\"b,Ә,В\n", Format::Csv);
    has(&p, "s.csv:2: a quoted field opened here is never closed");
}

#[test]
fn sheets_need_only_the_required_columns_in_any_order() {
    let g = import(
        Path::new("s.tsv"),
        "\u{feff}ru\tkk\ten\tid\nГлава государства\tМемлекет басшысы\tHead of State\thead-of-state\n",
        Format::Tsv,
    )
    .unwrap();
    assert_eq!(g.concepts[0].id, "head-of-state");
    assert_eq!((g.concepts[0].line, g.concepts[0].preferred(Lang::Kk)), (2, Some("Мемлекет басшысы")));
    // Spreadsheets write TRUE, CRLF, and columns without a name.
    let g = import(Path::new("s.csv"), "id,en,kk,ru,dnt,\r\nx,X,X,X,TRUE,\r\n", Format::Csv).unwrap();
    assert!(g.concepts[0].dnt);
    let p = problems("s.csv", "id,en,,kk,ru\nx,X,oops,Х,Х\n", Format::Csv);
    has(&p, "s.csv:2: column 3 has no name but holds \"oops\"");
}

#[test]
fn an_empty_glossary_exports_and_imports() {
    let g = Glossary::default();
    for format in Format::ALL {
        let text = export(&g, format).unwrap();
        assert!(import(Path::new("e"), &text, format).unwrap().is_empty(), "{format}");
    }
}

/// The export of the shipped glossary against the TBX v3 core RELAX NG grammar in /work/shared/schemas
/// (or `$AUDARMA_SCHEMAS`), with xmllint. Skipped, saying so, if either is missing.
#[test]
fn tbx_export_validates_against_the_tbx_core_schema() {
    let schemas =
        std::env::var_os("AUDARMA_SCHEMAS").map(PathBuf::from).unwrap_or_else(|| "/work/shared/schemas".into());
    let rng = schemas.join("catalog/tbx/TBXcoreStructV03.rng");
    if !rng.is_file() {
        println!("SKIPPED: no TBX schema at {}", rng.display());
        return;
    }
    if std::process::Command::new("xmllint").arg("--version").output().is_err() {
        println!("SKIPPED: xmllint is not installed (apt-get install libxml2-utils)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, g) in [("shipped", shipped()), ("awkward", parse(AWKWARD))] {
        let path = dir.path().join(format!("{name}.tbx"));
        std::fs::write(&path, export(&g, Format::Tbx).unwrap()).unwrap();
        let out =
            std::process::Command::new("xmllint").args(["--noout", "--relaxng"]).arg(&rng).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: xmllint rejects the export:\n{}",
            String::from_utf8_lossy(&out.stderr).lines().take(20).collect::<Vec<_>>().join("\n")
        );
    }
}

/// TBX-Basic's Schematron (XSLT 2, which xmllint cannot run) allows these data category types; the
/// export uses them and, for audarma's own fields, only `<admin type="x-audarma-…">`.
#[test]
fn tbx_export_uses_tbx_basic_types_besides_audarmas_own() {
    let tbx = export(&parse(AWKWARD), Format::Tbx).unwrap();
    for (element, allowed) in [
        ("admin", &["customerSubset", "projectSubset", "source"][..]),
        ("descrip", &["subjectField", "context", "definition"][..]),
        ("termNote", &["administrativeStatus", "partOfSpeech", "termType"][..]),
        ("ref", &["crossReference"][..]),
    ] {
        for part in tbx.split(&format!("<{element} type=\"")).skip(1) {
            let kind = &part[..part.find('"').unwrap()];
            assert!(
                allowed.contains(&kind) || (element == "admin" && kind.starts_with("x-audarma-")),
                "<{element} type={kind:?}>"
            );
        }
    }
}

#[test]
fn import_errors_carry_file_and_line_as_fields() {
    let file = Path::new("dir/terms.tbx");
    let text = format!(
        "{TBX_HEAD}<conceptEntry id=\"a\">\n  <admin type=\"x-audarma-valid-from\">2019-02-30</admin>\n</conceptEntry>\n</body></text></tbx>\n"
    );
    let e = import(file, &text, Format::Tbx).unwrap_err();
    let p = e.0.iter().find(|p| p.message.contains("is not a date")).expect("the bad date is a problem");
    assert_eq!((p.file.as_path(), p.line), (file, 6), "{p:?}");
    assert_eq!(p.message, "<admin type=\"x-audarma-valid-from\">: \"2019-02-30\" is not a date (YYYY-MM-DD)");
    assert!(e.to_string().contains("dir/terms.tbx:6: <admin"), "{e}");

    let file = Path::new("dir/terms.csv");
    let e = import(file, "id,en,kk,ru,dnt\nok,A,Ә,А,\nbad,B,Б,Б,maybe\n", Format::Csv).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!((e.0[0].file.as_path(), e.0[0].line), (file, 3));
    assert_eq!(e.0[0].message, "column dnt: \"maybe\" is not true or false");
    assert_eq!(e.to_string(), "dir/terms.csv:3: column dnt: \"maybe\" is not true or false");
}
