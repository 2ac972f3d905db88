//! The allowlist an admin uploads for an `allowlist` election: CSV of `address,weight`, one
//! voter per line, weights whole numbers above 0 (base units of voting power). A first line
//! `address,weight` is taken as a header; blank lines and lines starting with `#` are skipped.
//! Every problem is reported with its line number, and nothing is stored unless every line is
//! good.

use crate::address::{check_address, AddressProblem};

/// The longest allowlist taken: a million voters.
pub const MAX_ROWS: usize = 1_000_000;
/// The largest weight one voter may have: with a million voters the total stays far inside
/// the counts' 128-bit arithmetic.
pub const MAX_WEIGHT: u128 = 1_000_000_000_000_000_000_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowlistRow {
    pub address: String,
    pub weight: u128,
}

/// Reads the CSV for a network whose accounts start with `prefix`. On refusal, at most the
/// first 20 problems, each `line N: …`.
pub fn parse(csv: &str, prefix: &str) -> Result<Vec<AllowlistRow>, Vec<String>> {
    let mut rows: Vec<AllowlistRow> = Vec::new();
    let mut problems = Vec::new();
    let mut first_line: std::collections::HashMap<String, usize> = Default::default();
    for (i, raw) in csv.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if n == 1 && line.replace(' ', "").eq_ignore_ascii_case("address,weight") {
            continue;
        }
        let mut parts = line.split(',').map(str::trim);
        let (Some(address), Some(weight), None) = (parts.next(), parts.next(), parts.next()) else {
            problems.push(format!("line {n}: expected address,weight"));
            continue;
        };
        let address = match check_address(address, prefix) {
            Ok(a) => a,
            Err(AddressProblem::WrongPrefix { expected, got }) => {
                problems.push(format!(
                    "line {n}: not a {expected}1… address (it starts with {got}1)"
                ));
                continue;
            }
            Err(problem) => {
                problems.push(format!("line {n}: {problem}"));
                continue;
            }
        };
        let weight = match weight.parse::<u128>() {
            Ok(w) if w > 0 && w <= MAX_WEIGHT => w,
            _ => {
                problems.push(format!(
                    "line {n}: the weight {weight:?} is not a whole number from 1 to 10^30"
                ));
                continue;
            }
        };
        if let Some(before) = first_line.insert(address.clone(), n) {
            problems.push(format!("line {n}: {address} is already on line {before}"));
            continue;
        }
        rows.push(AllowlistRow { address, weight });
        if rows.len() > MAX_ROWS {
            problems.push(format!("line {n}: more than {MAX_ROWS} voters"));
            break;
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("the allowlist holds no voter".into());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        problems.truncate(20);
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4";
    const B: &str = "cosmos1hsk6jryyqjfhp5dhc55tc9jtckygx0eph6dd02";

    #[test]
    fn a_good_list_is_read_with_or_without_a_header() {
        let rows = parse(
            &format!("address,weight\n{A},10\n\n# a comment\n{B}, 5\n"),
            "cosmos",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            AllowlistRow {
                address: B.into(),
                weight: 5
            }
        );
        assert_eq!(parse(&format!("{A},1"), "cosmos").unwrap().len(), 1);
    }

    #[test]
    fn every_bad_line_is_named() {
        let csv = format!("{A},10\n{A},3\nnot-an-address,1\n{B},0\n{B},1.5\n{B}\nosmo1abc,1\n");
        let problems = parse(&csv, "cosmos").unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems[0].starts_with("line 2:") && problems[0].contains("already on line 1"));
        assert!(problems[1].starts_with("line 3:"));
        assert!(problems[2].starts_with("line 4:") && problems[2].contains("not a whole number"));
        assert!(problems[3].starts_with("line 5:"));
        assert!(problems[4].starts_with("line 6:") && problems[4].contains("address,weight"));
        assert!(problems[5].starts_with("line 7:"));
        assert_eq!(
            parse("address,weight\n", "cosmos").unwrap_err(),
            vec!["the allowlist holds no voter"]
        );
        let upper = format!("{},2", A.to_uppercase());
        assert_eq!(parse(&upper, "cosmos").unwrap()[0].address, A);
    }
}
