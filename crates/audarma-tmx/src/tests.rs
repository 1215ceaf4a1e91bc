#![allow(clippy::unwrap_used)]
use super::*;
use chrono::TimeZone;

fn reader(bytes: Vec<u8>) -> Reader<Box<dyn std::io::BufRead + Send>> {
    Reader::new(decoded(std::io::Cursor::new(bytes)).unwrap()).unwrap()
}

fn all(bytes: Vec<u8>) -> (Header, Vec<Tu>) {
    let mut r = reader(bytes);
    let mut tus = Vec::new();
    while let Some(tu) = r.next_tu().unwrap() {
        tus.push(tu);
    }
    (r.header().clone(), tus)
}

fn error(text: &str) -> String {
    let mut r = match Reader::new(decoded(std::io::Cursor::new(text.as_bytes().to_vec())).unwrap()) {
        Ok(r) => r,
        Err(e) => return e.to_string(),
    };
    loop {
        match r.next_tu() {
            Ok(Some(_)) => {}
            Ok(None) => panic!("read without error: {text}"),
            Err(e) => return e.to_string(),
        }
    }
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>\n";

fn file(body: &str) -> String {
    format!("{HEAD}{body}</body>\n</tmx>\n")
}

fn at(y: i32, mo: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap()
}

fn unit(s: Lang, t: Lang, source: &str, target: &str) -> TmUnit {
    TmUnit::new(s, t, source, target)
}

#[test]
fn what_the_writer_writes_reads_back_as_the_same_units() {
    let mut written = vec![
        unit(
            Lang::En,
            Lang::Kk,
            "The Head of State met the OSCE Secretary General.",
            "Мемлекет басшысы ЕҚЫҰ Бас хатшысымен кездесті.",
        ),
        unit(Lang::En, Lang::Kk, "Tom & Jerry <b> \"quoted\"\nsecond line\r\nthird", "Том & Джерри <b> «тырнақша»"),
    ];
    written[0].created_at = Some(at(2025, 11, 3, 9));
    written[0].created_by = Some("dana \"d\" & co".into());
    let mut w = Writer::new(Vec::new(), Lang::En, Lang::Kk, "0.1.0").unwrap();
    for u in &written {
        w.unit(u).unwrap();
    }
    assert_eq!(w.units(), 2);
    let bytes = w.finish().unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains(
            "<!DOCTYPE tmx PUBLIC \"-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN\" \"tmx14.dtd\">"
        ),
        "{text}"
    );
    assert!(text.contains("creationdate=\"20251103T090000Z\" creationid=\"dana &quot;d&quot; &amp; co\""), "{text}");
    assert!(text.find("xml:lang=\"en\"").unwrap() < text.find("xml:lang=\"kk\"").unwrap(), "source first");
    let (header, tus) = all(bytes);
    assert_eq!(header.srclang, "en");
    assert_eq!(header.version, "1.4");
    let read: Vec<TmUnit> = tus.iter().flat_map(|tu| units(tu, &header.srclang).units).collect();
    assert_eq!(read, written);
}

#[test]
fn the_writer_refuses_another_pair_and_characters_xml_cannot_carry() {
    let mut w = Writer::new(Vec::new(), Lang::En, Lang::Kk, "0").unwrap();
    let e = w.unit(&unit(Lang::Ru, Lang::Kk, "a", "b")).unwrap_err();
    assert_eq!(e.to_string(), "a ru→kk unit in a en→kk file");
    let e = w.unit(&unit(Lang::En, Lang::Kk, "bell\u{7}", "b")).unwrap_err();
    assert!(e.to_string().contains("U+0007"), "{e}");
    assert_eq!(w.units(), 0);
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn reads_utf16_with_and_without_a_bom_utf8_with_a_bom_and_a_declared_8bit_encoding() {
    let body = "<tu><tuv xml:lang=\"ru-RU\"><seg>Глава государства</seg></tuv><tuv xml:lang=\"kk-KZ\"><seg>Мемлекет басшысы</seg></tuv></tu>\n";
    let text = file(body).replace("srclang=\"en\"", "srclang=\"ru-RU\"");
    let expected = vec![unit(Lang::Ru, Lang::Kk, "Глава государства", "Мемлекет басшысы")];
    let utf16_text = text.replace("UTF-8", "UTF-16");
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    for (what, bytes) in [
        ("utf-8", text.as_bytes().to_vec()),
        ("utf-8 bom", bom8),
        ("utf-16le bom", utf16(&utf16_text, true, true)),
        ("utf-16be bom", utf16(&utf16_text, false, true)),
        ("utf-16le", utf16(&utf16_text, true, false)),
        ("utf-16be", utf16(&utf16_text, false, false)),
    ] {
        let (header, tus) = all(bytes);
        let read: Vec<TmUnit> = tus.iter().flat_map(|tu| units(tu, &header.srclang).units).collect();
        assert_eq!(read, expected, "{what}");
    }
    // Russian in windows-1251, as old desktop tools wrote it.
    let cp = text
        .replace("UTF-8", "windows-1251")
        .replace("<tuv xml:lang=\"kk-KZ\"><seg>Мемлекет басшысы", "<tuv xml:lang=\"en\"><seg>Head of State");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&cp);
    let (header, tus) = all(bytes.into_owned());
    assert_eq!(
        units(&tus[0], &header.srclang).units,
        vec![unit(Lang::Ru, Lang::En, "Глава государства", "Head of State")]
    );
}

