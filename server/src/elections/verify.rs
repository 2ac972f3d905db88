//! `stakeboard election verify BUNDLE`: recounts a bundle with nothing but the bundle. Every
//! check is listed with what it found; the bundle matches only if every one passes:
//! the plan hashes to the published plan hash; the snapshot gives the plan's root and power;
//! every ballot is canonical, correctly signed by an eligible voter, for this plan, received
//! while voting was open, and the ledger's chain links them all to the published head; the
//! count of each voter's last ballot under the plan's rules gives the published results, and
//! those ballots give the published root.

use super::{
    bundle::{Bundle, ElectionFacts, LedgerLine, Roots},
    plan::Plan,
    snapshot, tally,
};
use app::elections::{
    ballot::SignedBallot, ballots::check, ledger, merkle, model::ElectionResults,
};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub what: String,
    pub outcome: Result<String, String>,
}

/// Every check made, in order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    fn fail(&mut self, what: &str, problem: impl Into<String>) {
        self.checks.push(Check {
            what: what.into(),
            outcome: Err(problem.into()),
        });
    }

    fn check(&mut self, what: &str, outcome: Result<String, String>) {
        self.checks.push(Check {
            what: what.into(),
            outcome,
        });
    }

    pub fn matches(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.outcome.is_ok())
    }

    /// The report as the command prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.checks {
            match &c.outcome {
                Ok(found) => out.push_str(&format!("ok    {}: {found}\n", c.what)),
                Err(problem) => out.push_str(&format!("FAIL  {}: {problem}\n", c.what)),
            }
        }
        out.push_str(if self.matches() {
            "MATCH: the recount gives the published results and roots\n"
        } else {
            "MISMATCH: the bundle does not prove the published results\n"
        });
        out
    }
}

fn parse<T: serde::de::DeserializeOwned>(bundle: &Bundle, name: &str) -> Result<T, String> {
    serde_json::from_slice(bundle.file(name)?).map_err(|e| format!("{name} cannot be read: {e}"))
}

/// Recounts `bundle`.
pub fn verify(bundle: &Bundle) -> Report {
    let mut report = Report::default();
    if let Err(problem) = recount(bundle, &mut report) {
        report.fail("bundle", problem);
    }
    report
}

