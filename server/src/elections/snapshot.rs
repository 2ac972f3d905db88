//! The power snapshot as `snapshot.csv`: a header `address,power,delegate`, then one row per
//! holding sorted by address then delegate (`delegate` empty unless the power is delegated
//! stake that follows the delegate's ballot). The snapshot root is the RFC 6962 root over the
//! rows' bytes (without their line ends), in that order.

use super::tally::Holding;
use app::elections::merkle;

pub const HEADER: &str = "address,power,delegate";

/// Sorts holdings into the snapshot's order.
pub fn sort(holdings: &mut [Holding]) {
    holdings.sort_by(|a, b| {
        a.address
            .cmp(&b.address)
            .then_with(|| a.delegate.cmp(&b.delegate))
    });
}

pub fn row(h: &Holding) -> String {
    format!(
        "{},{},{}",
        h.address,
        h.power,
        h.delegate.as_deref().unwrap_or("")
    )
}

/// The CSV of holdings already in the snapshot's order.
pub fn to_csv(holdings: &[Holding]) -> String {
    let mut csv = String::with_capacity(holdings.len() * 64 + HEADER.len() + 1);
    csv.push_str(HEADER);
    csv.push('\n');
    for h in holdings {
        csv.push_str(&row(h));
        csv.push('\n');
    }
    csv
}

/// Hex root over holdings already in the snapshot's order.
pub fn root(holdings: &[Holding]) -> String {
    let leaves: Vec<merkle::Hash> = holdings
        .iter()
        .map(|h| merkle::leaf_hash(row(h).as_bytes()))
        .collect();
    hex::encode(merkle::root(&leaves))
}

/// Reads `snapshot.csv` back (the offline verifier); the error names the line.
pub fn parse_csv(text: &str) -> Result<Vec<Holding>, String> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(format!("snapshot.csv must start with the header {HEADER}"));
    }
    lines
        .enumerate()
        .map(|(i, line)| {
            let bad = || {
                format!(
                    "snapshot.csv line {}: {line:?} is not address,power,delegate",
                    i + 2
                )
            };
            let mut parts = line.split(',');
            let (Some(address), Some(power), Some(delegate), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            Ok(Holding {
                address: address.to_string(),
                delegate: (!delegate.is_empty()).then(|| delegate.to_string()),
                power: power.parse().map_err(|_| bad())?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_reads_back_and_the_root_commits_to_every_row() {
        let mut holdings = vec![
            Holding {
                address: "b".into(),
                delegate: Some("v".into()),
                power: 5,
            },
            Holding {
                address: "a".into(),
                delegate: None,
                power: 7,
            },
            Holding {
                address: "b".into(),
                delegate: Some("u".into()),
                power: 1,
            },
        ];
        sort(&mut holdings);
        let csv = to_csv(&holdings);
        assert_eq!(csv, "address,power,delegate\na,7,\nb,1,u\nb,5,v\n");
        assert_eq!(parse_csv(&csv).unwrap(), holdings);
        let before = root(&holdings);
        holdings[2].power = 6;
        assert_ne!(root(&holdings), before);
        assert!(parse_csv("address,power,delegate\na,x,\n")
            .unwrap_err()
            .contains("line 2"));
        assert!(parse_csv("a,1,\n").is_err());
    }
}
