//! Reading press releases.
//!
//! [`read_file`] turns one `.txt`, `.md` or `.html` file into an [`audarma_core::Release`]: the title,
//! the date (and dateline place), and the body paragraphs cut into sentences, with the page furniture a
//! scraped page carries (site headers, menus, share and print links, "Go back", copyright lines)
//! dropped. [`collect_files`] expands directories. Errors name the file and the reason and never
//! leave anything behind: this crate only reads.

pub mod encoding;
mod furniture;
mod html;
mod json;
mod profile;
mod text;

use audarma_core::{Lang, Paragraph, Release};
use std::path::{Path, PathBuf};

pub use furniture::is_furniture;
pub use json::JsonError;
pub use profile::{ProfileError, SiteProfile};

/// Files larger than this are refused before reading (a release is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Pages nest a few dozen elements deep; HTML parsing is quadratic in nesting (every start tag checks
/// the stack of open elements), so a page nested deeper than this is refused before it is parsed.
pub const MAX_HTML_DEPTH: usize = 512;

/// The extensions read from directories.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "json"];

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: not a text file (binary content)")]
    Binary { path: PathBuf },
    #[error("{path}: cannot decode: not UTF-8, UTF-16, Windows-1251 or KOI8-R text (first bad byte at {offset})")]
    Encoding { path: PathBuf, offset: usize },
    #[error("{path}: mixed encodings: UTF-8 text with another code page from byte {offset}; save it as UTF-8")]
    MixedEncoding { path: PathBuf, offset: usize },
    #[error("{path}: too large ({size} bytes; the limit is {MAX_FILE_BYTES})")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}: not a regular file (a FIFO, socket or device is never read)")]
    NotRegular { path: PathBuf },
    #[error("{path}: HTML nested deeper than {MAX_HTML_DEPTH} elements; not a release page")]
    TooDeep { path: PathBuf },
    #[error("{path}: unsupported file type (expected .txt, .md, .html or .json)")]
    Unsupported { path: PathBuf },
    #[error("{path}: {source}")]
    Json { path: PathBuf, source: json::JsonError },
    #[error("{path}: no release text found (no title or body)")]
    NoText { path: PathBuf },
    #[error("{path}: cannot tell the language; pass --lang en|kk|ru")]
    UnknownLanguage { path: PathBuf },
}

/// The kinds of release documents audarma reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
}

/// The format a file name implies.
pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "html" | "htm" => Some(Format::Html),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Expands the given paths: files as they are, directories into their release files (recursively,
/// sorted, hidden files skipped). A path that does not exist is an error for that path only.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, IngestError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = walk(p, &mut found) {
                out.push(Err(IngestError::Io { path: p.clone(), source: e }));
            }
            found.sort();
            out.extend(found.into_iter().map(Ok));
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory");
            out.push(Err(IngestError::Io { path: p.clone(), source }));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    walk_once(dir, out, &mut seen)
}

/// Walks `dir` unless it was walked already: a symbolic link back up the tree (or two directories
/// linking to each other) is walked once, never in a loop.
fn walk_once(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut std::collections::HashSet<PathBuf>) -> std::io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            walk_once(&path, out, seen)?;
        } else if format_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// Decodes a file's bytes (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1251, KOI8-R),
/// refusing empty, binary and undecodable input with an error naming the file.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, IngestError> {
    match encoding::decode_bytes(bytes) {
        Ok((text, detected)) => {
            if detected != encoding::Detected::Utf8 {
                tracing::debug!(path = %path.display(), encoding = detected.name(), "decoded");
            }
            Ok(text)
        }
        Err(encoding::Undecodable::Empty) => Err(IngestError::Empty { path: path.to_path_buf() }),
        Err(encoding::Undecodable::Binary) => Err(IngestError::Binary { path: path.to_path_buf() }),
        Err(encoding::Undecodable::Unknown(offset)) => Err(IngestError::Encoding { path: path.to_path_buf(), offset }),
        Err(encoding::Undecodable::Mixed(offset)) => {
            Err(IngestError::MixedEncoding { path: path.to_path_buf(), offset })
        }
    }
}

