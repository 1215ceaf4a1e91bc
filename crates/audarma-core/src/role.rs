//! What a desk user may do. Parsed once where a role enters (CLI argument, API body, form field, the
//! store's row); an unknown role is refused there, never taken for another.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Translators edit and comment and take jobs; reviewers also approve, reject and assign jobs to
/// anyone; admins may do everything. Glossary maintainers read and comment (on terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Translator,
    Reviewer,
    Glossary,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Translator, Role::Reviewer, Role::Glossary, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Translator => "translator",
            Role::Reviewer => "reviewer",
            Role::Glossary => "glossary",
            Role::Admin => "admin",
        }
    }

    pub fn can_edit(self) -> bool {
        matches!(self, Role::Translator | Role::Reviewer | Role::Admin)
    }

    /// Marking a finding "not a problem" and adding a word to a word list: translators, reviewers, admins.
    pub fn can_judge_findings(self) -> bool {
        self.can_edit()
    }

    pub fn can_review(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
    }

    pub fn can_manage_users(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("role {0:?}: one of translator, reviewer, glossary, admin")]
pub struct ParseRoleError(pub String);

impl std::str::FromStr for Role {
    type Err = ParseRoleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| ParseRoleError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn roles_parse_exactly_and_unknown_ones_are_refused() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert_eq!(
            "Admin".parse::<Role>().unwrap_err().to_string(),
            "role \"Admin\": one of translator, reviewer, glossary, admin"
        );
        assert!("".parse::<Role>().is_err());
        assert!(!Role::Glossary.can_edit() && Role::Translator.can_edit() && !Role::Translator.can_review());
    }
}
