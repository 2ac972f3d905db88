//! The admin's election form: the fields as typed, the checks they pass, and the election they
//! describe. Shared by the form page (to show a refused form again with its reasons) and the
//! server's form handlers (which check it before writing anything).

use super::model::{BallotMethod, BasisPoints, PowerSource};
use crate::ui::text::{multi_line, one_line};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 200;
pub const MAX_QUESTION: usize = 500;
pub const MAX_OPTION: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 16;

/// The form's fields as typed. Times are UTC, `YYYY-MM-DDTHH:MM` (a `datetime-local` input)
/// or RFC 3339; shares are percentages; options are one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElectionDraft {
    pub network: String,
    pub title: String,
    pub description: String,
    pub question: String,
    pub options: String,
    pub method: String,
    pub power_source: String,
    pub snapshot_height: String,
    pub quorum: String,
    pub threshold: String,
    pub cap: String,
    /// "on" when the box is ticked (an unticked box is not sent at all).
    pub live_tally_public: Option<String>,
    pub voting_start: String,
    pub voting_end: String,
}

/// An election as the form describes it, every field checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElectionSpec {
    pub network: String,
    pub title: String,
    pub description: String,
    pub question: String,
    pub options: Vec<String>,
    pub method: BallotMethod,
    pub power_source: PowerSource,
    pub snapshot_height: Option<i64>,
    pub quorum: BasisPoints,
    pub threshold: Option<BasisPoints>,
    pub cap: Option<BasisPoints>,
    pub live_tally_public: bool,
    pub voting_start: DateTime<Utc>,
    pub voting_end: DateTime<Utc>,
}

