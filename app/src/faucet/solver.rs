//! The browser side of the captcha: fetch a challenge and find its number, a slice at a time so
//! the page stays responsive.

use super::captcha::{solve_range, Challenge, Solution};
use leptos::prelude::*;

/// Numbers tried between two yields to the browser.
const SLICE: u64 = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub enum CaptchaState {
    /// Server-rendered, or the WASM has not started the work yet.
    Waiting,
    /// Share of the numbers tried so far, 0-100.
    Working(u8),
    /// The form field's value.
    Solved(String),
    Failed(String),
}

/// Fetches a challenge and solves it, updating `state` as it goes.
pub async fn fetch_and_solve(state: RwSignal<CaptchaState>) {
    state.set(CaptchaState::Working(0));
    let challenge = match super::server_fns::new_challenge().await {
        Ok(c) => c,
        Err(e) => {
            state.set(CaptchaState::Failed(format!("cannot get a challenge: {e}")));
            return;
        }
    };
    match solve(&challenge, state).await {
        Some(number) => state.set(CaptchaState::Solved(
            Solution::of(&challenge, number).encode(),
        )),
        None => state.set(CaptchaState::Failed(
            "the challenge has no answer; reload the page".into(),
        )),
    }
}

async fn solve(challenge: &Challenge, state: RwSignal<CaptchaState>) -> Option<u64> {
    let max = challenge.maxnumber.max(1);
    let mut from = 0;
    while from <= max {
        let to = from.saturating_add(SLICE);
        if let Some(n) = solve_range(challenge, from, to) {
            return Some(n);
        }
        from = to;
        state.set(CaptchaState::Working(((from.min(max) * 100) / max) as u8));
        yield_to_browser().await;
    }
    None
}

#[cfg(feature = "hydrate")]
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(not(feature = "hydrate"))]
async fn yield_to_browser() {}
