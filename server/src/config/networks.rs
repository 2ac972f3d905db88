//! The networks file: TOML with one `[[network]]` table per followed network. A bad file is
//! refused with the file, the line and the key named.

use super::faucet::{FaucetConfig, RawFaucet};
use crate::chain::address;
use serde::Deserialize;
use std::{collections::HashSet, ops::Range, path::Path};
use toml::Spanned;
use url::Url;

/// A network as configured. `valoper`/`valcons` prefixes derive from the account prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub slug: String,
    pub name: String,
    pub chain_id: String,
    pub rest_url: Url,
    pub rpc_url: Option<Url>,
    pub bech32_prefix: String,
    pub denom: String,
    pub display_denom: String,
    pub exponent: u32,
    pub testnet: bool,
    /// Testnets only: the faucet's table, when it has one.
    pub faucet: Option<FaucetConfig>,
}

impl Network {
    pub fn valoper_prefix(&self) -> String {
        format!("{}valoper", self.bech32_prefix)
    }

    pub fn valcons_prefix(&self) -> String {
        format!("{}valcons", self.bech32_prefix)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NetworksError {
    #[error("cannot read networks file {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("networks file {file}, line {line}{}: {message}", key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    Invalid {
        file: String,
        line: usize,
        key: Option<String>,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    network: Vec<Spanned<RawNetwork>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    slug: Spanned<String>,
    name: Spanned<String>,
    chain_id: Spanned<String>,
    rest_url: Spanned<String>,
    #[serde(default)]
    rpc_url: Option<Spanned<String>>,
    bech32_prefix: Spanned<String>,
    denom: Spanned<String>,
    display_denom: Spanned<String>,
    exponent: Spanned<u32>,
    #[serde(default)]
    testnet: bool,
    #[serde(default)]
    faucet: Option<Spanned<RawFaucet>>,
}

pub fn load(path: &Path) -> Result<Vec<Network>, NetworksError> {
    let text = std::fs::read_to_string(path).map_err(|source| NetworksError::Read {
        file: path.display().to_string(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

pub fn parse(text: &str, file: &str) -> Result<Vec<Network>, NetworksError> {
    let invalid =
        |span: Option<Range<usize>>, key: Option<&str>, message: String| NetworksError::Invalid {
            file: file.to_string(),
            line: span.map(|s| line_of(text, s.start)).unwrap_or(1),
            key: key.map(str::to_string),
            message,
        };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        // Serde names the key in some messages (`missing field `denom``); for a value of the
        // wrong type the key is the one assigned on the line the error points at.
        let key = e
            .message()
            .split('`')
            .nth(1)
            .map(str::to_string)
            .or_else(|| e.span().and_then(|span| key_on_line(text, span.start)));
        invalid(e.span(), key.as_deref(), e.message().to_string())
    })?;
    if raw.network.is_empty() {
        return Err(invalid(
            None,
            Some("network"),
            "no [[network]] table: at least one network must be followed".into(),
        ));
    }
    let mut slugs = HashSet::new();
    let mut networks = Vec::new();
    for table in raw.network {
        let n = table.into_inner();
        let check = |ok: bool, field: &Spanned<String>, key: &str, message: &str| {
            if ok {
                Ok(())
            } else {
                Err(invalid(
                    Some(field.span()),
                    Some(key),
                    format!("{message} (got {:?})", field.get_ref()),
                ))
            }
        };
        let slug = n.slug.get_ref();
        check(
            app::networks::model::is_slug(slug),
            &n.slug,
            "slug",
            "must be 1-40 lowercase letters, digits or '-'",
        )?;
        check(
            slugs.insert(slug.clone()),
            &n.slug,
            "slug",
            "is used by an earlier network",
        )?;
        check(
            !n.name.get_ref().trim().is_empty(),
            &n.name,
            "name",
            "must not be empty",
        )?;
        check(
            !n.chain_id.get_ref().trim().is_empty(),
            &n.chain_id,
            "chain_id",
            "must not be empty",
        )?;
        check(
            address::check_prefix(n.bech32_prefix.get_ref()).is_ok()
                && n.bech32_prefix
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            &n.bech32_prefix,
            "bech32_prefix",
            "must be a lowercase bech32 prefix such as \"cosmos\"",
        )?;
        check(
            is_denom(n.denom.get_ref()),
            &n.denom,
            "denom",
            "must be a denom such as \"uatom\"",
        )?;
        check(
            !n.display_denom.get_ref().trim().is_empty(),
            &n.display_denom,
            "display_denom",
            "must not be empty",
        )?;
        if *n.exponent.get_ref() > 30 {
            return Err(invalid(
                Some(n.exponent.span()),
                Some("exponent"),
                format!("must be at most 30 (got {})", n.exponent.get_ref()),
            ));
        }
        let rest_url = http_url(&n.rest_url)
            .map_err(|m| invalid(Some(n.rest_url.span()), Some("rest_url"), m))?;
        let rpc_url = match &n.rpc_url {
            Some(url) => {
                Some(http_url(url).map_err(|m| invalid(Some(url.span()), Some("rpc_url"), m))?)
            }
            None => None,
        };
        let faucet = match n.faucet {
            None => None,
            Some(table) if !n.testnet => {
                return Err(invalid(
                    Some(table.span()),
                    Some("faucet"),
                    "a faucet is only allowed on a network with testnet = true".into(),
                ))
            }
            Some(table) => Some(
                table
                    .into_inner()
                    .check(n.denom.get_ref(), is_denom)
                    .map_err(|(span, key, why)| invalid(Some(span), Some(key), why))?,
            ),
        };
        networks.push(Network {
            slug: slug.clone(),
            name: n.name.into_inner(),
            chain_id: n.chain_id.into_inner(),
            rest_url,
            rpc_url,
            bech32_prefix: n.bech32_prefix.into_inner(),
            denom: n.denom.into_inner(),
            display_denom: n.display_denom.into_inner(),
            exponent: n.exponent.into_inner(),
            testnet: n.testnet,
            faucet,
        });
    }
    Ok(networks)
}

fn http_url(value: &Spanned<String>) -> Result<Url, String> {
    let url = Url::parse(value.get_ref())
        .map_err(|e| format!("not a URL ({e}): {:?}", value.get_ref()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "must be an http:// or https:// URL (got {:?})",
            value.get_ref()
        ));
    }
    Ok(url)
}

fn is_denom(s: &str) -> bool {
    (2..=128).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c))
}

/// The key of a `key = value` line containing `offset`.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then(|| key.to_string())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[network]]
slug = "cosmoshub"
name = "Cosmos Hub"
chain_id = "cosmoshub-4"
rest_url = "https://rest.cosmos.directory/cosmoshub"
bech32_prefix = "cosmos"
denom = "uatom"
display_denom = "ATOM"
exponent = 6
testnet = false

[[network]]
slug = "theta"
name = "Cosmos Hub testnet"
chain_id = "theta-testnet-001"
rest_url = "https://rest.sentry-01.theta-testnet.polypore.xyz"
bech32_prefix = "cosmos"
denom = "uatom"
display_denom = "ATOM"
exponent = 6
testnet = true
"#;

