//! Bech32 addresses as people type them: a valid checksum, one case (BIP-173: a mixed-case
//! string is invalid; all upper case is the same address as all lower case), the prefix
//! expected, and for accounts a 20- or 32-byte payload. Shared by the browser (as the user
//! types) and the server (every address in a path, query or form), so both give the same answer.

/// Longer input is refused before decoding; bech32 strings are at most 90 characters.
pub const MAX_ADDRESS_LEN: usize = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    TooLong,
    NotBech32,
    MixedCase,
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
            AddressProblem::MixedCase => write!(
                f,
                "that address mixes upper and lower case letters, which no valid address does (check for a typo)"
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

/// Decodes a typed bech32 string: trimmed, in one case, with a valid checksum. Returns its
/// prefix, its payload and the address in lower case (the form Stakeboard stores).
pub fn decode(input: &str) -> Result<(String, Vec<u8>, String), AddressProblem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AddressProblem::Empty);
    }
    if text.len() > MAX_ADDRESS_LEN {
        return Err(AddressProblem::TooLong);
    }
    let has_upper = text.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = text.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower {
        return Err(AddressProblem::MixedCase);
    }
    let text = text.to_ascii_lowercase();
    let (hrp, data) = bech32::decode(&text).map_err(|_| AddressProblem::NotBech32)?;
    Ok((hrp.as_str().to_string(), data, text))
}

/// The address in lower case when it is a valid account address for `prefix`.
pub fn check_address(input: &str, prefix: &str) -> Result<String, AddressProblem> {
    let (hrp, data, text) = decode(input)?;
    if hrp != prefix {
        return Err(AddressProblem::WrongPrefix {
            expected: prefix.to_string(),
            got: hrp,
        });
    }
    if data.len() != 20 && data.len() != 32 {
        return Err(AddressProblem::WrongLength(data.len()));
    }
    Ok(text)
}

/// A validator's operator address as typed in a path or form: any bech32 address whose prefix
/// ends in `valoper`, in lower case.
pub fn parse_operator(input: &str) -> Result<String, String> {
    let shown: String = input.chars().take(MAX_ADDRESS_LEN).collect();
    match decode(input) {
        Ok((hrp, _, text)) if hrp.ends_with("valoper") => Ok(text),
        Ok((hrp, _, _)) => Err(format!(
            "{shown:?} is not a validator operator address: its prefix is {hrp:?}, not …valoper"
        )),
        Err(problem) => Err(format!(
            "{shown:?} is not a validator operator address: {problem}"
        )),
    }
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
    fn refuses_mixed_case_as_bip_173_does() {
        let mixed = format!("C{}", &GOOD[1..]);
        assert_eq!(
            check_address(&mixed, "cosmos"),
            Err(AddressProblem::MixedCase)
        );
        let operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
        assert_eq!(parse_operator(&operator.to_uppercase()).unwrap(), operator);
        let err = parse_operator(&operator.replace("clpqr", "CLPQR")).unwrap_err();
        assert!(err.contains("mixes upper and lower case"), "{err}");
        assert!(parse_operator(GOOD).unwrap_err().contains("not …valoper"));
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
