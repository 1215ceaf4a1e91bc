use std::fmt;
use std::str::FromStr;

/// A language audarma translates between. The order (en, kk, ru) is the display order everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Kk,
    Ru,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?} (expected en, kk or ru)")]
pub struct ParseLangError(pub String);

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Kk, Lang::Ru];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        }
    }

    /// The two languages that are not this one, in display order.
    pub fn others(self) -> impl Iterator<Item = Lang> {
        Lang::ALL.into_iter().filter(move |l| *l != self)
    }

    /// Whether the language is written in Cyrillic.
    pub fn is_cyrillic(self) -> bool {
        matches!(self, Lang::Kk | Lang::Ru)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = ParseLangError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "kk" => Ok(Lang::Kk),
            "ru" => Ok(Lang::Ru),
            _ => Err(ParseLangError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_rejects_others() {
        assert_eq!("KK".parse::<Lang>(), Ok(Lang::Kk));
        assert_eq!(" ru ".parse::<Lang>(), Ok(Lang::Ru));
        assert!("kz".parse::<Lang>().is_err());
        assert_eq!(Lang::Kk.others().collect::<Vec<_>>(), vec![Lang::En, Lang::Ru]);
    }

    #[test]
    fn serde_uses_codes() {
        assert_eq!(serde_json::to_string(&Lang::Ru).unwrap_or_default(), "\"ru\"");
    }
}
