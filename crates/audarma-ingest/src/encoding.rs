//! Decoding release files: UTF-8 (with or without BOM), UTF-16 with a BOM, and the single-byte
//! Cyrillic code pages old Windows and Unix machines still produce (Windows-1251, KOI8-R), told apart
//! by which decoding gives ordinary lower-case Cyrillic text.

use encoding_rs::{Encoding, KOI8_R, UTF_16BE, UTF_16LE, WINDOWS_1251};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1251,
    Koi8R,
}

impl Detected {
    pub fn name(self) -> &'static str {
        match self {
            Detected::Utf8 => "UTF-8",
            Detected::Utf16Le => "UTF-16LE",
            Detected::Utf16Be => "UTF-16BE",
            Detected::Windows1251 => "windows-1251",
            Detected::Koi8R => "KOI8-R",
        }
    }
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecodable {
    Empty,
    Binary,
    /// Not UTF-8, and no Cyrillic code page gives plausible text; the offset of the first bad byte.
    Unknown(usize),
    /// Part UTF-8 and part a single-byte code page (pasted together); the offset of the first bad byte.
    Mixed(usize),
}

/// A score of how much `s` looks like real Cyrillic prose: lower-case letters of the most frequent
/// Russian and Kazakh letters count for, upper-case ones (what a wrong code page produces) against.
fn cyrillic_score(s: &str) -> i64 {
    s.chars()
        .map(|c| match c {
            'о' | 'е' | 'а' | 'и' | 'н' | 'т' | 'с' | 'р' | 'в' | 'л' | 'к' | 'м' | 'д' | 'п' | 'у' => 2,
            'а'..='я' | 'ё' => 1,
            'А'..='Я' | 'Ё' => -1,
            '\u{80}'..='\u{bf}' | '\u{2500}'..='\u{25ff}' => -3,
            _ => 0,
        })
        .sum()
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Option<String> {
    let (s, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors).then(|| s.into_owned())
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"%PDF") || head.starts_with(b"\x7fELF") {
        return true;
    }
    if head.starts_with(b"\x89PNG") || head.starts_with(b"\xff\xd8\xff") || head.starts_with(b"GIF8") {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) && b != 0x1b).count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

/// Decodes a release file's bytes to a string (not yet normalised).
pub fn decode_bytes(bytes: &[u8]) -> Result<(String, Detected), Undecodable> {
    let utf16 = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Some(decode_with(UTF_16LE, rest).map(|s| (s, Detected::Utf16Le)))
    } else {
        bytes.strip_prefix(b"\xFE\xFF").map(|rest| decode_with(UTF_16BE, rest).map(|s| (s, Detected::Utf16Be)))
    };
    if let Some(decoded) = utf16 {
        return match decoded {
            Some((s, _)) if s.trim().is_empty() => Err(Undecodable::Empty),
            Some((s, d)) if !s.contains('\0') => Ok((s, d)),
            _ => Err(Undecodable::Binary),
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Undecodable::Empty);
    }
    if looks_binary(bytes) {
        return Err(Undecodable::Binary);
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), Detected::Utf8)),
        Err(e) => e.valid_up_to(),
    };
    // Many well-formed two-byte Cyrillic UTF-8 sequences beside invalid bytes: two files pasted
    // together. Decoding either way would garble half of it.
    let utf8_cyrillic =
        bytes.windows(2).filter(|w| matches!(w[0], 0xD0..=0xD3) && (0x80..=0xBF).contains(&w[1])).count();
    if utf8_cyrillic >= 8 {
        return Err(Undecodable::Mixed(utf8_error));
    }
    let candidates = [(WINDOWS_1251, Detected::Windows1251), (KOI8_R, Detected::Koi8R)];
    let best = candidates
        .iter()
        .filter_map(|(enc, d)| decode_with(enc, bytes).map(|s| (cyrillic_score(&s), s, *d)))
        .max_by_key(|(score, _, _)| *score);
    match best {
        Some((score, s, d)) if score > 0 => Ok((s, d)),
        _ => Err(Undecodable::Unknown(utf8_error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RU: &str = "Глава государства провел переговоры с Президентом Монголии. Стороны обсудили сотрудничество.";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_bytes(RU.as_bytes()), Ok((RU.to_string(), Detected::Utf8)));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), RU.as_bytes()].concat();
        assert_eq!(decode_bytes(&with_bom), Ok((RU.to_string(), Detected::Utf8)));
    }

    #[test]
    fn utf16_with_bom() {
        let (le, _, _) = UTF_16LE.encode(RU);
        // encoding_rs encodes UTF-16 as UTF-8 (the WHATWG rule), so build the bytes by hand.
        assert!(!le.is_empty());
        let mut bytes = vec![0xFF, 0xFE];
        for u in RU.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode_bytes(&bytes), Ok((RU.to_string(), Detected::Utf16Le)));
        let mut bytes = vec![0xFE, 0xFF];
        for u in RU.encode_utf16() {
            bytes.extend(u.to_be_bytes());
        }
        assert_eq!(decode_bytes(&bytes), Ok((RU.to_string(), Detected::Utf16Be)));
    }

    #[test]
    fn windows_1251_and_koi8_r_are_told_apart() {
        let (cp1251, _, _) = WINDOWS_1251.encode(RU);
        assert_eq!(decode_bytes(&cp1251), Ok((RU.to_string(), Detected::Windows1251)));
        let (koi8, _, _) = KOI8_R.encode(RU);
        assert_eq!(decode_bytes(&koi8), Ok((RU.to_string(), Detected::Koi8R)));
        let short = "Привет";
        let (koi8, _, _) = KOI8_R.encode(short);
        assert_eq!(decode_bytes(&koi8).map(|(s, _)| s), Ok(short.to_string()));
    }

    #[test]
    fn mixed_encodings_are_refused() {
        let (cp1251, _, _) = WINDOWS_1251.encode("Вторая часть в кодировке Windows.");
        let mixed = [RU.as_bytes(), b"\n", &cp1251].concat();
        assert_eq!(decode_bytes(&mixed), Err(Undecodable::Mixed(RU.len() + 1)));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode_bytes(b""), Err(Undecodable::Empty));
        assert_eq!(decode_bytes(b" \n\t"), Err(Undecodable::Empty));
        assert_eq!(decode_bytes(b"PK\x03\x04rest"), Err(Undecodable::Binary));
        assert_eq!(decode_bytes(b"\x89PNG\r\n\x1a\n...."), Err(Undecodable::Binary));
        assert_eq!(decode_bytes(b"text\0with nul"), Err(Undecodable::Binary));
    }
}
