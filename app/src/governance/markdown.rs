//! Proposal texts come from the chain and are hostile input: markdown is rendered to HTML and
//! then cleaned by ammonia with a short allow-list. No script, style, event handler, image,
//! frame or form survives, and links are http(s) or mailto only. For a proposal flagged as spam,
//! links lose their anchors and become plain text.

use pulldown_cmark::{html, Options, Parser};
use std::collections::HashSet;

/// Longer texts are cut: a proposal summary is a few kilobytes.
const MAX_INPUT: usize = 100_000;

const TAGS: [&str; 26] = [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
];

pub fn render(text: &str, links_clickable: bool) -> String {
    // Many proposals carry literal "\n" sequences (double-escaped newlines).
    let text: String = text
        .chars()
        .take(MAX_INPUT)
        .collect::<String>()
        .replace("\\n", "\n");
    let parser = Parser::new_ext(
        &text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut unsafe_html = String::with_capacity(text.len() * 2);
    html::push_html(&mut unsafe_html, parser);

    let mut tags: HashSet<&str> = TAGS.into_iter().collect();
    if !links_clickable {
        tags.remove("a");
    }
    ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
                ("th", ["align"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer ugc"))
        .set_tag_attribute_value("a", "target", "_blank")
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads from the usual XSS cheat sheets, in markdown and in raw HTML.
    const PAYLOADS: [&str; 24] = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](jav&#x09;ascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "![x](javascript:alert(1))",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<p onclick=\"alert(1)\">x</p>",
        "<body onload=alert(1)>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
        "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">x</a>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<input autofocus onfocus=alert(1)>",
    ];

    fn assert_inert(html: &str, payload: &str) {
        let lower = html.to_lowercase();
        for bad in [
            "<script",
            "javascript:",
            "vbscript:",
            "data:text",
            "onerror",
            "onload",
            "onclick",
            "onmouseover",
            "onfocus",
            "<iframe",
            "<svg",
            "<img",
            "<object",
            "<embed",
            "<form",
            "<meta",
            "<base",
            "<input",
            "<style",
            "style=",
        ] {
            assert!(!lower.contains(bad), "{bad:?} survived {payload:?}: {html}");
        }
    }

    #[test]
    fn no_payload_survives() {
        for payload in PAYLOADS {
            assert_inert(&render(payload, true), payload);
            assert_inert(
                &render(&format!("Intro\n\n{payload}\n\nOutro"), true),
                payload,
            );
        }
    }

    #[test]
    fn markdown_still_renders() {
        let html = render("## Plan\n\n- **one**\n- `two`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[forum](https://forum.cosmos.network/t/1)", true);
        assert!(
            html.contains("<h2>Plan</h2>")
                && html.contains("<strong>one</strong>")
                && html.contains("<code>two</code>")
        );
        assert!(html.contains("<table>") && html.contains("<td>1</td>"));
        assert!(html.contains(r#"<a href="https://forum.cosmos.network/t/1" target="_blank" rel="nofollow noopener noreferrer ugc">forum</a>"#), "{html}");
    }

    #[test]
    fn spam_links_are_not_clickable() {
        let html = render("Claim at [www.TerraPro.at](https://TerraPro.at)", false);
        assert!(!html.contains("<a"), "{html}");
        assert!(html.contains("www.TerraPro.at"));
    }

    #[test]
    fn literal_newlines_become_breaks_and_huge_input_is_cut() {
        assert!(render("line one\\n\\nline two", true).contains("<p>line two</p>"));
        assert!(render(&"a".repeat(MAX_INPUT * 2), true).len() < MAX_INPUT + 100);
    }
}
