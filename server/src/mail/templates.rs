//! The mail templates: subject, plain text and HTML for each kind, as files under
//! `server/templates/mail/`, compiled into the binary and rendered with minijinja. HTML
//! templates escape everything they are given (proposal titles and summaries come from the
//! chain and are hostile).

use minijinja::{AutoEscape, Environment};
use serde::Serialize;

const FILES: &[(&str, &str)] = &[
    (
        "layout.html",
        include_str!("../../templates/mail/layout.html"),
    ),
    (
        "footer.txt",
        include_str!("../../templates/mail/footer.txt"),
    ),
    (
        "confirm.subject",
        include_str!("../../templates/mail/confirm.subject"),
    ),
    (
        "confirm.txt",
        include_str!("../../templates/mail/confirm.txt"),
    ),
    (
        "confirm.html",
        include_str!("../../templates/mail/confirm.html"),
    ),
    (
        "manage.subject",
        include_str!("../../templates/mail/manage.subject"),
    ),
    (
        "manage.txt",
        include_str!("../../templates/mail/manage.txt"),
    ),
    (
        "manage.html",
        include_str!("../../templates/mail/manage.html"),
    ),
    (
        "voting.subject",
        include_str!("../../templates/mail/voting.subject"),
    ),
    (
        "voting.txt",
        include_str!("../../templates/mail/voting.txt"),
    ),
    (
        "voting.html",
        include_str!("../../templates/mail/voting.html"),
    ),
    (
        "result.subject",
        include_str!("../../templates/mail/result.subject"),
    ),
    (
        "result.txt",
        include_str!("../../templates/mail/result.txt"),
    ),
    (
        "result.html",
        include_str!("../../templates/mail/result.html"),
    ),
    (
        "reminder.subject",
        include_str!("../../templates/mail/reminder.subject"),
    ),
    (
        "reminder.txt",
        include_str!("../../templates/mail/reminder.txt"),
    ),
    (
        "reminder.html",
        include_str!("../../templates/mail/reminder.html"),
    ),
];

pub struct Templates {
    env: Environment<'static>,
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Templates {
    pub fn load() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_trim_blocks(true);
        for (name, source) in FILES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("mail template {name} does not parse: {e}"));
        }
        Self { env }
    }

    pub fn render(
        &self,
        kind: &str,
        context: &impl Serialize,
    ) -> Result<Rendered, minijinja::Error> {
        let part = |suffix: &str| {
            self.env
                .get_template(&format!("{kind}.{suffix}"))
                .and_then(|t| t.render(context))
        };
        Ok(Rendered {
            subject: subject_line(&part("subject")?),
            text: part("txt")?,
            html: part("html")?,
        })
    }
}

/// A subject on one line, without control or bidi characters (so no chain text can add a
/// header or reorder it), of a readable length.
pub fn subject_line(text: &str) -> String {
    app::ui::text::shorten(&app::ui::text::one_line(text), 150)
}
