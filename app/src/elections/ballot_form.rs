//! The ballot form (an island): the voter picks options as the method asks, signs the ballot
//! with the browser wallet (Keplr's or Leap's `signArbitrary`, ADR-036), and it is sent to the
//! server, which answers with the receipt. Without a wallet or JavaScript the page shows how to
//! sign from the command line instead.

use super::{
    ballot::BallotData,
    choice::{format_weight, Choice, Weight, WEIGHT_ONE},
    model::BallotMethod,
    views::Receipt,
};
use leptos::prelude::*;

/// Where the form is.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Working(&'static str),
    Done(Box<Receipt>),
    Failed(String),
}

/// What the voter picked, as the inputs hold it: per option a flag (single, approval), a
/// percentage (weighted) or a rank (ranked).
fn choice_of(method: BallotMethod, abstain: bool, picks: &[String]) -> Result<Choice, String> {
    if abstain {
        return Ok(Choice::Abstain);
    }
    let numbered = picks
        .iter()
        .enumerate()
        .map(|(i, v)| (i as u16 + 1, v.trim()));
    match method {
        BallotMethod::Single | BallotMethod::Approval => Ok(Choice::Options(
            numbered
                .filter(|(_, v)| *v == "on")
                .map(|(o, _)| o)
                .collect(),
        )),
        BallotMethod::Ranked => {
            let mut ranked: Vec<(u16, u16)> = Vec::new();
            for (option, value) in numbered.filter(|(_, v)| !v.is_empty()) {
                let rank: u16 = value
                    .parse()
                    .map_err(|_| format!("option {option}: {value:?} is not a rank"))?;
                if let Some((other, _)) = ranked.iter().find(|(_, r)| *r == rank) {
                    return Err(format!(
                        "options {other} and {option} both have rank {rank}"
                    ));
                }
                ranked.push((option, rank));
            }
            ranked.sort_by_key(|(_, rank)| *rank);
            Ok(Choice::Options(
                ranked.into_iter().map(|(o, _)| o).collect(),
            ))
        }
        BallotMethod::Weighted => {
            let mut parts = Vec::new();
            for (option, value) in numbered.filter(|(_, v)| !v.is_empty() && *v != "0") {
                let percent: f64 = value
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| format!("option {option}: {value:?} is not a percentage"))?;
                // Percent with up to 4 decimals as an exact 18-decimal weight.
                let weight = (percent * 10_000.0).round() as u128 * (WEIGHT_ONE / 1_000_000);
                parts.push(Weight {
                    option,
                    weight: format_weight(weight),
                });
            }
            Ok(Choice::Weights(parts))
        }
    }
}

