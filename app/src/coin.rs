//! An amount of one denom: one type from the chain's answers (`{"denom": "uatom", "amount":
//! "1000"}` in deposits, supplies, balances) to the pages and the JSON API.

use serde::{Deserialize, Serialize};

/// An amount of `denom`, in base units, as exact decimal text (the SDK's `Coin` and `DecCoin`:
/// integers for coins, up to 18 decimals for decimal coins). Read leniently: numbers or strings,
/// surrounding blanks trimmed; anything but a non-negative decimal is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Coin {
    pub denom: String,
    #[serde(deserialize_with = "crate::lenient::decimal")]
    pub amount: String,
}

impl Coin {
    /// The amount as a whole number of base units; `None` for a decimal or an amount too large.
    pub fn base_units(&self) -> Option<u128> {
        self.amount.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coins_read_leniently_and_refuse_garbage() {
        let coin: Coin = serde_json::from_str(r#"{"denom":"uatom","amount":"1000"}"#).unwrap();
        assert_eq!(coin.base_units(), Some(1000));
        let coin: Coin = serde_json::from_str(r#"{"denom":"uatom","amount":25}"#).unwrap();
        assert_eq!(coin.amount, "25");
        let dec: Coin = serde_json::from_str(r#"{"denom":"uatom","amount":"0.5"}"#).unwrap();
        assert_eq!(dec.base_units(), None);
        assert!(serde_json::from_str::<Coin>(r#"{"denom":"uatom","amount":"-1"}"#).is_err());
    }
}
