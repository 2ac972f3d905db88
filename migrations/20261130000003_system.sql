-- Every statement that changes a row of a table a shared page reads notifies `stakeboard_data`
-- (the payload is the table's name); each web server's page cache moves its data version on it
-- (server/src/http/page_cache.rs), so no page is kept from before a committed change.
-- Postgres sends one notification per channel and payload per transaction, however many
-- statements fire, and only at commit. A statement that touched no row (an UPDATE whose WHERE
-- matched nothing) notifies nothing: its transition table is empty.
CREATE FUNCTION notify_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed) THEN
        PERFORM pg_notify('stakeboard_data', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stakeboard_data', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

-- A trigger with a transition table fires for one event, so each table gets one per event.
DO $$
DECLARE
    shown text;
    event text;
BEGIN
    FOREACH shown IN ARRAY ARRAY[
        'networks', 'worker_runs', 'validators', 'validator_history', 'network_status',
        'proposals', 'votes', 'vote_history', 'proposal_snapshots', 'gov_params'
    ] LOOP
        -- event:rows, the transition table that holds the changed rows
        FOREACH event IN ARRAY ARRAY['INSERT:NEW', 'UPDATE:NEW', 'DELETE:OLD'] LOOP
            EXECUTE format(
                'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed '
                'FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_changed()',
                shown || '_' || lower(split_part(event, ':', 1)) || '_notify',
                split_part(event, ':', 1), shown, split_part(event, ':', 2));
        END LOOP;
        EXECUTE format(
            'CREATE TRIGGER %I AFTER TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION notify_truncated()',
            shown || '_truncate_notify', shown);
    END LOOP;
END
$$;