#[island]
pub fn BallotForm(
    election: i64,
    plan_hash: String,
    chain_id: String,
    method: BallotMethod,
    options: Vec<String>,
) -> impl IntoView {
    let count = options.len();
    let labels = StoredValue::new(options.clone());
    let picks = RwSignal::new(vec![String::new(); count]);
    let abstain = RwSignal::new(false);
    let status = RwSignal::new(Status::Idle);
    let problem = move || {
        let choice = choice_of(method, abstain.get(), &picks.get())?;
        choice.validate(method, count)?;
        Ok::<Choice, String>(choice)
    };
    let plan_hash = StoredValue::new(plan_hash);
    let chain_id = StoredValue::new(chain_id);
    let sign = move |_| {
        let Ok(choice) = problem() else { return };
        status.set(Status::Working("Waiting for your wallet…"));
        let (plan_hash, chain_id) = (plan_hash.get_value(), chain_id.get_value());
        leptos::task::spawn_local(async move {
            let outcome = sign_and_send(election, &plan_hash, &chain_id, choice, status).await;
            status.set(match outcome {
                Ok(receipt) => Status::Done(Box::new(receipt)),
                Err(error) => Status::Failed(error),
            });
        });
    };
    let inputs = options
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let set = move |value: String| picks.update(|p| p[i] = value);
            let control = match method {
                BallotMethod::Single => view! {
                    <input type="radio" name="option" prop:checked=move || picks.get()[i] == "on"
                        on:change=move |_| picks.update(|p| { p.iter_mut().for_each(|v| v.clear()); p[i] = "on".into(); })/>
                }.into_any(),
                BallotMethod::Approval => view! {
                    <input type="checkbox" prop:checked=move || picks.get()[i] == "on"
                        on:change=move |ev| set(if event_target_checked(&ev) { "on".into() } else { String::new() })/>
                }.into_any(),
                BallotMethod::Weighted => view! {
                    <input type="number" min="0" max="100" step="0.01" placeholder="0" class="weight-input"
                        on:input=move |ev| set(event_target_value(&ev))/><span>"%"</span>
                }.into_any(),
                BallotMethod::Ranked => view! {
                    <select on:change=move |ev| set(event_target_value(&ev)) aria-label=format!("Rank of option {}", i + 1)>
                        <option value="">"—"</option>
                        {(1..=count).map(|r| view! { <option value=r.to_string()>{r}</option> }).collect_view()}
                    </select>
                }.into_any(),
            };
            view! {
                <li><label class="ballot-option" data-option=(i + 1).to_string()>{control}<span>{i + 1}". "<bdi>{label}</bdi></span></label></li>
            }
        })
        .collect_view();
    let weighted_sum = move || {
        (method == BallotMethod::Weighted).then(|| {
            let sum: f64 = picks
                .get()
                .iter()
                .filter_map(|v| v.replace(',', ".").parse::<f64>().ok())
                .sum();
            view! { <p class="field-note">"Total: "{format!("{sum:.2}")}" %"</p> }
        })
    };
    view! {
        <div class="ballot-form" data-testid="ballot-form">
            <p class="muted">{method.explain()}</p>
            <ol class="ballot-options">{inputs}</ol>
            {weighted_sum}
            <label class="check"><input type="checkbox" prop:checked=move || abstain.get()
                on:change=move |ev| abstain.set(event_target_checked(&ev))/>" Abstain (counts toward the quorum only)"</label>
            <p class="field-note" data-testid="ballot-check">{move || match problem() {
                Ok(choice) => view! { <span class="good">"Your ballot: "{choice.describe(&labels.read_value())}</span> }.into_any(),
                Err(e) => view! { <span class="muted">{e}</span> }.into_any(),
            }}</p>
            <button type="button" class="primary" data-testid="sign-ballot"
                disabled=move || problem().is_err() || matches!(status.get(), Status::Working(_))
                on:click=sign>"Sign with Keplr or Leap and vote"</button>
            <div class="ballot-status" role="status" data-testid="ballot-status">{move || match status.get() {
                Status::Idle => view! { <span class="muted">"Signing needs a browser wallet (Keplr or Leap) holding an eligible account; you can vote again until the end."</span> }.into_any(),
                Status::Working(step) => view! { <span>{step}</span> }.into_any(),
                Status::Failed(e) => view! { <span class="bad" data-testid="ballot-error">{e}</span> }.into_any(),
                Status::Done(r) => view! {
                    <span class="good" data-testid="ballot-receipt">"✓ Ballot recorded: position "{r.position}" in the ledger. "
                        <a href=format!("/elections/{}/receipt?hash={}", r.election, r.ballot_hash)>"Your receipt"</a>
                        " (keep its hash: "<code>{r.ballot_hash.clone()}</code>")"</span>
                }.into_any(),
            }}</div>
        </div>
    }
}

async fn sign_and_send(
    election: i64,
    plan_hash: &str,
    chain_id: &str,
    choice: Choice,
    status: RwSignal<Status>,
) -> Result<Receipt, String> {
    let ballot = wallet::sign(chain_id, |signer_nonce, now| {
        BallotData::new(election, plan_hash, choice, signer_nonce, now).canonical()
    })
    .await?;
    status.set(Status::Working("Sending the signed ballot…"));
    super::server_fns::cast_ballot(election, ballot)
        .await
        .map_err(|e| e.to_string())
}

#[cfg(feature = "hydrate")]
mod wallet {
    use crate::elections::ballot::SignedBallot;
    use chrono::{DateTime, Utc};
    use js_sys::{Function, Promise, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(target: &JsValue, key: &str) -> Result<JsValue, String> {
        Reflect::get(target, &JsValue::from_str(key))
            .map_err(|_| format!("the wallet has no {key}"))
    }

    async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f: Function = get(target, method)?
            .dyn_into()
            .map_err(|_| format!("the wallet's {method} is not a function"))?;
        let array: js_sys::Array = args.iter().collect();
        let result = f.apply(target, &array).map_err(|e| describe(&e))?;
        JsFuture::from(Promise::resolve(&result))
            .await
            .map_err(|e| describe(&e))
    }

