-- The update log's append, as one function: the sync server calls it once per group commit with
-- every update that arrived meanwhile (any number of documents), through a prepared statement, so
-- PostgreSQL plans it once per connection instead of parsing a new statement for every batch.
-- Per document, in id order (the same lock order on every instance, so batches never deadlock):
-- take the sequence numbers under the document row's lock, insert the entries, and announce them
-- on nordraum_doc with the updates inline (base64, comma-separated) when they are small. A document
-- that no longer exists is left out of the result.
CREATE OR REPLACE FUNCTION nordraum_append(
  p_instance text,
  p_documents uuid[],
  p_updates bytea[],
  p_users uuid[],
  p_max_inline integer
) RETURNS TABLE (document_id uuid, last_seq bigint) AS $$
DECLARE
  d uuid;
  n integer;
  size integer;
  last bigint;
  inline text;
BEGIN
  FOR d IN SELECT DISTINCT x FROM unnest(p_documents) AS x ORDER BY x LOOP
    SELECT count(*), coalesce(sum(octet_length(t.u)), 0) INTO n, size
      FROM unnest(p_documents, p_updates) AS t(doc, u) WHERE t.doc = d;
    UPDATE "document" SET update_seq = update_seq + n, updated_at = now() WHERE id = d RETURNING update_seq INTO last;
    IF NOT FOUND THEN
      CONTINUE;
    END IF;
    INSERT INTO doc_update (document_id, seq, "update", user_id)
      SELECT d, last - n + row_number() OVER (ORDER BY t.ord), t.u, t.usr
      FROM unnest(p_documents, p_updates, p_users) WITH ORDINALITY AS t(doc, u, usr, ord) WHERE t.doc = d;
    inline := '';
    IF size <= p_max_inline THEN
      SELECT string_agg(translate(encode(t.u, 'base64'), E'\n', ''), ',' ORDER BY t.ord) INTO inline
        FROM unnest(p_documents, p_updates) WITH ORDINALITY AS t(doc, u, ord) WHERE t.doc = d;
    END IF;
    PERFORM pg_notify('nordraum_doc', '{"i":"' || p_instance || '","d":"' || d || '","c":' || n
      || ',"t":' || (extract(epoch FROM clock_timestamp()) * 1000)::bigint || ',"l":' || last
      || ',"u":"' || inline || '"}');
    document_id := d;
    last_seq := last;
    RETURN NEXT;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
