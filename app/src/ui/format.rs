//! Number, amount, percent and time formatting for pages.

use chrono::{DateTime, Utc};

/// Base units (an exact decimal string) in display units, e.g. "1500000" with exponent 6 → 1.5.
pub fn display_amount(base_units: &str, exponent: i32) -> f64 {
    base_units.parse::<f64>().unwrap_or(0.0) / 10f64.powi(exponent)
}

/// `1234567.891` → `"1,234,567.89"` with `decimals` digits after the point.
pub fn group_thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map(|(i, f)| (i, Some(f)))
        .unwrap_or((&text, None));
    let grouped = group_digits(int);
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `"1234567"` → `"1,234,567"`: commas between groups of three digits.
pub fn group_digits(digits: &str) -> String {
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// A token amount for tables: whole units when large, two decimals when small, and every
/// decimal the denom has when smaller than a hundredth (so 1 uatom is not shown as 0.00).
pub fn tokens(base_units: &str, exponent: i32, denom: &str) -> String {
    let amount = display_amount(base_units, exponent);
    let decimals = if amount >= 1000.0 {
        0
    } else if amount == 0.0 || amount >= 0.01 {
        2
    } else {
        exponent.max(0) as usize
    };
    let text = group_thousands(amount, decimals);
    let text = if decimals > 2 {
        text.trim_end_matches('0').to_string()
    } else {
        text
    };
    format!("{text} {denom}")
}

/// `12_345_678.0` → `"12.3M"`.
pub fn compact(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (value / 1e9, "B")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "K")
    } else {
        (value, "")
    };
    if suffix.is_empty() {
        group_thousands(scaled, if abs < 10.0 { 2 } else { 0 })
    } else {
        format!("{scaled:.1}{suffix}")
    }
}

/// `0.12345` → `"12.35%"`.
pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, fraction * 100.0)
}

pub fn percent_or_dash(fraction: Option<f64>, decimals: usize) -> String {
    fraction
        .map(|f| percent(f, decimals))
        .unwrap_or_else(|| "—".to_string())
}

/// [`seconds_ago`] to the minute: "under a minute ago" (or "in under a minute") below 60 s.
pub fn minutes_ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - at).num_seconds();
    match secs {
        0..=59 => "under a minute ago".to_string(),
        -59..=-1 => "in under a minute".to_string(),
        _ => seconds_ago(secs),
    }
}

/// "40 s ago", "5 min ago", "3 h ago", "2 d ago"; "in 5 min" for the future, from the seconds
/// elapsed (negative: in the future). The browser's clocks call it with the page's `datetime`
/// attributes.
pub fn seconds_ago(secs: i64) -> String {
    let (abs, future) = (secs.unsigned_abs(), secs < 0);
    let text = if abs < 5 {
        return "just now".to_string();
    } else if abs < 60 {
        format!("{abs} s")
    } else if abs < 3600 {
        format!("{} min", abs / 60)
    } else if abs < 86_400 {
        format!("{} h", abs / 3600)
    } else {
        format!("{} d", abs / 86_400)
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// `2024-08-01 12:00 UTC`.
pub fn datetime(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// Percent-encodes a query parameter value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `cosmosvaloper1abcdef…wxyz` for tight spaces.
pub fn short_address(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    if chars.len() <= 24 {
        return address.to_string();
    }
    let head: String = chars[..16].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}

/// A validator's website as a safe link target: http(s) only; a bare host gets `https://`.
pub fn safe_website(website: &str) -> Option<String> {
    let website = website.trim();
    if website.is_empty()
        || website.len() > 200
        || website
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c))
    {
        return None;
    }
    let lower = website.to_ascii_lowercase();
    let url = if lower.starts_with("https://") || lower.starts_with("http://") {
        website.to_string()
    } else if lower.contains(':') {
        return None;
    } else {
        format!("https://{website}")
    };
    let host = url.split("://").nth(1)?.split(['/', '?', '#']).next()?;
    (host.contains('.') && !host.starts_with('.')).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn amounts() {
        assert_eq!(display_amount("1500000", 6), 1.5);
        assert_eq!(group_thousands(1234567.891, 2), "1,234,567.89");
        assert_eq!(group_thousands(999.0, 0), "999");
        assert_eq!(group_thousands(-1234.0, 0), "-1,234");
        assert_eq!(tokens("12345678000000", 6, "ATOM"), "12,345,678 ATOM");
        assert_eq!(tokens("1500000", 6, "ATOM"), "1.50 ATOM");
        assert_eq!(tokens("1", 6, "ATOM"), "0.000001 ATOM");
        assert_eq!(tokens("0", 6, "ATOM"), "0.00 ATOM");
        assert_eq!(compact(12_345_678.0), "12.3M");
        assert_eq!(compact(950.0), "950");
        assert_eq!(percent(0.12345, 2), "12.35%");
        assert_eq!(percent_or_dash(None, 2), "—");
    }

    #[test]
    fn times() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        assert_eq!(seconds_ago(40), "40 s ago");
        assert_eq!(seconds_ago(5 * 60), "5 min ago");
        assert_eq!(seconds_ago(3 * 3600), "3 h ago");
        assert_eq!(seconds_ago(2 * 86_400), "2 d ago");
        assert_eq!(seconds_ago(-5 * 60), "in 5 min");
        assert_eq!(seconds_ago(0), "just now");
        assert_eq!(
            minutes_ago(now - chrono::Duration::seconds(40), now),
            "under a minute ago"
        );
        assert_eq!(
            minutes_ago(now + chrono::Duration::seconds(40), now),
            "in under a minute"
        );
        assert_eq!(
            minutes_ago(now - chrono::Duration::minutes(5), now),
            "5 min ago"
        );
        assert_eq!(datetime(now), "2026-11-23 12:00 UTC");
    }

    #[test]
    fn websites_are_links_only_when_safe() {
        assert_eq!(
            safe_website("quokkastake.io").as_deref(),
            Some("https://quokkastake.io")
        );
        assert_eq!(
            safe_website("https://x.io/a?b").as_deref(),
            Some("https://x.io/a?b")
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "https://x.io\" onmouseover=\"a",
            "",
            "localhost",
            "vbscript:x",
            "//evil.io",
        ] {
            assert_eq!(safe_website(bad), None, "{bad}");
        }
    }

    #[test]
    fn short_addresses() {
        assert_eq!(
            short_address("cosmosvaloper1xqz9pemz5e5zycaa89kys5aw6m8rhgsvw4328e"),
            "cosmosvaloper1xq…w4328e"
        );
        assert_eq!(short_address("cosmos1abc"), "cosmos1abc");
    }
}
