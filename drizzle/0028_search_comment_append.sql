-- Search: a new comment at the end of its thread is appended to the thread's entry instead of
-- rebuilding it. 0015 joined, folded and parsed every comment of the thread again on every insert:
-- 1.7 ms per comment from the 21st, 3.8 ms from the 101st, in PostgreSQL alone
-- (scripts/bench-comment-index.ts); appended, 0.4 and 0.3 ms. Edits, deletions and a comment that
-- does not come last still rebuild the entry. The entry comes out as a rebuild writes it, position
-- for position, so search finds and ranks as before:
-- - body: old body, a line break, the new comment with mentions shown as names, cut at 20,000
--   characters as the rebuild cuts it (a full body takes nothing more: only its time changes);
-- - title (the first line) stays; organisation (of the thread's author) is read again;
-- - vector: old vector || the new part's vector. `||` numbers the right side on from the left
--   side's last lexeme, but a parse counts every word, also the stopwords after that lexeme (such
--   as "zu" in "Ich stimme zu"): that many stopwords ("und") go in front of the new part.
-- Comments are joined by line breaks, which end every token, so a comment parses alone as it does
-- inside its thread.

-- Positions the parse of `t` counts after its last lexeme (stopwords), or null when it has no
-- lexeme at all or is too long to tell (its whole thread is rebuilt then).
CREATE OR REPLACE FUNCTION nordraum_search_trailing(t text) RETURNS integer AS $$
  SELECT CASE WHEN last_lexeme IS NULL OR words > 16000 THEN NULL ELSE words - last_lexeme END
  FROM (SELECT max(p)::integer AS last_lexeme FROM unnest(to_tsvector('german', t)) u, unnest(u.positions) p) l,
    -- Tokens the german configuration looks up count a position; those of 2047 bytes and over are skipped unseen.
    (SELECT count(*)::integer AS words FROM ts_parse('default', t) tok
      WHERE octet_length(tok.token) < 2047
        AND tok.tokid IN (SELECT maptokentype FROM pg_ts_config_map WHERE mapcfg = 'german'::regconfig)) w
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- Appends comment `c` to its thread's entry; false (nothing written) when only a rebuild can tell.
CREATE OR REPLACE FUNCTION nordraum_search_append(c comment) RETURNS boolean AS $$
DECLARE
  entry_key text;
  author_organization text;
  used integer;
  previous text;
  stopwords integer;
  appended text;
  old_vector tsvector;
  added tsvector;
BEGIN
  IF EXISTS (SELECT 1 FROM comment WHERE thread_id = c.thread_id AND (created_at, id) > (c.created_at, c.id)) THEN
    RETURN false;
  END IF;
  -- The organisation of the thread's author as a rebuild reads it (it may have changed since).
  SELECT 'comment:' || t.document_id || ':' || t.id, o.code INTO entry_key, author_organization
  FROM comment_thread t
  LEFT JOIN "user" u ON u.id = t.created_by
  LEFT JOIN organization o ON o.id = u.organization_id
  WHERE t.id = c.thread_id;
  SELECT length(body), vector INTO used, old_vector FROM search_entry WHERE key = entry_key;
  IF used IS NULL OR used = 0 THEN
    RETURN false;
  END IF;
  IF used >= 20000 THEN
    UPDATE search_entry SET organization = author_organization, updated_at = now() WHERE key = entry_key;
    RETURN true;
  END IF;
  SELECT p.body INTO previous FROM comment p
    WHERE p.thread_id = c.thread_id AND p.id <> c.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1;
  stopwords := nordraum_search_trailing(nordraum_fold(regexp_replace(previous, '@\[([^\]]*)\]\([^)]*\)', '@\1', 'g')));
  IF stopwords IS NULL THEN
    RETURN false;
  END IF;
  appended := left(E'\n' || regexp_replace(c.body, '@\[([^\]]*)\]\([^)]*\)', '@\1', 'g'), 20000 - used);
  added := setweight(to_tsvector('german', repeat('und ', stopwords) || nordraum_fold(appended)), 'B');
  -- A parse keeps a word's first 255 positions, `||` up to 256: a word that would pass 255 is rebuilt.
  -- Only the words of the new part are looked up in the old vector (marked D, the rest filtered out).
  IF EXISTS (SELECT 1 FROM unnest(ts_filter(setweight(old_vector, 'D', tsvector_to_array(added)), '{d}')) o
      JOIN unnest(added) a USING (lexeme)
      WHERE cardinality(o.positions) + cardinality(a.positions) > 255) THEN
    RETURN false;
  END IF;
  UPDATE search_entry SET body = body || appended, vector = vector || added, organization = author_organization,
    updated_at = now()
  WHERE key = entry_key;
  RETURN true;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nordraum_search_comment() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND nordraum_search_append(NEW) THEN
    RETURN NULL;
  END IF;
  PERFORM nordraum_search_thread(CASE WHEN TG_OP = 'DELETE' THEN OLD.thread_id ELSE NEW.thread_id END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