/// What a reader pulls out of a file before sentences and language.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: String,
    pub date: Option<chrono::NaiveDate>,
    pub place: Option<String>,
    pub paragraphs: Vec<String>,
}

/// Reads one release file. `lang` overrides language detection.
pub fn read_file(path: &Path, lang: Option<Lang>) -> Result<Release, IngestError> {
    let format = format_of(path).ok_or_else(|| IngestError::Unsupported { path: path.to_path_buf() })?;
    let io = |e| IngestError::Io { path: path.to_path_buf(), source: e };
    // Only regular files: opening a FIFO would wait for a writer forever, and a device (a link to
    // /dev/zero) reports no size and never ends.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(IngestError::NotRegular { path: path.to_path_buf() });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge { path: path.to_path_buf(), size: meta.len() });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(IngestError::NotRegular { path: path.to_path_buf() });
    }
    // The cap is on the bytes read, not on the size the file reported: it may grow while being read.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64 });
    }
    read_bytes(path, format, &bytes, lang, None)
}

/// Reads a release from bytes already in memory (a fetched page or feed item). `source` names it in
/// errors and in the store (a path or a URL); `profile` is the site's extraction profile, if any.
pub fn read_bytes(
    source: &Path,
    format: Format,
    bytes: &[u8],
    lang: Option<Lang>,
    profile: Option<&SiteProfile>,
) -> Result<Release, IngestError> {
    let text = audarma_text::normalize(&decode(source, bytes)?);
    if matches!(format, Format::Html) && html::nesting_depth(&text) > MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep { path: source.to_path_buf() });
    }
    let (mut extracted, lang) = match format {
        Format::Html => (html::extract_with(&text, profile), lang),
        Format::Text => (text::extract(&text, false), lang),
        Format::Markdown => (text::extract(&text, true), lang),
        Format::Json => {
            let (x, declared) =
                json::extract(&text).map_err(|e| IngestError::Json { path: source.to_path_buf(), source: e })?;
            (x, lang.or(declared))
        }
    };
    if let Some(p) = profile {
        extracted.paragraphs.retain(|para| !p.drops(para));
    }
    build(source.display().to_string(), extracted, lang)
        .ok_or_else(|| IngestError::NoText { path: source.to_path_buf() })?
        .map_err(|()| IngestError::UnknownLanguage { path: source.to_path_buf() })
}

/// The format of a fetched document: from its content type, the URL's extension, and a look at its
/// start (servers do label HTML pages `text/plain`).
pub fn fetched_format(content_type: Option<&str>, url: &str, bytes: &[u8]) -> Format {
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).trim_start().to_ascii_lowercase();
    let looks_html = ["<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<h1"]
        .iter()
        .any(|t| head.starts_with(t));
    if looks_html {
        Format::Html
    } else if ct.contains("json") {
        Format::Json
    } else if ct.starts_with("text/plain") {
        Format::Text
    } else if ct.contains("markdown") {
        Format::Markdown
    } else if ct.contains("html") || ct.is_empty() {
        format_of(Path::new(url.split(['?', '#']).next().unwrap_or(url)))
            .filter(|f| *f != Format::Json || ct.is_empty())
            .unwrap_or(Format::Html)
    } else {
        Format::Html
    }
}

/// Reads a fetched document: `url` names it in errors and in the store, `content_type` is the
/// server's label (see [`fetched_format`]), `profile` the site's extraction profile, if any.
pub fn read_fetched(
    url: &str,
    content_type: Option<&str>,
    bytes: &[u8],
    lang: Option<Lang>,
    profile: Option<&SiteProfile>,
) -> Result<Release, IngestError> {
    read_bytes(Path::new(url), fetched_format(content_type, url, bytes), bytes, lang, profile)
}