fn recount(bundle: &Bundle, report: &mut Report) -> Result<(), String> {
    let facts: ElectionFacts = parse(bundle, "election.json")?;
    let roots: Roots = parse(bundle, "roots.json")?;
    let published: ElectionResults = parse(bundle, "results.json")?;
    let plan_text = bundle.text("plan.json")?;
    let plan: Plan =
        serde_json::from_str(plan_text).map_err(|e| format!("plan.json cannot be read: {e}"))?;
    let plan_hash = hex::encode(Sha256::digest(plan_text.as_bytes()));
    report.check(
        "plan",
        if plan.canonical() != plan_text {
            Err("plan.json is not in canonical form".into())
        } else if plan_hash != roots.plan_hash {
            Err(format!(
                "plan.json hashes to {plan_hash}, the published plan hash is {}",
                roots.plan_hash
            ))
        } else if plan.election != facts.id {
            Err(format!(
                "the plan is election #{}'s, the bundle is #{}'s",
                plan.election, facts.id
            ))
        } else {
            Ok(format!(
                "election #{} \"{}\", plan hash {plan_hash}",
                plan.election, plan.title
            ))
        },
    );

    let holdings = snapshot::parse_csv(bundle.text("snapshot.csv")?)?;
    let mut sorted = holdings.clone();
    snapshot::sort(&mut sorted);
    let root = snapshot::root(&holdings);
    let eligible: u128 = holdings
        .iter()
        .fold(0, |sum, h| sum.saturating_add(h.power));
    report.check(
        "snapshot",
        if sorted != holdings {
            Err("snapshot.csv is not in the snapshot's order (address, then delegate)".into())
        } else if root != plan.snapshot.root || root != roots.snapshot_root {
            Err(format!(
                "its root is {root}; the plan says {}, the page {}",
                plan.snapshot.root, roots.snapshot_root
            ))
        } else if eligible.to_string() != plan.snapshot.eligible_power {
            Err(format!(
                "its power adds up to {eligible}, the plan says {}",
                plan.snapshot.eligible_power
            ))
        } else {
            Ok(format!(
                "{} rows, {} base units of power, root {root}",
                holdings.len(),
                eligible
            ))
        },
    );

    let voters: HashSet<&str> = holdings
        .iter()
        .flat_map(|h| std::iter::once(h.address.as_str()).chain(h.delegate.as_deref()))
        .collect();
    let text = bundle.text("ballots.jsonl")?;
    let terms = plan.terms(&plan_hash);
    let (mut head, mut count) = (plan_hash.clone(), 0i64);
    let mut last: HashMap<String, (i64, String, app::elections::choice::Choice)> = HashMap::new();
    let mut problems: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as i64 + 1;
        let mut problem = |p: String| {
            if problems.len() < 20 {
                problems.push(format!("ballot {n}: {p}"));
            }
        };
        let entry: LedgerLine = match serde_json::from_str(line) {
            Ok(e) => e,
            Err(e) => {
                problem(format!("cannot be read: {e}"));
                continue;
            }
        };
        let ballot: SignedBallot = match serde_json::from_str(entry.ballot.get()) {
            Ok(b) => b,
            Err(e) => {
                problem(format!("not a signed ballot: {e}"));
                continue;
            }
        };
        let canonical = ballot.canonical();
        let hash = ledger::ballot_hash(&canonical);
        if canonical != entry.ballot.get() || hash != entry.ballot_hash {
            problem(format!(
                "its hash is {hash}, the ledger says {}",
                entry.ballot_hash
            ));
        }
        head = ledger::next(&head, &hash);
        count = n;
        if entry.position != n || head != entry.chain_hash {
            problem(format!(
                "the chain breaks here (position {}, chain hash {})",
                entry.position, entry.chain_hash
            ));
        }
        if !(facts.voting_start..facts.voting_end).contains(&entry.received_at) {
            problem(format!(
                "received at {}, outside the voting time",
                entry.received_at
            ));
        }
        if !voters.contains(ballot.signer.as_str()) {
            problem(format!("{} is not in the snapshot", ballot.signer));
        }
        match check(&ballot, &terms) {
            Ok(data) => {
                last.insert(ballot.signer.clone(), (n, hash, data.choice));
            }
            Err(p) => problem(p),
        }
    }
    report.check(
        "ballots",
        if problems.is_empty() {
            Ok(format!("{count} ballots, each signed by an eligible voter for this plan, in the voting time"))
        } else {
            Err(problems.join("; "))
        },
    );
    report.check(
        "ledger",
        if count != roots.ballots || head != roots.chain_head {
            Err(format!(
                "{count} ballots ending at {head}; the page says {} ending at {}",
                roots.ballots, roots.chain_head
            ))
        } else {
            Ok(format!("head {head}"))
        },
    );

    let choices: HashMap<String, app::elections::choice::Choice> = last
        .iter()
        .map(|(voter, (_, _, choice))| (voter.clone(), choice.clone()))
        .collect();
    let results = tally::count(&plan.rules(), &holdings, &choices, count as u64);
    report.check(
        "results",
        if results == published {
            Ok(format!(
                "{:?}, turnout {:.2} %",
                results.verdict,
                results.turnout * 100.0
            ))
        } else {
            Err(format!(
                "the recount gives {}, the published results are {}",
                serde_json::to_string(&results).unwrap_or_default(),
                serde_json::to_string(&published).unwrap_or_default()
            ))
        },
    );
    let mut counted: Vec<(i64, &String)> = last.values().map(|(p, h, _)| (*p, h)).collect();
    counted.sort();
    let leaves: Vec<merkle::Hash> = counted
        .iter()
        .map(|(_, h)| merkle::leaf_hash(&hex::decode(h).unwrap_or_default()))
        .collect();
    let ballots_root = hex::encode(merkle::root(&leaves));
    report.check(
        "counted ballots root",
        if ballots_root == roots.ballots_root {
            Ok(format!(
                "{} counted ballots, root {ballots_root}",
                leaves.len()
            ))
        } else {
            Err(format!(
                "the counted ballots give {ballots_root}, the page says {}",
                roots.ballots_root
            ))
        },
    );
    Ok(())
}
