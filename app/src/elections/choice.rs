//! What a ballot chooses, and the rules each ballot method puts on it. Options are numbered from
//! 1, as the election page shows them. In JSON a choice is `"abstain"`, a list of option numbers
//! (`[2]` single, `[1, 3]` approval, `[3, 1, 2]` ranked, most preferred first), or for weighted
//! ballots a list of `{"option": 1, "weight": "0.6"}` whose weights (decimals, at most 18
//! places) sum to exactly 1. Shared by the browser form, the server and the offline verifier.

use super::model::BallotMethod;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// One unit of weight: weights are fixed-point with 18 decimals, as x/gov's.
pub const WEIGHT_ONE: u128 = 1_000_000_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Counts toward the quorum only.
    Abstain,
    /// Option numbers: one (single), a set (approval) or an order of preference (ranked).
    Options(Vec<u16>),
    /// Weighted: each option with its share of the voter's power.
    Weights(Vec<Weight>),
}

/// One part of a weighted ballot. Fields in this order: the signed JSON is canonical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weight {
    pub option: u16,
    /// A decimal from 0 to 1 with at most 18 places ("0.6").
    pub weight: String,
}

impl Serialize for Choice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Choice::Abstain => serializer.serialize_str("abstain"),
            Choice::Options(options) => options.serialize(serializer),
            Choice::Weights(weights) => weights.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            Numbers(Vec<u16>),
            Weights(Vec<Weight>),
        }
        match Raw::deserialize(deserializer).map_err(|_| {
            de::Error::custom(
                "a choice is \"abstain\", a list of option numbers, or a list of {\"option\", \"weight\"}",
            )
        })? {
            Raw::Word(word) if word == "abstain" => Ok(Choice::Abstain),
            Raw::Word(word) => Err(de::Error::custom(format!(
                "unknown choice {word:?}: the only word a choice can be is \"abstain\""
            ))),
            Raw::Numbers(options) => Ok(Choice::Options(options)),
            Raw::Weights(weights) => Ok(Choice::Weights(weights)),
        }
    }
}

impl Choice {
    /// Checks the choice against the election's method and its number of options; the error
    /// says what is wrong in words a voter understands.
    pub fn validate(&self, method: BallotMethod, options: usize) -> Result<(), String> {
        let in_range = |n: u16| {
            if n == 0 || usize::from(n) > options {
                Err(format!(
                    "there is no option {n}: the options are numbered 1 to {options}"
                ))
            } else {
                Ok(())
            }
        };
        let no_repeats = |numbers: &[u16], what: &str| {
            let mut seen = numbers.to_vec();
            seen.sort_unstable();
            match seen.windows(2).find(|w| w[0] == w[1]) {
                Some(w) => Err(format!("option {} is {what} twice", w[0])),
                None => Ok(()),
            }
        };
        match (self, method) {
            (Choice::Abstain, _) => Ok(()),
            (Choice::Options(list), BallotMethod::Single) => match list.as_slice() {
                [one] => in_range(*one),
                [] => Err("choose an option".into()),
                _ => Err("this election takes a single option".into()),
            },
            (Choice::Options(list), BallotMethod::Approval) => {
                if list.is_empty() {
                    return Err("approve at least one option (or abstain)".into());
                }
                list.iter().try_for_each(|n| in_range(*n))?;
                no_repeats(list, "approved")
            }
            (Choice::Options(list), BallotMethod::Ranked) => {
                if list.is_empty() {
                    return Err("rank at least one option (or abstain)".into());
                }
                list.iter().try_for_each(|n| in_range(*n))?;
                no_repeats(list, "ranked")
            }
            (Choice::Weights(parts), BallotMethod::Weighted) => {
                if parts.is_empty() {
                    return Err("give at least one option a weight (or abstain)".into());
                }
                let numbers: Vec<u16> = parts.iter().map(|p| p.option).collect();
                numbers.iter().try_for_each(|n| in_range(*n))?;
                no_repeats(&numbers, "weighted")?;
                let mut sum = 0u128;
                for part in parts {
                    let w = parse_weight(&part.weight)?;
                    if w == 0 {
                        return Err(format!(
                            "option {} has a weight of 0: leave it out",
                            part.option
                        ));
                    }
                    sum += w;
                }
                if sum != WEIGHT_ONE {
                    return Err(format!(
                        "the weights add up to {}, not 1",
                        format_weight(sum)
                    ));
                }
                Ok(())
            }
            (Choice::Weights(_), _) => Err(format!(
                "this election is {}: give option numbers, not weights",
                method.label().to_lowercase()
            )),
            (Choice::Options(_), BallotMethod::Weighted) => Err(
                "this election takes weights: a list of {\"option\", \"weight\"} summing to 1"
                    .into(),
            ),
        }
    }