/// A field's problem, named by the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl ElectionDraft {
    /// Checks every field; `networks` are the slugs that may hold an election. All problems
    /// are reported at once.
    pub fn check(&self, networks: &[String]) -> Result<ElectionSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        if !networks.contains(&self.network) {
            fail(
                "network",
                "choose one of the networks this Stakeboard follows".into(),
            );
        }
        let title = one_line(&self.title).trim().to_string();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            fail(
                "title",
                format!("give a title of 1 to {MAX_TITLE} characters"),
            );
        }
        let question = one_line(&self.question).trim().to_string();
        if question.is_empty() || question.chars().count() > MAX_QUESTION {
            fail(
                "question",
                format!("give a question of 1 to {MAX_QUESTION} characters"),
            );
        }
        let description = multi_line(&self.description).trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION {
            fail(
                "description",
                format!("the description is longer than {MAX_DESCRIPTION} characters"),
            );
        }
        let options: Vec<String> = self
            .options
            .lines()
            .map(|l| one_line(l).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
            fail(
                "options",
                format!(
                    "give {MIN_OPTIONS} to {MAX_OPTIONS} options, one per line (there are {})",
                    options.len()
                ),
            );
        }
        if let Some(long) = options.iter().find(|o| o.chars().count() > MAX_OPTION) {
            fail(
                "options",
                format!("option {long:?} is longer than {MAX_OPTION} characters"),
            );
        }
        let mut seen: Vec<String> = Vec::new();
        for option in &options {
            let key = option.to_lowercase();
            if seen.contains(&key) {
                fail("options", format!("option {option:?} is listed twice"));
            }
            seen.push(key);
        }
        let method = BallotMethod::parse(&self.method);
        if method.is_none() {
            fail("method", "choose a ballot method".into());
        }
        let power_source = PowerSource::parse(&self.power_source);
        if power_source.is_none() {
            fail(
                "power_source",
                "choose where the voting power comes from".into(),
            );
        }
        let snapshot_height = match self.snapshot_height.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(h) if h > 0 && power_source == Some(PowerSource::Stake) => Some(h),
                Ok(h) if h > 0 => {
                    fail(
                        "snapshot_height",
                        "a snapshot height applies to the stake source only".into(),
                    );
                    None
                }
                _ => {
                    fail("snapshot_height", format!("{text:?} is not a block height"));
                    None
                }
            },
        };
        let mut share = |field: &str, text: &str, required: bool| match text.trim() {
            "" if !required => None,
            text => match BasisPoints::parse_percent(text) {
                Ok(bp) => Some(bp),
                Err(message) => {
                    fail(field, message);
                    None
                }
            },
        };
        let quorum = share("quorum", &self.quorum, true);
        let threshold = share("threshold", &self.threshold, false);
        let cap = share("cap", &self.cap, false);
        if cap == Some(BasisPoints(0)) {
            fail(
                "cap",
                "a cap of 0 % leaves nobody any power: leave it empty for no cap".into(),
            );
        }
        if threshold.is_some() && method == Some(BallotMethod::Ranked) {
            fail(
                "threshold",
                "ranked choice always ends in a majority of the ballots still counting: leave the threshold empty".into(),
            );
        }
        let voting_start = parse_time(&self.voting_start);
        let voting_end = parse_time(&self.voting_end);
        if voting_start.is_none() {
            fail(
                "voting_start",
                "give the start as YYYY-MM-DD HH:MM (UTC)".into(),
            );
        }
        if voting_end.is_none() {
            fail(
                "voting_end",
                "give the end as YYYY-MM-DD HH:MM (UTC)".into(),
            );
        }
        if let (Some(start), Some(end)) = (voting_start, voting_end) {
            if end <= start {
                fail("voting_end", "the end must come after the start".into());
            }
        }
        match (method, power_source, quorum, voting_start, voting_end) {
            (
                Some(method),
                Some(power_source),
                Some(quorum),
                Some(voting_start),
                Some(voting_end),
            ) if errors.is_empty() => Ok(ElectionSpec {
                network: self.network.clone(),
                title,
                description,
                question,
                options,
                method,
                power_source,
                snapshot_height,
                quorum,
                threshold,
                cap,
                live_tally_public: self.live_tally_public.as_deref() == Some("on"),
                voting_start,
                voting_end,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&ElectionSpec> for ElectionDraft {
    /// The form filled in with an election, to edit it.
    fn from(spec: &ElectionSpec) -> Self {
        let input = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
        Self {
            network: spec.network.clone(),
            title: spec.title.clone(),
            description: spec.description.clone(),
            question: spec.question.clone(),
            options: spec.options.join("\n"),
            method: spec.method.as_str().into(),
            power_source: spec.power_source.as_str().into(),
            snapshot_height: spec
                .snapshot_height
                .map(|h| h.to_string())
                .unwrap_or_default(),
            quorum: spec.quorum.input_value(),
            threshold: spec
                .threshold
                .map(BasisPoints::input_value)
                .unwrap_or_default(),
            cap: spec.cap.map(BasisPoints::input_value).unwrap_or_default(),
            live_tally_public: spec.live_tally_public.then(|| "on".into()),
            voting_start: input(spec.voting_start),
            voting_end: input(spec.voting_end),
        }
    }
}

/// A time as a `datetime-local` input sends it (taken as UTC), with or without seconds, or
/// RFC 3339.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ElectionDraft {
        ElectionDraft {
            network: "cosmoshub".into(),
            title: "Community pool steward".into(),
            description: "Pick **one**.".into(),
            question: "Who should steward the pool?".into(),
            options: "Alice\n\n Bob \nCarol".into(),
            method: "ranked".into(),
            power_source: "validators".into(),
            quorum: "33.4".into(),
            live_tally_public: Some("on".into()),
            voting_start: "2026-12-10T10:00".into(),
            voting_end: "2026-12-12T10:00".into(),
            ..Default::default()
        }
    }

    fn nets() -> Vec<String> {
        vec!["cosmoshub".into()]
    }

    #[test]
    fn a_good_form_becomes_an_election_and_back() {
        let spec = draft().check(&nets()).unwrap();
        assert_eq!(spec.options, vec!["Alice", "Bob", "Carol"]);
        assert_eq!(spec.quorum, BasisPoints(3340));
        assert_eq!(spec.voting_start.to_rfc3339(), "2026-12-10T10:00:00+00:00");
        assert!(spec.live_tally_public);
        let again = ElectionDraft::from(&spec).check(&nets()).unwrap();
        assert_eq!(again, spec);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let mut bad = draft();
        bad.options = "Only one".into();
        bad.threshold = "50".into();
        bad.voting_end = "2026-12-09T10:00".into();
        bad.network = "mars".into();
        bad.snapshot_height = "12".into();
        let fields: Vec<String> = bad
            .check(&nets())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "network",
                "options",
                "snapshot_height",
                "threshold",
                "voting_end"
            ]
        );
        let mut twice = draft();
        twice.options = "Yes\nyes".into();
        assert!(twice.check(&nets()).unwrap_err()[0]
            .message
            .contains("twice"));
        let mut many = draft();
        many.options = (1..=17).map(|i| format!("Option {i}\n")).collect();
        assert!(many.check(&nets()).unwrap_err()[0]
            .message
            .contains("2 to 16"));
        let blank = ElectionDraft {
            network: "cosmoshub".into(),
            ..Default::default()
        };
        assert!(blank.check(&nets()).unwrap_err().len() >= 6);
    }
}
