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
    body::{Body, Bytes},
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures::{stream, StreamExt, TryStreamExt};

/// Ballots read per query while the CSV streams: the memory a download holds, whatever the
/// proposal's size.
const CHUNK: i64 = 5_000;

/// The CSV of every recorded ballot, oldest first, streamed a chunk at a time (each chunk an
/// index range after the last ballot sent). Ballots recorded while it downloads may appear at
/// its end; none appears twice.
pub async fn votes_csv(
    State(state): State<ServerState>,
    Params(ProposalPath { network, id }): Params<ProposalPath>,
) -> Result<Response, ApiError> {
    let id = super::proposal_id(&id)?;
    // Answers 404 for an unknown network or proposal, like the page.
    app::governance::service::votes(&state.pool, &network, id, 1, VotePosition::Offset(0)).await?;
    let filename = format!(
        "{}-proposal-{id}-votes.csv",
        network.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    let header = stream::once(async {
        Ok::<_, sqlx::Error>(Bytes::from_static(
            b"voter,validator,option,options,seen_at,current\n",
        ))
    });
    let start = Some((DateTime::<Utc>::UNIX_EPOCH, String::new()));
    let chunks = stream::try_unfold(start, move |after| {
        let (pool, network) = (state.pool.clone(), network.clone());
        async move {
            let Some((seen_at, voter)) = after else {
                return Ok(None);
            };
            let rows = db::ballots_after(&pool, &network, id, CHUNK, (seen_at, &voter)).await?;
            let next = (rows.len() as i64 == CHUNK)
                .then(|| rows.last().map(|r| (r.seen_at, r.voter.clone())))
                .flatten();
            Ok(Some((Bytes::from(lines(rows)), next)))
        }
    })
    .inspect_err(|e| tracing::warn!(error = %e, "votes CSV cut short: the database failed"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(header.chain(chunks)),
    )
        .into_response())
}

fn lines(rows: Vec<db::HistoryRow>) -> String {
    let mut out = String::new();
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
    out
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
