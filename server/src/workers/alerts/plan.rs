//! Turns proposal events into outbox rows. Each statement inserts the "handled" mark and the
//! mails in one transaction, under unique keys: a crash between rounds loses nothing, and a
//! second planner (or a re-run) adds nothing.

use sqlx::PgPool;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub events: u64,
    pub mails: u64,
    pub reminders_checked: u64,
}

impl std::fmt::Display for Planned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new events, {} reminder checks, {} mails queued",
            self.events, self.reminders_checked, self.mails
        )
    }
}

pub async fn plan(pool: &PgPool) -> Result<Planned, sqlx::Error> {
    let (voting_events, voting_mails) = proposal_events(pool, "voting").await?;
    let (result_events, result_mails) = proposal_events(pool, "result").await?;
    let (checked, reminder_mails) = reminders(pool).await?;
    Ok(Planned {
        events: voting_events + result_events,
        mails: voting_mails + result_mails + reminder_mails,
        reminders_checked: checked,
    })
}

/// Proposals that entered voting (`voting`) or whose voting ended (`result`) since the last
/// round: one event each, and one mail per confirmed subscriber who asked for it and was
/// confirmed when it happened (a new subscriber is not sent old news).
async fn proposal_events(pool: &PgPool, kind: &str) -> Result<(u64, u64), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let events = sqlx::query!(
        r#"INSERT INTO alert_events (network, proposal_id, kind, happened_at, recipients)
           SELECT p.network, p.id, $1,
                  CASE WHEN $1 = 'voting' THEN p.voting_seen_at ELSE p.ended_seen_at END, 0
           FROM proposals p
           WHERE CASE WHEN $1 = 'voting' THEN p.voting_seen_at IS NOT NULL ELSE p.ended_seen_at IS NOT NULL END
             AND NOT EXISTS (SELECT 1 FROM alert_events e
                             WHERE e.network = p.network AND e.proposal_id = p.id AND e.kind = $1)
           ON CONFLICT DO NOTHING"#,
        kind
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if events == 0 {
        return Ok((0, 0));
    }
    let mails = sqlx::query!(
        r#"INSERT INTO mail_outbox (dedupe_key, subscriber_id, kind, network, proposal_id)
           SELECT e.kind || ':' || e.network || ':' || e.proposal_id || ':' || s.id, s.id, e.kind,
                  e.network, e.proposal_id
           FROM alert_events e
           JOIN subscriptions c ON c.network = e.network
                AND CASE WHEN e.kind = 'voting' THEN c.on_voting ELSE c.on_result END
           JOIN subscribers s ON s.id = c.subscriber_id
                AND s.status = 'confirmed' AND s.confirmed_at <= e.happened_at
           WHERE e.kind = $1 AND e.planned_at = now()
           ON CONFLICT (dedupe_key) DO NOTHING"#,
        kind
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query!(
        r#"UPDATE alert_events e SET recipients = (
               SELECT count(*) FROM mail_outbox o
               WHERE o.kind = e.kind AND o.network = e.network AND o.proposal_id = e.proposal_id)
           WHERE e.kind = $1 AND e.planned_at = now()"#,
        kind
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((events, mails))
}

/// For each open proposal whose end is within a subscriber's lead time: which of their
/// watched validators have not voted. One check per subscriber and proposal, and a mail only
/// when some have not.
async fn reminders(pool: &PgPool) -> Result<(u64, u64), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let checks = sqlx::query!(
        r#"INSERT INTO alert_reminders (network, proposal_id, subscriber_id, missing)
           SELECT p.network, p.id, c.subscriber_id,
                  ARRAY(SELECT v.operator_address FROM validators v
                        WHERE v.network = p.network AND v.operator_address = ANY (c.reminder_validators)
                          AND NOT EXISTS (SELECT 1 FROM votes vo
                                          WHERE vo.network = p.network AND vo.proposal_id = p.id
                                            AND vo.voter = v.account_address)
                        ORDER BY v.rank)
           FROM proposals p
           JOIN subscriptions c ON c.network = p.network AND c.reminder_hours IS NOT NULL
           JOIN subscribers s ON s.id = c.subscriber_id AND s.status = 'confirmed'
           WHERE p.status = 'PROPOSAL_STATUS_VOTING_PERIOD' AND p.voting_seen_at IS NOT NULL
             AND p.voting_end_time > now()
             AND p.voting_end_time - make_interval(hours => c.reminder_hours) <= now()
           ON CONFLICT DO NOTHING"#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if checks == 0 {
        return Ok((0, 0));
    }
    let mails = sqlx::query!(
        r#"INSERT INTO mail_outbox (dedupe_key, subscriber_id, kind, network, proposal_id, payload)
           SELECT 'reminder:' || r.network || ':' || r.proposal_id || ':' || r.subscriber_id,
                  r.subscriber_id, 'reminder', r.network, r.proposal_id,
                  jsonb_build_object('missing', (
                      SELECT jsonb_agg(jsonb_build_object('operator', v.operator_address, 'moniker', v.moniker)
                                       ORDER BY v.rank)
                      FROM validators v
                      WHERE v.network = r.network AND v.operator_address = ANY (r.missing)))
           FROM alert_reminders r
           WHERE r.checked_at = now() AND cardinality(r.missing) > 0
           ON CONFLICT (dedupe_key) DO NOTHING"#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok((checks, mails))
}
