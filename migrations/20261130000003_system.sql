-- Every statement that changes what a shared page shows notifies `stakeboard_data`; each web
-- server's page cache moves its data version on it (server/src/http/page_cache.rs), so no page
-- is served from before a committed change. Postgres sends one notification per channel and
-- payload per transaction, however many statements fire.
CREATE FUNCTION notify_data_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stakeboard_data', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    shown text;
BEGIN
    FOREACH shown IN ARRAY ARRAY[
        'networks', 'worker_runs', 'validators', 'validator_history', 'network_status',
        'proposals', 'votes', 'vote_history', 'proposal_snapshots', 'gov_params'
    ] LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
            shown || '_notify_data_changed', shown);
    END LOOP;
END
$$;