    fn error_of(text: &str) -> String {
        parse(text, "networks.toml").unwrap_err().to_string()
    }

    #[test]
    fn a_good_file_parses() {
        let networks = parse(GOOD, "networks.toml").unwrap();
        assert_eq!(networks.len(), 2);
        assert_eq!(networks[0].valoper_prefix(), "cosmosvaloper");
        assert_eq!(networks[0].valcons_prefix(), "cosmosvalcons");
        assert!(networks[1].testnet);
    }

    #[test]
    fn a_bad_value_names_file_line_and_key() {
        let text = GOOD.replacen(
            "rest_url = \"https://rest.cosmos.directory/cosmoshub\"",
            "rest_url = \"ftp://x\"",
            1,
        );
        assert_eq!(error_of(&text), "networks file networks.toml, line 6, key `rest_url`: must be an http:// or https:// URL (got \"ftp://x\")");
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = GOOD.replacen("denom = \"uatom\"\n", "", 1);
        let err = error_of(&text);
        assert!(
            err.contains("key `denom`") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let text = GOOD.replacen("testnet = false", "tesnet = false", 1);
        let err = error_of(&text);
        assert!(
            err.contains("line 11") && err.contains("key `tesnet`"),
            "{err}"
        );
    }

    #[test]
    fn syntax_errors_and_wrong_types_give_a_line() {
        assert!(error_of("[[network]\nslug=").contains("line 1"));
        let text = GOOD.replacen("exponent = 6", "exponent = \"six\"", 1);
        let err = error_of(&text);
        assert!(err.contains("line 10") && err.contains("exponent"), "{err}");
    }

    #[test]
    fn a_faucet_table_parses_with_defaults() {
        let text = format!("{GOOD}\n[network.faucet]\namount = 10000000\n");
        let networks = parse(&text, "networks.toml").unwrap();
        let faucet = networks[1].faucet.as_ref().unwrap();
        assert_eq!(faucet.amount, 10_000_000);
        assert_eq!(faucet.denom, "uatom");
        assert_eq!(faucet.address_cooldown_hours, 24);
        assert_eq!(faucet.ip_claims_per_day, 5);
        assert_eq!(faucet.max_recipients_per_tx, 50);
        assert!(networks[0].faucet.is_none());
    }

    #[test]
    fn a_bad_faucet_table_is_refused_with_its_key() {
        let text = format!("{GOOD}\n[network.faucet]\namount = 0\n");
        assert!(
            error_of(&text).contains("line 25, key `amount`: must be more than 0"),
            "{}",
            error_of(&text)
        );
        let text = format!("{GOOD}\n[network.faucet]\namount = 5\nmax_recipients_per_tx = 5000\n");
        assert!(error_of(&text).contains("key `max_recipients_per_tx`"));
        let mainnet = GOOD.replacen(
            "testnet = false",
            "testnet = false\n[network.faucet]\namount = 5",
            1,
        );
        assert!(error_of(&mainnet).contains("only allowed on a network with testnet = true"));
    }

    #[test]
    fn duplicate_slugs_and_bad_prefixes_are_refused() {
        let text = GOOD.replacen("slug = \"theta\"", "slug = \"cosmoshub\"", 1);
        assert!(error_of(&text).contains("line 14, key `slug`: is used by an earlier network"));
        let text = GOOD.replacen(
            "bech32_prefix = \"cosmos\"",
            "bech32_prefix = \"Cosmos!\"",
            1,
        );
        assert!(error_of(&text).contains("key `bech32_prefix`"));
        assert!(error_of("").contains("no [[network]] table"));
    }
}
