//! Checking a recipient address: bech32 with a valid checksum, the network's prefix, and an
//! account-sized payload. Shared by the browser (as the user types) and the server.

/// Longer input is refused before decoding; bech32 strings are at most 90 characters.
pub const MAX_ADDRESS_LEN: usize = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    TooLong,
    NotBech32,
    WrongPrefix { expected: String, got: String },
    WrongLength(usize),
}

impl std::fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddressProblem::Empty => write!(f, "enter the address to send the tokens to"),
            AddressProblem::TooLong => {
                write!(
                    f,
                    "that is longer than any address ({MAX_ADDRESS_LEN} characters at most)"
                )
            }
            AddressProblem::NotBech32 => write!(
                f,
                "that is not a valid address: the checksum does not match (check for a typo)"
            ),
            AddressProblem::WrongPrefix { expected, got } => write!(
                f,
                "this faucet pays {expected}1… addresses; that one starts with {got}1"
            ),
            AddressProblem::WrongLength(n) => write!(
                f,
                "that address holds {n} bytes; an account address holds 20 (or 32)"
            ),
        }
    }
}

/// The address trimmed and lower-cased when it is a valid account address for `prefix`.
pub fn check_address(input: &str, prefix: &str) -> Result<String, AddressProblem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AddressProblem::Empty);
    }
    if text.len() > MAX_ADDRESS_LEN {
        return Err(AddressProblem::TooLong);
    }
    let text = text.to_ascii_lowercase();
    let (hrp, data) = bech32::decode(&text).map_err(|_| AddressProblem::NotBech32)?;
    if hrp.as_str() != prefix {
        return Err(AddressProblem::WrongPrefix {
            expected: prefix.to_string(),
            got: hrp.as_str().to_string(),
        });
    }
    if data.len() != 20 && data.len() != 32 {
        return Err(AddressProblem::WrongLength(data.len()));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The address of the well-known "abandon … about" test mnemonic on the Hub.
    const GOOD: &str = "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4";

    #[test]
    fn accepts_a_valid_address_and_normalises_it() {
        assert_eq!(check_address(GOOD, "cosmos").unwrap(), GOOD);
        assert_eq!(
            check_address(&format!("  {}  ", GOOD.to_uppercase()), "cosmos").unwrap(),
            GOOD
        );
    }

    #[test]
    fn refuses_a_wrong_prefix() {
        let osmo = "osmo19rl4cm2hmr8afy4kldpxz3fka4jguq0a5m7df8";
        assert_eq!(
            check_address(osmo, "cosmos"),
            Err(AddressProblem::WrongPrefix {
                expected: "cosmos".into(),
                got: "osmo".into()
            })
        );
        let valoper = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
        assert!(matches!(
            check_address(valoper, "cosmos"),
            Err(AddressProblem::WrongPrefix { .. })
        ));
    }

    #[test]
    fn refuses_a_bad_checksum_empty_and_oversized_input() {
        let typo = GOOD.replace("q0au", "q0av");
        assert_eq!(
            check_address(&typo, "cosmos"),
            Err(AddressProblem::NotBech32)
        );
        assert_eq!(check_address("   ", "cosmos"), Err(AddressProblem::Empty));
        assert_eq!(
            check_address(&"a".repeat(91), "cosmos"),
            Err(AddressProblem::TooLong)
        );
        assert_eq!(
            check_address("hello", "cosmos"),
            Err(AddressProblem::NotBech32)
        );
    }

    #[test]
    fn refuses_a_payload_that_is_not_an_account() {
        let hrp = bech32::Hrp::parse("cosmos").unwrap();
        let short = bech32::encode::<bech32::Bech32>(hrp, &[1u8; 8]).unwrap();
        assert_eq!(
            check_address(&short, "cosmos"),
            Err(AddressProblem::WrongLength(8))
        );
    }
}
