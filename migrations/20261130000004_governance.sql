-- How many voters a proposal has recorded, kept by the votes worker in the transaction that
-- writes the votes: the proposal page and every page of the votes JSON read it instead of
-- counting the votes (15 ms at 100,000 votes, on every request).
ALTER TABLE proposals ADD COLUMN votes_recorded BIGINT NOT NULL DEFAULT 0;

UPDATE proposals p
SET votes_recorded = counted.n
FROM (SELECT network, proposal_id, count(*) AS n FROM votes GROUP BY network, proposal_id) AS counted
WHERE counted.network = p.network AND counted.proposal_id = p.id;
