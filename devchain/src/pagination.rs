//! The SDK's `pagination.*` query parameters, applied to a list kept in store-key order.

use crate::error::ChainError;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// The SDK's default page size when `pagination.limit` is absent.
pub const DEFAULT_LIMIT: usize = 100;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageRequest {
    pub key: Option<Vec<u8>>,
    pub offset: Option<usize>,
    pub limit: usize,
    pub count_total: bool,
    pub reverse: bool,
}

impl PageRequest {
    pub fn from_query(query: &HashMap<String, String>) -> Result<Self, ChainError> {
        let key = match query.get("pagination.key").filter(|k| !k.is_empty()) {
            Some(k) => Some(
                B64.decode(k)
                    .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(k))
                    .map_err(|_| ChainError::invalid("invalid pagination key"))?,
            ),
            None => None,
        };
        let offset = parse_number(query, "pagination.offset")?;
        if key.is_some() && offset.is_some_and(|o| o > 0) {
            return Err(ChainError::invalid(
                "either offset or key is expected, got both",
            ));
        }
        let limit = parse_number(query, "pagination.limit")?
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_LIMIT);
        Ok(Self {
            key,
            offset,
            limit,
            count_total: parse_bool(query, "pagination.count_total")?,
            reverse: parse_bool(query, "pagination.reverse")?,
        })
    }

    /// One page of `items` (already sorted by `key_of`) and the response's `pagination` object.
    pub fn apply<T: Clone>(&self, items: &[T], key_of: impl Fn(&T) -> Vec<u8>) -> (Vec<T>, Value) {
        let ordered: Vec<&T> = if self.reverse {
            items.iter().rev().collect()
        } else {
            items.iter().collect()
        };
        let start = match &self.key {
            Some(key) => ordered
                .iter()
                .position(|item| {
                    let k = key_of(item);
                    if self.reverse {
                        k <= *key
                    } else {
                        k >= *key
                    }
                })
                .unwrap_or(ordered.len()),
            None => self.offset.unwrap_or(0).min(ordered.len()),
        };
        let end = (start + self.limit).min(ordered.len());
        let page: Vec<T> = ordered[start..end]
            .iter()
            .map(|item| (*item).clone())
            .collect();
        let next_key = ordered.get(end).map(|item| B64.encode(key_of(item)));
        // Like the SDK, the total is only counted when asked for and when paging by offset.
        let total = if self.count_total && self.key.is_none() {
            items.len()
        } else {
            0
        };
        (
            page,
            json!({ "next_key": next_key, "total": total.to_string() }),
        )
    }

    /// One page of a map kept in store-key order, read as a range of the map: a page at any
    /// depth costs what the first does (a 100,000-vote list is read in 100 pages).
    pub fn apply_map<V: Clone>(&self, items: &BTreeMap<Vec<u8>, V>) -> (Vec<V>, Value) {
        let key = self.key.as_deref();
        let mut range: Box<dyn Iterator<Item = (&Vec<u8>, &V)>> = match (key, self.reverse) {
            (Some(key), false) => Box::new(items.range(key.to_vec()..)),
            (Some(key), true) => Box::new(items.range(..=key.to_vec()).rev()),
            (None, false) => Box::new(items.iter().skip(self.offset.unwrap_or(0))),
            (None, true) => Box::new(items.iter().rev().skip(self.offset.unwrap_or(0))),
        };
        let page: Vec<V> = range
            .by_ref()
            .take(self.limit)
            .map(|(_, v)| v.clone())
            .collect();
        let next_key = range.next().map(|(k, _)| B64.encode(k));
        let total = if self.count_total && self.key.is_none() {
            items.len()
        } else {
            0
        };
        (
            page,
            json!({ "next_key": next_key, "total": total.to_string() }),
        )
    }
}

fn parse_number(query: &HashMap<String, String>, name: &str) -> Result<Option<usize>, ChainError> {
    match query.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ChainError::invalid(format!("invalid {name}: {v}"))),
    }
}

fn parse_bool(query: &HashMap<String, String>, name: &str) -> Result<bool, ChainError> {
    match query.get(name).map(String::as_str) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(v) => Err(ChainError::invalid(format!("invalid {name}: {v}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn keys(n: u8) -> Vec<u8> {
        (0..n).collect()
    }

    #[test]
    fn key_pages_walk_the_whole_list_once() {
        let items = keys(25);
        let mut request = PageRequest::from_query(&query(&[("pagination.limit", "10")])).unwrap();
        let mut seen = Vec::new();
        loop {
            let (page, pagination) = request.apply(&items, |i| vec![*i]);
            seen.extend(page);
            match pagination["next_key"].as_str() {
                Some(next) => request.key = Some(B64.decode(next).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn map_pages_match_list_pages_in_both_directions() {
        let items = keys(25);
        let map: BTreeMap<Vec<u8>, u8> = items.iter().map(|i| (vec![*i], *i)).collect();
        for reverse in [false, true] {
            let mut request = PageRequest {
                limit: 7,
                reverse,
                ..PageRequest::default()
            };
            loop {
                let (page, pagination) = request.apply(&items, |i| vec![*i]);
                let (map_page, map_pagination) = request.apply_map(&map);
                assert_eq!((map_page, &map_pagination), (page, &pagination));
                match pagination["next_key"].as_str() {
                    Some(next) => request.key = Some(B64.decode(next).unwrap()),
                    None => break,
                }
            }
        }
        let offset = PageRequest {
            offset: Some(20),
            limit: 10,
            count_total: true,
            ..PageRequest::default()
        };
        assert_eq!(offset.apply_map(&map), offset.apply(&items, |i| vec![*i]));
    }

    #[test]
    fn offset_and_count_total() {
        let items = keys(25);
        let request = PageRequest::from_query(&query(&[
            ("pagination.offset", "20"),
            ("pagination.count_total", "true"),
        ]))
        .unwrap();
        let (page, pagination) = request.apply(&items, |i| vec![*i]);
        assert_eq!(page, vec![20, 21, 22, 23, 24]);
        assert_eq!(pagination["total"], "25");
        assert!(pagination["next_key"].is_null());
    }

    #[test]
    fn total_is_zero_unless_asked() {
        let (_, pagination) = PageRequest::from_query(&query(&[]))
            .unwrap()
            .apply(&keys(3), |i| vec![*i]);
        assert_eq!(pagination["total"], "0");
    }

    #[test]
    fn reverse_runs_backwards() {
        let request = PageRequest::from_query(&query(&[
            ("pagination.reverse", "true"),
            ("pagination.limit", "2"),
        ]))
        .unwrap();
        let (page, _) = request.apply(&keys(5), |i| vec![*i]);
        assert_eq!(page, vec![4, 3]);
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(PageRequest::from_query(&query(&[("pagination.limit", "ten")])).is_err());
        assert!(PageRequest::from_query(&query(&[("pagination.key", "!!!")])).is_err());
        assert!(PageRequest::from_query(&query(&[
            ("pagination.key", "AA=="),
            ("pagination.offset", "3")
        ]))
        .is_err());
    }
}