    /// Reads the command line's form: `abstain`, `2` (single), `1,3` (approval), `3>1>2`
    /// (ranked, most preferred first) or `1:0.6,2:0.4` (weighted).
    pub fn parse_text(text: &str, method: BallotMethod) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("abstain") {
            return Ok(Choice::Abstain);
        }
        let number = |part: &str| {
            part.trim()
                .parse::<u16>()
                .map_err(|_| format!("{part:?} is not an option number"))
        };
        let choice = match method {
            BallotMethod::Single => Choice::Options(vec![number(text)?]),
            BallotMethod::Approval => {
                Choice::Options(text.split(',').map(number).collect::<Result<_, _>>()?)
            }
            BallotMethod::Ranked => {
                Choice::Options(text.split('>').map(number).collect::<Result<_, _>>()?)
            }
            BallotMethod::Weighted => Choice::Weights(
                text.split(',')
                    .map(|part| {
                        let (option, weight) = part.split_once(':').ok_or_else(|| {
                            format!("{part:?} is not option:weight (such as 1:0.6)")
                        })?;
                        Ok(Weight {
                            option: number(option)?,
                            weight: weight.trim().to_string(),
                        })
                    })
                    .collect::<Result<_, String>>()?,
            ),
        };
        Ok(choice)
    }

    /// The choice in words, with the options' labels ("2. Blue", "1st Red, 2nd Blue", ...).
    pub fn describe(&self, labels: &[String]) -> String {
        let label = |n: u16| {
            labels
                .get(usize::from(n).wrapping_sub(1))
                .map(|l| format!("{n}. {l}"))
                .unwrap_or_else(|| format!("option {n}"))
        };
        match self {
            Choice::Abstain => "Abstain".into(),
            Choice::Options(list) if list.len() == 1 => label(list[0]),
            Choice::Options(list) => list
                .iter()
                .map(|n| label(*n))
                .collect::<Vec<_>>()
                .join(" · "),
            Choice::Weights(parts) => parts
                .iter()
                .map(|p| {
                    let percent = parse_weight(&p.weight)
                        .map(|w| w as f64 / WEIGHT_ONE as f64 * 100.0)
                        .unwrap_or(0.0);
                    format!("{} {percent:.1} %", label(p.option))
                })
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }
}

/// A weight as fixed point with 18 decimals: "0.6" is 6 × 10^17. At most 1.
pub fn parse_weight(text: &str) -> Result<u128, String> {
    let invalid = || format!("weight {text:?} is not a decimal from 0 to 1 (at most 18 places)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 1
        || fraction.len() > 18
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    let whole: u128 = whole.parse().map_err(|_| invalid())?;
    let fraction: u128 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<18}").parse().map_err(|_| invalid())?
    };
    let value = whole * WEIGHT_ONE + fraction;
    if value > WEIGHT_ONE {
        return Err(invalid());
    }
    Ok(value)
}

