//! `/proposals/{network}/{id}/votes.csv`: every vote and change of vote recorded for a proposal.

use crate::{
    api::{
        params::{Params, ProposalPath},
        ApiError,
    },
    state::ServerState,
};
use app::governance::{db, model::VotePosition};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

pub async fn votes_csv(
    State(state): State<ServerState>,
    Params(ProposalPath { network, id }): Params<ProposalPath>,
) -> Result<Response, ApiError> {
    let id = super::proposal_id(&id)?;
    // Answers 404 for an unknown network or proposal, like the page.
    app::governance::service::votes(&state.pool, &network, id, 1, VotePosition::Offset(0)).await?;
    let rows = db::vote_history(&state.pool, &network, id)
        .await
        .map_err(app::error::AppError::from)?;
    let mut out = String::from("voter,validator,option,options,seen_at,current\n");
    for r in rows {
        let fields = [
            r.voter,
            r.validator.unwrap_or_default(),
            r.option,
            r.options,
            r.seen_at.to_rfc3339(),
            r.current.to_string(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    let filename = format!(
        "{}-proposal-{id}-votes.csv",
        network.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response())
}

/// A CSV cell: quoted when it must be, and a leading formula character defused (monikers come
/// from the chain; a spreadsheet must not run them).
fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-2"), "'-2");
    }
}
