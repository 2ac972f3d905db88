//! Lists that page by key: a page is the rows after a cursor in a stable order, read as an
//! index range, so a page at any depth costs what the first one does (OFFSET walks every
//! skipped row). A cursor is the key of the last row of a page, written as text for `?after=`;
//! clients treat it as opaque and pass back the `next` of the page before.

use chrono::{DateTime, Utc};

/// The largest page any list gives.
pub const MAX_LIMIT: i64 = 1000;

/// A list's position key, written `part.part…` (times as µs since 1970, addresses as they are).
pub trait PageKey: Sized {
    fn encode(&self) -> String;
    /// Reads a key written by [`PageKey::encode`]; `Err` when `text` is none.
    fn decode(text: &str) -> Option<Self>;

    /// [`PageKey::decode`] with the error a client is shown.
    fn parse(text: &str) -> Result<Self, String> {
        Self::decode(text)
            .ok_or_else(|| format!("invalid after {text:?}: use the next value of a previous page"))
    }
}

/// An optional key as a request gives it: absent or empty is `None`, one that cannot be read
/// an error a client is shown.
pub fn optional_key<K: PageKey>(text: Option<&str>) -> Result<Option<K>, String> {
    text.filter(|t| !t.is_empty()).map(K::parse).transpose()
}

/// Rows read with one more than `limit`: the page, and the `after` of the next page when that
/// further row exists (so a cursor never leads to an empty page).
pub fn page_of<T, K: PageKey>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let next = more.then(|| rows.last().map(|r| key(r).encode())).flatten();
    (rows, next)
}

/// The parts of a key: `n` of them, none empty.
pub fn parts(text: &str, n: usize) -> Option<Vec<&str>> {
    let parts: Vec<&str> = text.splitn(n, '.').collect();
    (parts.len() == n && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

/// A time part: µs since 1970.
pub fn time_part(at: DateTime<Utc>) -> String {
    at.timestamp_micros().to_string()
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(text.parse().ok()?)
}

/// An address part: ASCII letters and digits, as bech32 addresses are.
pub fn parse_address(text: &str) -> Option<String> {
    (text.len() <= 128 && text.chars().all(|c| c.is_ascii_alphanumeric())).then(|| text.to_string())
}

pub fn parse_number(text: &str) -> Option<i64> {
    text.parse().ok().filter(|n: &i64| *n >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Key(i64);

    impl PageKey for Key {
        fn encode(&self) -> String {
            self.0.to_string()
        }
        fn decode(text: &str) -> Option<Self> {
            parse_number(text).map(Key)
        }
    }

    #[test]
    fn the_row_past_the_limit_gives_the_next_cursor_and_is_dropped() {
        let (rows, next) = page_of(vec![5, 4, 3], 2, |r| Key(*r));
        assert_eq!((rows, next.as_deref()), (vec![5, 4], Some("4")));
        let (rows, next) = page_of(vec![2, 1], 2, |r| Key(*r));
        assert_eq!((rows, next), (vec![2, 1], None));
    }

    #[test]
    fn bad_cursors_are_refused_with_the_reason() {
        assert_eq!(Key::parse("12"), Ok(Key(12)));
        for bad in ["", "-1", "x", "1.5"] {
            assert!(
                Key::parse(bad).unwrap_err().starts_with("invalid after"),
                "{bad}"
            );
        }
        assert_eq!(parts("1.cosmos1x", 2), Some(vec!["1", "cosmos1x"]));
        assert_eq!(parts("1.", 2), None);
        assert_eq!(parse_address("cosmos1<x"), None);
    }
}
