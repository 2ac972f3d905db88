//! What the alert pages and the form handlers exchange: a subscriber's choices per network,
//! the options the sign-up form offers, and the outcome of each link in a mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The lead times offered for "validator X has not voted" reminders, in hours before the end.
pub const REMINDER_HOURS: [i32; 5] = [2, 6, 24, 48, 72];
/// Validators a subscriber may watch per network.
pub const MAX_WATCHED_VALIDATORS: usize = 50;

/// What a subscriber hears about on one network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkChoice {
    pub network: String,
    /// A proposal entered its voting period.
    pub on_voting: bool,
    /// A proposal's voting ended: the result.
    pub on_result: bool,
    /// Hours before the end at which watched validators that have not voted are reported.
    pub reminder_hours: Option<i32>,
    /// Operator addresses.
    pub reminder_validators: Vec<String>,
}

impl NetworkChoice {
    pub fn wants_anything(&self) -> bool {
        self.on_voting || self.on_result || self.reminder_hours.is_some()
    }
}

/// A validator offered in the reminder picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatorOption {
    pub operator_address: String,
    pub moniker: String,
    pub rank: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOption {
    pub slug: String,
    pub name: String,
    pub testnet: bool,
    pub validators: Vec<ValidatorOption>,
}

/// The sign-up form: every followed network and its bonded validators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertOptions {
    pub networks: Vec<NetworkOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubscriberStatus {
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriberStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "confirmed" => Self::Confirmed,
            "unsubscribed" => Self::Unsubscribed,
            _ => Self::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Unsubscribed => "unsubscribed",
        }
    }
}

/// The preferences page: who the token belongs to and what they chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManageView {
    pub email: String,
    pub status: SubscriberStatus,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub choices: Vec<NetworkChoice>,
    pub options: AlertOptions,
}

/// Where a confirmation link stands: what its page shows (nothing changes on GET), and what
/// pressing its button did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ConfirmOutcome {
    /// Not confirmed yet: the page offers the button.
    Pending {
        email: String,
        choices: Vec<NetworkChoice>,
    },
    Confirmed {
        email: String,
        choices: Vec<NetworkChoice>,
    },
    AlreadyConfirmed {
        email: String,
        at: Option<DateTime<Utc>>,
        choices: Vec<NetworkChoice>,
    },
    Expired {
        at: DateTime<Utc>,
    },
    /// No such token (mistyped, cut short, tampered with, or from another installation).
    Unknown,
}

/// Where an unsubscribe link stands (its page changes nothing on GET), and what pressing its
/// button did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UnsubscribeOutcome {
    /// Still subscribed: the page offers the button.
    Subscribed {
        email: String,
    },
    Unsubscribed {
        email: String,
    },
    AlreadyUnsubscribed {
        email: String,
    },
    Unknown,
}

