-- Proposals are stored again only when the chain's answer for them changes. Forget the hash of
-- every stored answer once, so the next read stores each proposal through today's parser: titles
-- taken from metadata or named after the first message when the chain gives none, and text
-- without bidi or control characters.
UPDATE proposals SET source_hash = '';
