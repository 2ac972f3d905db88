//! Spam and phishing proposals: short texts with links and airdrop/claim wording, or a deposit
//! far below the minimum. Such proposals carry a warning and their links are not clickable.
//!
//! Tuned on the Cosmos Hub's recorded history: every phishing proposal there is under 700
//! characters, while real proposals that mention an airdrop or rewards are long and link to a
//! forum; a length bound keeps those from being flagged.

/// Words and phrases phishing proposals use to lure people to a link.
const LURES: [&str; 11] = [
    "airdrop",
    "giveaway",
    "claim here",
    "claim now",
    "claim your",
    "claim airdrop",
    "free tokens",
    "bonus",
    "wallet connect",
    "connect your wallet",
    "eligibility",
];

/// Texts longer than this are discussions, not lures.
const LURE_TEXT_MAX: usize = 1500;

/// A deposit below this share of the minimum deposit is suspicious.
const LOW_DEPOSIT: f64 = 0.1;

/// Why a proposal looks like spam; empty when it does not.
pub fn reasons(
    title: &str,
    summary: &str,
    deposit: Option<f64>,
    min_deposit: Option<f64>,
) -> Vec<String> {
    let text = format!("{title}\n{summary}").to_lowercase();
    let mut reasons = Vec::new();
    let has_link = text.contains("http://")
        || text.contains("https://")
        || text.contains("www.")
        || has_bare_domain(&text);
    let lures: Vec<&str> = LURES.iter().copied().filter(|w| text.contains(w)).collect();
    if has_link && !lures.is_empty() && summary.chars().count() < LURE_TEXT_MAX {
        reasons.push(format!(
            "links together with “{}” wording",
            lures.join("”, “")
        ));
    }
    if let (Some(deposit), Some(min)) = (deposit, min_deposit) {
        if min > 0.0 && deposit < min * LOW_DEPOSIT {
            reasons.push(format!(
                "deposit is {:.1}% of the minimum",
                deposit / min * 100.0
            ));
        }
    }
    reasons
}

fn has_bare_domain(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "()[]<>\"'".contains(c))
        .any(|word| {
            let word = word.trim_end_matches(['.', ',', '!', '?', ':']);
            let Some((name, tld)) = word.rsplit_once('.') else {
                return false;
            };
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
                && [
                    "at", "com", "io", "net", "org", "xyz", "app", "site", "top", "zone", "live",
                    "network",
                ]
                .contains(&tld)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_airdrop_proposal_is_spam() {
        let title = "💎ATOM AirDrop ✅ - New AirDrop Checker ⭐";
        let summary = "Get 💎ATOM Airdrop ✅ visiting url: [www.TerraPro.at][1] ⭐";
        let reasons = reasons(title, summary, Some(250.0), Some(250.0));
        assert_eq!(
            reasons,
            vec!["links together with “airdrop” wording".to_string()]
        );
    }

    #[test]
    fn honest_proposals_are_not() {
        assert!(reasons(
            "Gaia v22 Software Upgrade",
            "See https://github.com/cosmos/gaia for the release.",
            Some(500.0),
            Some(500.0)
        )
        .is_empty());
        assert!(reasons(
            "Claim the community pool",
            "Text only, no link.",
            None,
            None
        )
        .is_empty());
        let long = format!(
            "Transfer unclaimed airdrop tokens. Discussion: https://forum.cosmos.network/t/1 {}",
            "Rationale. ".repeat(200)
        );
        assert!(reasons("Airdrop leftovers", &long, None, None).is_empty());
    }

    #[test]
    fn lures_without_scheme_and_tiny_deposits_are_caught() {
        assert_eq!(
            reasons("Free airdrop", "go to terra-claim.xyz now", None, None).len(),
            1
        );
        let low = reasons("Signalling", "plain text", Some(1.0), Some(250.0));
        assert_eq!(low, vec!["deposit is 0.4% of the minimum".to_string()]);
    }
}
