//! A mail as it leaves: the template context, and the message with its `Message-ID`,
//! `List-Unsubscribe` and `List-Unsubscribe-Post` headers and both bodies.

use super::templates::Rendered;
use lettre::{
    message::{
        header::{Header, HeaderName, HeaderValue},
        Mailbox, MultiPart,
    },
    Message,
};
use serde::Serialize;

/// What the templates may use. Every text in it is escaped by the HTML templates.
#[derive(Debug, Clone, Serialize, Default)]
pub struct MailContext {
    pub email: String,
    pub site_url: String,
    pub manage_url: String,
    pub unsubscribe_url: String,
    pub confirm_url: Option<String>,
    pub confirm_hours: i64,
    pub network: Option<String>,
    pub proposal: Option<ProposalContext>,
    pub missing: Vec<MissingValidator>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ProposalContext {
    pub id: i64,
    pub title: String,
    /// The start of the summary as plain text (empty for likely spam).
    pub excerpt: String,
    pub url: String,
    pub voting_end: String,
    pub spam_reasons: Vec<String>,
    /// "Passed", "Rejected"... for results.
    pub outcome: String,
    pub tally: Vec<TallyLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TallyLine {
    pub option: &'static str,
    pub percent: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct MissingValidator {
    pub operator: String,
    pub moniker: String,
}

/// `List-Unsubscribe: <url>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// The same id for every try of one outbox row, so a resent mail folds into the first.
pub fn message_id(row_id: i64, created_micros: i64, host: &str) -> String {
    format!("<stakeboard.{row_id}.{created_micros}@{host}>")
}

pub fn build(
    from: &Mailbox,
    to: &str,
    message_id: &str,
    unsubscribe_url: &str,
    rendered: Rendered,
) -> Result<Message, lettre::error::Error> {
    let to: Mailbox = to.parse().map_err(|_| lettre::error::Error::MissingTo)?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id.to_string()))
        .header(ListUnsubscribe(unsubscribe_url.to_string()))
        .header(ListUnsubscribePost)
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
}

/// The start of a proposal's markdown summary as plain text: raw HTML and link targets
/// dropped, a heading ended with a colon so it does not run into the sentence after it, cut at
/// `max_chars`.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(markdown.len().min(max_chars * 2));
    for event in Parser::new(markdown) {
        match event {
            // Inline HTML stays as the author wrote it: plain text here, escaped in HTML mails.
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::End(TagEnd::Heading(_)) => {
                let ends_sentence = text.trim_end().ends_with(['.', ':', '!', '?']);
                if !text.trim().is_empty() && !ends_sentence {
                    text.truncate(text.trim_end().len());
                    text.push(':');
                }
                text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    app::ui::text::shorten(&app::ui::text::one_line(&text), max_chars)
}

#[cfg(test)]
mod tests {
    use super::excerpt;
    use crate::mail::templates::subject_line;

    #[test]
    fn a_heading_ends_before_the_sentence_after_it() {
        let text = excerpt(
            "# Community pool spend\nThis proposal funds audits.\n\n## Why\n\nBecause.",
            400,
        );
        assert_eq!(
            text,
            "Community pool spend: This proposal funds audits. Why: Because."
        );
        assert_eq!(excerpt("# Done.\nNext", 400), "Done. Next");
    }

    #[test]
    fn links_lose_their_targets_and_long_text_is_cut() {
        assert_eq!(
            excerpt("See [the forum](https://evil.example/x) now", 400),
            "See the forum now"
        );
        assert_eq!(excerpt(&"word ".repeat(200), 12), "word word wo…");
    }

    #[test]
    fn a_subject_cannot_carry_a_header_or_reorder_text() {
        let subject = subject_line("Title\r\nBcc: victim@example.org \u{202E}txet\u{202C}");
        assert_eq!(subject, "Title Bcc: victim@example.org txet");
        assert!(!subject.contains(['\r', '\n']));
        assert_eq!(subject_line(&"x".repeat(200)).chars().count(), 151);
    }
}
