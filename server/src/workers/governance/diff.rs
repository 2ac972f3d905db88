//! The vote diff: what a poll of a proposal's votes adds to what is stored. Pure, so it is
//! tested without a chain or a database.

use app::governance::ballot::Ballot;
use std::collections::HashMap;

/// A vote seen for the first time, or a voter's changed vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteChange {
    pub voter: String,
    /// Canonical ballot text.
    pub options: String,
    /// yes, no, abstain, no_with_veto or weighted.
    pub kind: String,
    /// The kind of the stored ballot this vote replaces; `None` for a first vote.
    pub replaced: Option<&'static str>,
}

impl VoteChange {
    pub fn is_first(&self) -> bool {
        self.replaced.is_none()
    }
}

/// `known` maps voters to their stored canonical ballots; `fetched` is the chain's current list.
/// A voter missing from `fetched` is left alone: votes only disappear when the chain prunes them.
pub fn diff(
    known: &HashMap<String, String>,
    fetched: &[(String, String, String)],
) -> Vec<VoteChange> {
    fetched
        .iter()
        .filter_map(|(voter, options, kind)| match known.get(voter) {
            Some(stored) if stored == options => None,
            stored => Some(VoteChange {
                voter: voter.clone(),
                options: options.clone(),
                kind: kind.clone(),
                replaced: stored.map(|s| Ballot::parse_canonical(s).map_or("", |b| b.kind())),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(voter: &str, options: &str) -> (String, String, String) {
        let kind = if options.contains(',') {
            "weighted"
        } else {
            options
        };
        (voter.into(), options.into(), kind.into())
    }

    fn known(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(v, o)| (v.to_string(), o.to_string()))
            .collect()
    }

    #[test]
    fn new_changed_weighted_and_unchanged_votes() {
        let stored = known(&[("alice", "yes"), ("bob", "no")]);
        let fetched = [
            vote("alice", "yes"),
            vote("bob", "no_with_veto"),
            vote("carol", "yes:0.6,abstain:0.4"),
        ];
        let changes = diff(&stored, &fetched);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            (
                changes[0].voter.as_str(),
                changes[0].options.as_str(),
                changes[0].replaced
            ),
            ("bob", "no_with_veto", Some("no"))
        );
        assert_eq!(
            (
                changes[1].voter.as_str(),
                changes[1].kind.as_str(),
                changes[1].is_first()
            ),
            ("carol", "weighted", true)
        );
    }

    #[test]
    fn a_repoll_with_no_change_gives_nothing() {
        let stored = known(&[("alice", "yes"), ("bob", "no")]);
        assert!(diff(&stored, &[vote("alice", "yes"), vote("bob", "no")]).is_empty());
    }

    #[test]
    fn votes_pruned_after_the_end_are_not_changes() {
        let stored = known(&[("alice", "yes"), ("bob", "no")]);
        assert!(
            diff(&stored, &[]).is_empty(),
            "an empty list never deletes the record"
        );
    }
}
