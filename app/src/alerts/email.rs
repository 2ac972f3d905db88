//! A subscriber's e-mail address: a type that can only hold a valid, normalised address.
//! Parsing is strict on purpose (ASCII `local@domain.tld`, no quoting, no spaces or control
//! characters): an address that reaches a mail header must not be able to carry another header.

use serde::{Deserialize, Serialize};
use std::fmt;

/// RFC 5321's limits.
const MAX_LEN: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubscriberEmail(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("enter an e-mail address")]
    Empty,
    #[error("that address is too long (at most 254 characters)")]
    TooLong,
    #[error("an e-mail address needs one @ with a name before it and a domain after it")]
    Shape,
    #[error("the part before the @ may hold letters, digits and . _ % + - ' only")]
    Local,
    #[error("the domain after the @ is not valid (for example: example.org)")]
    Domain,
}

impl SubscriberEmail {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let lower = trimmed.to_ascii_lowercase();
        let (local, domain) = lower.split_once('@').ok_or(EmailError::Shape)?;
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return Err(EmailError::Shape);
        }
        if !valid_local(local) {
            return Err(EmailError::Local);
        }
        if !valid_domain(domain) {
            return Err(EmailError::Domain);
        }
        Ok(Self(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn valid_local(local: &str) -> bool {
    local.len() <= MAX_LOCAL
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    labels.len() >= 2
        && tld_ok
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl fmt::Display for SubscriberEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SubscriberEmail {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_are_trimmed_and_lower_cased() {
        let email = SubscriberEmail::parse("  Alice.Smith+gov@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "alice.smith+gov@example.org");
        assert!(SubscriberEmail::parse("o'neil@sub.mail-host.co").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused_with_the_reason() {
        assert_eq!(SubscriberEmail::parse("   "), Err(EmailError::Empty));
        assert_eq!(SubscriberEmail::parse("alice"), Err(EmailError::Shape));
        assert_eq!(
            SubscriberEmail::parse("alice@@example.org"),
            Err(EmailError::Shape)
        );
        assert_eq!(
            SubscriberEmail::parse("@example.org"),
            Err(EmailError::Shape)
        );
        assert_eq!(SubscriberEmail::parse("alice@"), Err(EmailError::Shape));
        assert_eq!(
            SubscriberEmail::parse("al ice@example.org"),
            Err(EmailError::Local)
        );
        assert_eq!(
            SubscriberEmail::parse("\"alice\"@example.org"),
            Err(EmailError::Local)
        );
        assert_eq!(
            SubscriberEmail::parse("a..b@example.org"),
            Err(EmailError::Local)
        );
        assert_eq!(
            SubscriberEmail::parse("alice@localhost"),
            Err(EmailError::Domain)
        );
        assert_eq!(
            SubscriberEmail::parse("alice@exa_mple.org"),
            Err(EmailError::Domain)
        );
        assert_eq!(
            SubscriberEmail::parse("alice@-x.org"),
            Err(EmailError::Domain)
        );
        assert_eq!(
            SubscriberEmail::parse("alice@x.o1"),
            Err(EmailError::Domain)
        );
        assert_eq!(
            SubscriberEmail::parse("ålice@example.org"),
            Err(EmailError::Local)
        );
    }

    #[test]
    fn header_injection_attempts_are_refused() {
        for raw in [
            "alice@example.org\r\nBcc: victim@example.org",
            "alice@example.org\nSubject: hi",
            "alice\r\n@example.org",
            "alice@example.org%0d%0abcc:x@y.org",
            "alice@example.org>, <bob@example.org",
            "alice@exam\0ple.org",
        ] {
            assert!(SubscriberEmail::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn oversized_addresses_are_refused() {
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert_eq!(SubscriberEmail::parse(&long_local), Err(EmailError::Local));
        let huge = format!("a@{}.org", "b".repeat(300));
        assert_eq!(SubscriberEmail::parse(&huge), Err(EmailError::TooLong));
        let long_label = format!("a@{}.org", "b".repeat(64));
        assert_eq!(SubscriberEmail::parse(&long_label), Err(EmailError::Domain));
    }
}