#[test]
fn inline_codes_are_left_out_and_marked_and_highlighted_text_is_kept() {
    let body = "<tu><tuv xml:lang=\"en\"><seg>Press <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>Enter<ept i=\"1\">&lt;/b&gt;</ept> to <hi type=\"em\">continue</hi><ph x=\"2\">&lt;br/&gt;</ph></seg></tuv>\
                <tuv xml:lang=\"kk\"><seg>Жалғастыру үшін <hi>Enter</hi> басыңыз</seg></tuv></tu>\n";
    let (_, tus) = all(file(body).into_bytes());
    assert_eq!(tus[0].variants[0].text, "Press Enter to continue");
    assert!(tus[0].variants[0].codes);
    assert_eq!(tus[0].variants[1].text, "Жалғастыру үшін Enter басыңыз");
    assert!(!tus[0].variants[1].codes);
}

#[test]
fn pairs_follow_srclang_of_the_unit_or_the_header_and_all_pairs_every_way() {
    let body = "<tu srclang=\"ru\"><tuv xml:lang=\"en\"><seg>E</seg></tuv><tuv xml:lang=\"ru\"><seg>R</seg></tuv><tuv xml:lang=\"kk\"><seg>K</seg></tuv></tu>\n";
    let (header, tus) = all(file(body).into_bytes());
    let got = units(&tus[0], &header.srclang);
    assert_eq!(got.units, vec![unit(Lang::Ru, Lang::En, "R", "E"), unit(Lang::Ru, Lang::Kk, "R", "K")]);
    assert!(got.skipped.is_empty());
    let got = units(&Tu { srclang: None, ..tus[0].clone() }, "*all*");
    assert_eq!(got.units.len(), 6);
    assert!(got.units.contains(&unit(Lang::Kk, Lang::En, "K", "E")));
    assert_eq!(units(&Tu { srclang: None, ..tus[0].clone() }, "EN-US").units.len(), 2);
}

#[test]
fn what_cannot_become_a_unit_is_said() {
    let v = |lang: &str, text: &str| Variant { lang: lang.into(), text: text.into(), ..Variant::default() };
    let tu = |variants: Vec<Variant>| Tu { variants, ..Tu::default() };
    let got = units(&tu(vec![v("en", "A"), v("de-DE", "D"), v("kk-Latn", "Q"), v("kk", "K"), v("kk", "K2")]), "en");
    assert_eq!(got.units, vec![unit(Lang::En, Lang::Kk, "A", "K")]);
    assert_eq!(
        got.skipped,
        vec![
            Skip::OtherLanguage("de-DE".into()),
            Skip::OtherLanguage("kk-Latn".into()),
            Skip::RepeatedLanguage(Lang::Kk)
        ]
    );
    assert_eq!(units(&tu(vec![v("en", "A"), v("de", "D")]), "en").skipped.last(), Some(&Skip::Alone));
    assert_eq!(units(&tu(vec![v("ru", "R"), v("kk", "K")]), "de").skipped, vec![Skip::NoSource("de".into())]);
    let got = units(&tu(vec![v("en", "A"), v("kk", "  "), v("ru", "R")]), "en");
    assert_eq!(got.units, vec![unit(Lang::En, Lang::Ru, "A", "R")]);
    assert_eq!(got.skipped, vec![Skip::Empty(Lang::Kk)]);
    let got = units(&tu(vec![v("en", ""), v("kk", "K")]), "en");
    assert!(got.units.is_empty());
    assert_eq!(got.skipped, vec![Skip::Empty(Lang::En)]);
    assert_eq!(Skip::NoSource("de".into()).to_string(), "no variant in the source language de");
}