    fn describe(error: &JsValue) -> String {
        let text = Reflect::get(error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "unknown error".into());
        format!("the wallet refused: {text}")
    }

    fn nonce(window: &web_sys::Window) -> Result<String, String> {
        let bytes = Uint8Array::new_with_length(12);
        let crypto = get(window, "crypto")?;
        let f: Function = get(&crypto, "getRandomValues")?
            .dyn_into()
            .map_err(|_| "no random numbers here")?;
        f.call1(&crypto, &bytes)
            .map_err(|_| "no random numbers here")?;
        Ok(hex::encode(bytes.to_vec()))
    }

    /// Signs the text `data(nonce, now)` builds with the account the wallet holds for `chain_id`.
    pub async fn sign(
        chain_id: &str,
        data: impl FnOnce(String, DateTime<Utc>) -> String,
    ) -> Result<SignedBallot, String> {
        let window = web_sys::window().ok_or("no browser window")?;
        let wallet = ["keplr", "leap"]
            .iter()
            .map(|name| get(&window, name).unwrap_or(JsValue::UNDEFINED))
            .find(|w| !w.is_undefined() && !w.is_null())
            .ok_or("No Keplr or Leap wallet in this browser: install one, or sign from the command line (below).")?;
        let chain = JsValue::from_str(chain_id);
        call(&wallet, "enable", std::slice::from_ref(&chain)).await?;
        let key = call(&wallet, "getKey", std::slice::from_ref(&chain)).await?;
        let signer = get(&key, "bech32Address")?
            .as_string()
            .ok_or("the wallet gave no address")?;
        let now = DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
        let text = data(nonce(&window)?, now);
        let signed = call(
            &wallet,
            "signArbitrary",
            &[chain, JsValue::from_str(&signer), JsValue::from_str(&text)],
        )
        .await?;
        let json = js_sys::JSON::stringify(&signed)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("the wallet's answer is not JSON")?;
        #[derive(serde::Deserialize)]
        struct Signature {
            pub_key: crate::elections::ballot::PubKey,
            signature: String,
        }
        let signature: Signature = serde_json::from_str(&json)
            .map_err(|e| format!("the wallet's signature cannot be read: {e}"))?;
        Ok(SignedBallot {
            data: text,
            pub_key: signature.pub_key,
            signature: signature.signature,
            signer,
        })
    }
}

#[cfg(not(feature = "hydrate"))]
mod wallet {
    use crate::elections::ballot::SignedBallot;
    use chrono::{DateTime, Utc};

    pub async fn sign(
        _: &str,
        _: impl FnOnce(String, DateTime<Utc>) -> String,
    ) -> Result<SignedBallot, String> {
        Err("signing happens in the browser".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn the_inputs_become_the_choice_each_method_takes() {
        use BallotMethod::*;
        assert_eq!(
            choice_of(Single, false, &picks(&["", "on", ""])),
            Ok(Choice::Options(vec![2]))
        );
        assert_eq!(
            choice_of(Approval, false, &picks(&["on", "", "on"])),
            Ok(Choice::Options(vec![1, 3]))
        );
        assert_eq!(
            choice_of(Ranked, false, &picks(&["2", "", "1"])),
            Ok(Choice::Options(vec![3, 1]))
        );
        assert!(choice_of(Ranked, false, &picks(&["1", "1", ""]))
            .unwrap_err()
            .contains("both have rank 1"));
        let weighted = choice_of(Weighted, false, &picks(&["60", "", "40"])).unwrap();
        assert_eq!(weighted.validate(Weighted, 3), Ok(()));
        assert_eq!(
            weighted,
            Choice::Weights(vec![
                Weight {
                    option: 1,
                    weight: "0.6".into()
                },
                Weight {
                    option: 3,
                    weight: "0.4".into()
                }
            ])
        );
        assert_eq!(
            choice_of(Weighted, false, &picks(&["33.3333", "66.6667"]))
                .unwrap()
                .validate(Weighted, 2),
            Ok(())
        );
        assert_eq!(choice_of(Ranked, true, &picks(&["1"])), Ok(Choice::Abstain));
    }
}