/// Reads a feed item that carries its release inline: the item's title, its HTML content (every block
/// of it is body) and its date (a date in the content wins, as on a page). `source` names it.
pub fn read_feed_item(
    source: &str,
    title: &str,
    content_html: &str,
    date: Option<chrono::NaiveDate>,
    lang: Option<Lang>,
) -> Result<Release, IngestError> {
    let title = audarma_text::normalize(title);
    let content = audarma_text::normalize(content_html);
    if html::nesting_depth(&content) > MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep { path: PathBuf::from(source) });
    }
    let mut x = html::extract_fragment(&content, &title);
    x.date = x.date.or(date);
    build(source.to_string(), x, lang)
        .ok_or_else(|| IngestError::NoText { path: PathBuf::from(source) })?
        .map_err(|()| IngestError::UnknownLanguage { path: PathBuf::from(source) })
}

/// A paragraph's own language, when it is clearly not the release's: long enough to judge (five
/// words or more) and detected with high confidence.
fn paragraph_lang(paragraph: &str, release: Lang) -> Option<Lang> {
    if paragraph.split_whitespace().count() < 5 {
        return None;
    }
    audarma_text::detector().detect(paragraph).filter(|d| d.lang != release && d.confidence >= 0.9).map(|d| d.lang)
}