#[test]
fn a_unit_is_dated_by_its_target_variant_then_by_the_tu_change_before_creation() {
    let body = "<tu creationdate=\"20200101T000000Z\" creationid=\"tu-author\">\
        <tuv xml:lang=\"en\"><seg>A</seg></tuv>\
        <tuv xml:lang=\"kk\" creationdate=\"20210101T000000Z\" creationid=\"kk-author\" changedate=\"20220101T100000Z\"><seg>K</seg></tuv>\
        <tuv xml:lang=\"ru\"><seg>R</seg></tuv></tu>\n";
    let (header, tus) = all(file(body).into_bytes());
    let got = units(&tus[0], &header.srclang).units;
    assert_eq!((got[0].created_at, got[0].created_by.as_deref()), (Some(at(2022, 1, 1, 10)), Some("kk-author")));
    assert_eq!((got[1].created_at, got[1].created_by.as_deref()), (Some(at(2020, 1, 1, 0)), Some("tu-author")));
}

#[test]
fn tmx_1_1_lang_attributes_notes_props_and_comments_are_read() {
    let text = "<?xml version=\"1.0\"?>\n<!-- exported -->\n<tmx version=\"1.1\"><header srclang=\"en\"><prop type=\"x\">p</prop></header><body>\
        <tu tuid=\"7\"><note>n</note><prop type=\"client\">c</prop><tuv lang=\"EN\"><prop type=\"x\">y</prop><seg>A</seg></tuv><tuv lang=\"KK\"><seg><![CDATA[K & <K>]]></seg></tuv></tu>\
        </body></tmx>";
    let (header, tus) = all(text.as_bytes().to_vec());
    assert_eq!(header.version, "1.1");
    assert_eq!(tus[0].tuid.as_deref(), Some("7"));
    assert_eq!(units(&tus[0], &header.srclang).units, vec![unit(Lang::En, Lang::Kk, "A", "K & <K>")]);
}

#[test]
fn bad_files_are_refused_with_the_line() {
    let tu = "<tu><tuv xml:lang=\"en\"><seg>A</seg></tuv><tuv xml:lang=\"kk\"><seg>K</seg></tuv></tu>\n";
    assert_eq!(error("<xliff version=\"1.2\"/>"), "line 1: the root element is <xliff>, not <tmx>: not a TMX file");
    assert_eq!(error(""), "line 1: no <tmx> element: not a TMX file");
    assert_eq!(
        error(&file(tu).replace("version=\"1.4\"", "version=\"2.0\"")),
        "line 2: TMX version \"2.0\": audarma reads 1.1 to 1.4"
    );
    assert_eq!(
        error(&file(tu).replace(" srclang=\"en\"", "")),
        "line 3: <header> has no srclang (the source language)"
    );
    assert_eq!(error(&file(&format!("{tu}<tu>\n</tu>\n"))), "line 6: a <tu> without <tuv>");
    assert_eq!(error(&file(&tu.replace(" xml:lang=\"kk\"", ""))), "line 5: a <tuv> without xml:lang");
    assert_eq!(error(&file(&tu.replace("<seg>K</seg>", ""))), "line 5: a <tuv> without <seg>");
    assert_eq!(
        error(&file(&tu.replace("<tu>", "<tu creationdate=\"2024-05-01\">"))),
        "line 5: creationdate \"2024-05-01\" is not a TMX date (YYYYMMDDThhmmssZ)"
    );
    assert_eq!(
        error(&file(&tu.replace("A</seg>", "<g id=\"1\">A</g></seg>"))),
        "line 5: <g> in a <seg>: not TMX 1.4 inline markup"
    );
    let cut = file(&tu.repeat(3));
    assert_eq!(error(&cut[..cut.rfind("K</seg>").unwrap() + 1]), "line 7: the file ends inside a <seg> (cut short?)");
    assert!(error(&cut[..cut.len() - 40]).starts_with("line 7: not well-formed XML"));
    assert_eq!(error(&format!("{HEAD}{tu}")), "line 6: the file ends inside <body> (cut short?)");
    assert!(error(&file(&tu.replace("</seg></tuv></tu>", "</seg></tu>"))).starts_with("line 5: not well-formed XML"));
    let mut latin1 = file(tu).into_bytes();
    let at = latin1.windows(1).position(|w| w == b"A").unwrap();
    latin1[at] = 0xC9;
    let mut r = Reader::new(decoded(std::io::Cursor::new(latin1)).unwrap()).unwrap();
    assert!(r.next_tu().unwrap_err().to_string().contains("not UTF-8"));
}

#[test]
fn languages_are_read_from_tags() {
    for (tag, lang) in
        [("en", Some(Lang::En)), ("en-GB", Some(Lang::En)), ("ru_RU", Some(Lang::Ru)), ("KK-Cyrl-KZ", Some(Lang::Kk))]
    {
        assert_eq!(lang_of(tag), lang, "{tag}");
    }
    for tag in ["kk-Latn", "kk-latn-KZ", "de", "", "*all*"] {
        assert_eq!(lang_of(tag), None, "{tag}");
    }
}