/// A fixed-point weight as the shortest decimal ("0.6", "1").
pub fn format_weight(value: u128) -> String {
    let whole = value / WEIGHT_ONE;
    let fraction = value % WEIGHT_ONE;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:018}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Result<Choice, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn choices_read_and_write_their_json() {
        assert_eq!(json(r#""abstain""#), Ok(Choice::Abstain));
        assert_eq!(json("[2]"), Ok(Choice::Options(vec![2])));
        let weighted =
            json(r#"[{"option":1,"weight":"0.6"},{"option":2,"weight":"0.4"}]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&weighted).unwrap(),
            r#"[{"option":1,"weight":"0.6"},{"option":2,"weight":"0.4"}]"#
        );
        assert!(json(r#""yes""#).unwrap_err().contains("abstain"));
        assert!(json(r#"[{"option":1,"weight":"1","extra":1}]"#).is_err());
        assert!(json("[-1]").is_err());
    }

    #[test]
    fn each_method_refuses_what_it_cannot_count() {
        use BallotMethod::*;
        let ok = |c: &str, m| json(c).unwrap().validate(m, 4);
        assert_eq!(ok("[2]", Single), Ok(()));
        assert!(ok("[1,2]", Single).unwrap_err().contains("single"));
        assert!(ok("[5]", Single).unwrap_err().contains("no option 5"));
        assert!(ok("[0]", Approval).unwrap_err().contains("no option 0"));
        assert_eq!(ok("[1,3]", Approval), Ok(()));
        assert!(ok("[1,1]", Approval).unwrap_err().contains("twice"));
        assert_eq!(ok("[3,1,2]", Ranked), Ok(()));
        assert!(ok("[3,1,3]", Ranked)
            .unwrap_err()
            .contains("option 3 is ranked twice"));
        assert!(ok("[]", Ranked).is_err());
        assert_eq!(ok(r#""abstain""#, Weighted), Ok(()));
        assert_eq!(
            ok(
                r#"[{"option":1,"weight":"0.6"},{"option":4,"weight":"0.4"}]"#,
                Weighted
            ),
            Ok(())
        );
        assert!(ok(
            r#"[{"option":1,"weight":"0.6"},{"option":2,"weight":"0.3"}]"#,
            Weighted
        )
        .unwrap_err()
        .contains("add up to 0.9"));
        assert!(ok(
            r#"[{"option":1,"weight":"0.5"},{"option":1,"weight":"0.5"}]"#,
            Weighted
        )
        .unwrap_err()
        .contains("twice"));
        assert!(ok("[1]", Weighted).unwrap_err().contains("weights"));
        assert!(ok(r#"[{"option":1,"weight":"1"}]"#, Single).is_err());
    }

    #[test]
    fn weights_are_exact_decimals() {
        assert_eq!(parse_weight("0.6"), Ok(600_000_000_000_000_000));
        assert_eq!(parse_weight("1"), Ok(WEIGHT_ONE));
        assert_eq!(parse_weight("0.000000000000000001"), Ok(1));
        for bad in [
            "1.1",
            "2",
            "-0.5",
            ".5",
            "0.5e1",
            "0.0000000000000000001",
            "",
        ] {
            assert!(parse_weight(bad).is_err(), "{bad}");
        }
        assert_eq!(format_weight(900_000_000_000_000_000), "0.9");
        assert_eq!(format_weight(WEIGHT_ONE), "1");
    }

    #[test]
    fn the_command_line_form_reads_every_method() {
        use BallotMethod::*;
        assert_eq!(
            Choice::parse_text("2", Single),
            Ok(Choice::Options(vec![2]))
        );
        assert_eq!(
            Choice::parse_text("1, 3", Approval),
            Ok(Choice::Options(vec![1, 3]))
        );
        assert_eq!(
            Choice::parse_text("3>1>2", Ranked),
            Ok(Choice::Options(vec![3, 1, 2]))
        );
        assert_eq!(Choice::parse_text("Abstain", Ranked), Ok(Choice::Abstain));
        assert_eq!(
            Choice::parse_text("1:0.6,2:0.4", Weighted),
            Ok(Choice::Weights(vec![
                Weight {
                    option: 1,
                    weight: "0.6".into()
                },
                Weight {
                    option: 2,
                    weight: "0.4".into()
                }
            ]))
        );
        assert!(Choice::parse_text("x", Single).is_err());
        assert!(Choice::parse_text("1=0.6", Weighted).is_err());
    }
}