/// Turns extracted text into a release: language, then sentences. `None` when there is no text.
fn build(source: String, x: Extracted, lang: Option<Lang>) -> Option<Result<Release, ()>> {
    if x.title.is_empty() && x.paragraphs.is_empty() {
        return None;
    }
    let lang = match lang {
        Some(l) => l,
        None => {
            let sample: String = std::iter::once(x.title.as_str())
                .chain(x.paragraphs.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            match audarma_text::detector().detect(&sample) {
                Some(d) => d.lang,
                None => return Some(Err(())),
            }
        }
    };
    let paragraphs = x
        .paragraphs
        .iter()
        .map(|p| {
            let own = paragraph_lang(p, lang);
            Paragraph { sentences: audarma_text::segment(p, own.unwrap_or(lang)), lang: own }
        })
        .filter(|p| !p.sentences.is_empty())
        .collect();
    Some(Ok(Release { source, lang, title: x.title, date: x.date, place: x.place, paragraphs }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    // Fixture files, not published output.
    #![allow(clippy::disallowed_methods)]
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn bad_files_get_one_clear_error_each() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 5] = [
            ("empty.txt", b"  \n\n", "empty file"),
            ("zip.html", b"PK\x03\x04\x14\x00\x00\x00binary", "not a text file"),
            ("nul.txt", b"Title\0\0\0", "not a text file"),
            ("bom-only.txt", b"\xff\xfe", "empty file"),
            ("notes.docx", b"whatever", "unsupported file type"),
        ];
        for (name, bytes, want) in cases {
            let p = write(&dir, name, bytes);
            let err = read_file(&p, None).unwrap_err().to_string();
            assert!(err.starts_with(&p.display().to_string()), "{err}");
            assert!(err.contains(want), "{name}: {err}");
            assert!(!err.contains('\n'));
        }
        let missing = collect_files(&[dir.path().join("nope.txt")]);
        assert!(missing[0].as_ref().unwrap_err().to_string().contains("no such file"));
    }

    #[test]
    fn a_windows_1251_release_from_an_old_machine_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Глава государства принял посла\n7 июня 2023 года\n\nСтороны обсудили сотрудничество. Встреча прошла в Акорде.\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let p = write(&dir, "old.txt", &bytes);
        let r = read_file(&p, None).unwrap();
        assert_eq!((r.lang, r.title.as_str()), (Lang::Ru, "Глава государства принял посла"));
        assert_eq!(r.date, chrono::NaiveDate::from_ymd_opt(2023, 6, 7));
        assert_eq!(r.paragraphs[0].sentences.len(), 2);
    }

    #[test]
    fn a_quoted_paragraph_in_another_language_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "kk.txt",
            "Мемлекет басшысы елшіні қабылдады\n2026 жылғы 7 маусым\n\n\
             Ақордада Мемлекет басшысы Жапонияның Қазақстандағы елшісін қабылдады. Тараптар екіжақты ынтымақтастықты талқылады.\n\n\
             Встреча прошла в теплой и дружественной атмосфере, стороны договорились продолжить диалог.\n"
                .as_bytes(),
        );
        let r = read_file(&p, None).unwrap();
        assert_eq!(r.lang, Lang::Kk);
        assert_eq!((r.paragraphs[0].lang, r.paragraphs[1].lang), (None, Some(Lang::Ru)));
    }

    #[test]
    fn paragraphs_full_of_names_keep_the_release_language() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "ru.txt",
            "Аким области встретился с жителями\n7 июня 2026 года\n\n\
             Бауыржан Байбек прибыл в Талдыкорган вместе с Ерланом Кариным.\n\n\
             Аким Жетысуской области Бейбит Исабаев провел встречу с Нурланом Ногаевым.\n\n\
             Серик Жумангарин и Алихан Смаилов осмотрели Жаркентский район.\n"
                .as_bytes(),
        );
        let r = read_file(&p, None).unwrap();
        assert_eq!(r.lang, Lang::Ru);
        assert!(r.paragraphs.iter().all(|p| p.lang.is_none()), "{:?}", r.paragraphs);
        let p = write(
            &dir,
            "kk.txt",
            "Әкім тұрғындармен кездесті\n2026 жылғы 7 маусым\n\n\
             Владимир Путин мен Александр Лукашенко Астанаға келді.\n\n\
             Мемлекет басшысы «Российская газета» басылымына сұхбат берді.\n"
                .as_bytes(),
        );
        let r = read_file(&p, None).unwrap();
        assert_eq!(r.lang, Lang::Kk);
        assert!(r.paragraphs.iter().all(|p| p.lang.is_none()), "{:?}", r.paragraphs);
    }

    #[test]
    fn a_200_megabyte_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.html");
        std::fs::File::create(&p).unwrap().set_len(200 * 1024 * 1024).unwrap();
        let e = read_file(&p, None).unwrap_err().to_string();
        assert!(e.ends_with("huge.html: too large (209715200 bytes; the limit is 20971520)"), "{e}");
    }

    #[test]
    fn directories_expand_to_release_files_only() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir, "b.txt", b"x");
        write(&dir, "a.html", b"x");
        write(&dir, "c.png", b"x");
        write(&dir, ".hidden.txt", b"x");
        let files: Vec<_> = collect_files(&[dir.path().to_path_buf()]).into_iter().map(|f| f.unwrap()).collect();
        let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap().to_str().unwrap().to_string()).collect();
        assert_eq!(names, ["a.html", "b.txt"]);
    }

    #[test]
    fn a_plain_text_release_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "r.txt",
            "Official website of the President of the Republic of Kazakhstan\nHome | News | Press releases\n\n\
             Head of State receives the OSCE Secretary General\n12 March 2026\n\n\
             The Head of State received the OSCE Secretary General. The parties discussed cooperation.\n\n\
             The meeting took place at Akorda.\n\nShare:\nFacebook Twitter Telegram\nGo back\n"
                .as_bytes(),
        );
        let r = read_file(&p, None).unwrap();
        assert_eq!(r.lang, Lang::En);
        assert_eq!(r.title, "Head of State receives the OSCE Secretary General");
        assert_eq!(r.date, chrono::NaiveDate::from_ymd_opt(2026, 3, 12));
        assert_eq!(r.paragraphs.len(), 2);
        assert_eq!(
            r.paragraphs[0].sentences,
            ["The Head of State received the OSCE Secretary General.", "The parties discussed cooperation."]
        );
    }
}
