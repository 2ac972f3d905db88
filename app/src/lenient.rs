//! Lenient number parsing for LCD JSON: the SDK sends integers and decimals as strings, some
//! nodes and proxies as numbers. Garbage is still an error.

use serde::{de::Error, Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum StrOrNum {
    Str(String),
    Num(serde_json::Number),
}

impl StrOrNum {
    fn text(self) -> String {
        match self {
            StrOrNum::Str(s) => s.trim().to_string(),
            StrOrNum::Num(n) => n.to_string(),
        }
    }
}

pub fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let text = StrOrNum::deserialize(d)?.text();
    text.parse()
        .map_err(|_| D::Error::custom(format!("expected an unsigned integer, got {text:?}")))
}

pub fn u128<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
    let text = StrOrNum::deserialize(d)?.text();
    text.parse()
        .map_err(|_| D::Error::custom(format!("expected an unsigned integer, got {text:?}")))
}

/// A missing or empty value becomes `None`.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<StrOrNum>::deserialize(d)? {
        None => Ok(None),
        Some(v) => {
            let text = v.text();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| {
                D::Error::custom(format!("expected an unsigned integer, got {text:?}"))
            })
        }
    }
}

/// A non-negative decimal such as `"0.050000000000000000"`, kept as its exact text.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = StrOrNum::deserialize(d)?.text();
    if is_decimal(&text) {
        Ok(text)
    } else {
        Err(D::Error::custom(format!(
            "expected a decimal number, got {text:?}"
        )))
    }
}

/// Like [`decimal`], but a missing or empty value becomes `None`.
pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<StrOrNum>::deserialize(d)? {
        None => Ok(None),
        Some(v) => {
            let text = v.text();
            if text.is_empty() {
                Ok(None)
            } else if is_decimal(&text) {
                Ok(Some(text))
            } else {
                Err(D::Error::custom(format!(
                    "expected a decimal number, got {text:?}"
                )))
            }
        }
    }
}

fn is_decimal(text: &str) -> bool {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "u128")]
        n: u128,
        #[serde(deserialize_with = "decimal")]
        d: String,
        #[serde(default, deserialize_with = "opt_u64")]
        o: Option<u64>,
    }

    #[test]
    fn strings_and_numbers_both_parse() {
        let t: T = serde_json::from_str(r#"{"n":"12","d":"0.05","o":7}"#).unwrap();
        assert_eq!((t.n, t.d.as_str(), t.o), (12, "0.05", Some(7)));
        let t: T = serde_json::from_str(r#"{"n":12,"d":"1","o":""}"#).unwrap();
        assert_eq!((t.n, t.o), (12, None));
    }

    #[test]
    fn garbage_is_refused() {
        assert!(serde_json::from_str::<T>(r#"{"n":"-1","d":"0.1"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"n":"1","d":"1e5"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"n":"1","d":"0.1; drop table"}"#).is_err());
    }
}