/// Reads the sign-up and preferences form: `voting=slug`, `result=slug`,
/// `reminder_hours:slug=24`, `validators:slug=operator` (repeated), for the given networks.
pub fn choices_from_form(
    pairs: &[(String, String)],
    networks: &[String],
) -> Result<Vec<NetworkChoice>, String> {
    let mut choices: Vec<NetworkChoice> = networks
        .iter()
        .map(|network| NetworkChoice {
            network: network.clone(),
            on_voting: false,
            on_result: false,
            reminder_hours: None,
            reminder_validators: Vec::new(),
        })
        .collect();
    let find = |choices: &[NetworkChoice], slug: &str| {
        choices
            .iter()
            .position(|c| c.network == slug)
            .ok_or_else(|| format!("Stakeboard does not follow a network called {slug:?}"))
    };
    for (key, value) in pairs {
        let value = value.trim();
        match key.split_once(':') {
            None if key == "voting" => {
                let i = find(&choices, value)?;
                choices[i].on_voting = true;
            }
            None if key == "result" => {
                let i = find(&choices, value)?;
                choices[i].on_result = true;
            }
            Some(("reminder_hours", slug)) => {
                let i = find(&choices, slug)?;
                if !value.is_empty() && value != "off" {
                    let hours = value
                        .parse::<i32>()
                        .ok()
                        .filter(|h| REMINDER_HOURS.contains(h))
                        .ok_or_else(|| {
                            format!("{value:?} is not one of the reminder lead times")
                        })?;
                    choices[i].reminder_hours = Some(hours);
                }
            }
            Some(("validators", slug)) => {
                let i = find(&choices, slug)?;
                let list = &mut choices[i].reminder_validators;
                if !value.is_empty() {
                    let operator = crate::address::parse_operator(value)?;
                    if !list.contains(&operator) {
                        list.push(operator);
                    }
                }
                if list.len() > MAX_WATCHED_VALIDATORS {
                    return Err(format!(
                        "watch at most {MAX_WATCHED_VALIDATORS} validators per network"
                    ));
                }
            }
            _ => {}
        }
    }
    for choice in &choices {
        if choice.reminder_hours.is_some() && choice.reminder_validators.is_empty() {
            return Err(format!(
                "pick the validators to watch on {}, or turn its reminders off",
                choice.network
            ));
        }
    }
    if !choices.iter().any(NetworkChoice::wants_anything) {
        return Err("choose at least one alert".into());
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const A: &str = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
    const B: &str = "cosmosvaloper1xqz9pemz5e5zycaa89kys5aw6m8rhgsvw4328e";

    #[test]
    fn the_form_becomes_choices_per_network() {
        let networks = vec!["cosmoshub".to_string(), "theta".to_string()];
        let choices = choices_from_form(
            &pairs(&[
                ("email", "a@b.org"),
                ("voting", "cosmoshub"),
                ("result", "theta"),
                ("reminder_hours:cosmoshub", "24"),
                ("validators:cosmoshub", A),
                ("validators:cosmoshub", &A.to_uppercase()),
                ("validators:cosmoshub", B),
                ("reminder_hours:theta", "off"),
            ]),
            &networks,
        )
        .unwrap();
        assert_eq!(
            choices[0],
            NetworkChoice {
                network: "cosmoshub".into(),
                on_voting: true,
                on_result: false,
                reminder_hours: Some(24),
                reminder_validators: vec![A.into(), B.into()],
            }
        );
        assert!(
            !choices[1].on_voting && choices[1].on_result && choices[1].reminder_hours.is_none()
        );
    }

    #[test]
    fn bad_forms_say_what_is_wrong() {
        let networks = vec!["cosmoshub".to_string()];
        let err = |items: &[(&str, &str)]| choices_from_form(&pairs(items), &networks).unwrap_err();
        assert!(err(&[("voting", "osmosis")]).contains("does not follow"));
        assert!(err(&[("email", "a@b.org")]).contains("at least one alert"));
        assert!(err(&[("reminder_hours:cosmoshub", "5")]).contains("lead times"));
        assert!(err(&[("reminder_hours:cosmoshub", "24")]).contains("pick the validators"));
        for bad in ["cosmosvaloper1\u{0}", "v1", &A.replace("clpqr", "CLPQR")] {
            let e = err(&[("voting", "cosmoshub"), ("validators:cosmoshub", bad)]);
            assert!(
                e.contains("is not a validator operator address"),
                "{bad:?}: {e}"
            );
        }
        let hrp = bech32::Hrp::parse("cosmosvaloper").unwrap();
        let many: Vec<(String, String)> = (0..=MAX_WATCHED_VALIDATORS)
            .map(|i| {
                let operator = bech32::encode::<bech32::Bech32>(hrp, &[i as u8; 20]).unwrap();
                ("validators:cosmoshub".to_string(), operator)
            })
            .collect();
        assert!(choices_from_form(&many, &networks)
            .unwrap_err()
            .contains("at most"));
    }
}
