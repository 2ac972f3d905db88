//! Chain text made fit to show. Validators choose their descriptions and anyone with a deposit
//! chooses a proposal's text, so it may hold characters that reorder what surrounds it (bidi
//! overrides), hide text, or break a mail header (CR/LF). The renderer escapes what it writes;
//! these functions remove what no escaping makes harmless, and escape text written into markup
//! by hand.

/// Bidi embeddings, overrides, isolates and marks: U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line: bidi and other control characters (CR, LF, tab, NUL…) become spaces, runs of white
/// space fold into one, and the ends are trimmed. For monikers, titles, mail subjects.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, cut with `…` when longer.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

/// Several lines: line breaks are kept (CR LF and CR become LF), bidi and other control
/// characters are removed. For descriptions and proposal summaries.
pub fn multi_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| c == '\n' || !(c.is_control() || is_bidi_control(c)))
        .collect()
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities: for text written into markup by hand, where no
/// renderer escapes it (the document's `<title>`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_bidi_overrides_and_line_breaks() {
        assert_eq!(
            one_line("\u{202E}Evil lavE\u{202C} stake"),
            "Evil lavE stake"
        );
        assert_eq!(
            one_line("Evil\r\nBcc: victim@example.com"),
            "Evil Bcc: victim@example.com"
        );
        assert_eq!(one_line("  a\u{0}\tb  \u{2066}c\u{2069} "), "a b c");
        assert_eq!(one_line("Ubik Capital 0%⚛️"), "Ubik Capital 0%⚛️");
        assert_eq!(
            one_line("Γειά σου · שלום"),
            "Γειά σου · שלום",
            "other scripts stay"
        );
    }

    #[test]
    fn shorten_cuts_on_characters_not_bytes() {
        assert_eq!(shorten("ééééé", 3), "ééé…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn multi_line_keeps_lines_and_nothing_else_invisible() {
        assert_eq!(multi_line("a\r\nb\rc\u{202E}d\u{7}e"), "a\nb\ncde");
    }

    #[test]
    fn escape_html_escapes_what_breaks_out_of_text() {
        assert_eq!(
            escape_html("</title><script>alert('x')</script> & \"q\""),
            "&lt;/title&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
