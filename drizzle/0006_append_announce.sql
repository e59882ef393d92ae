-- nordraum_append (0005) with p_announce: false leaves out the NOTIFY and its inline payload. An
-- instance on the embedded PostgreSQL is the only one using that database (a second Nordraum on the
-- same DATA_DIR refuses to start), so nobody would hear the announcement; its own listener
-- received and dropped every one of them, and producing and delivering them cost PostgreSQL about
-- a fifth of its CPU under load. The five-argument version stays for instances of the previous
-- release during a rolling update, as a call of this one (at the end).
CREATE OR REPLACE FUNCTION nordraum_append(
  p_instance text,
  p_documents uuid[],
  p_updates bytea[],
  p_users uuid[],
  p_max_inline integer,
  p_announce boolean
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
    IF p_announce THEN
      inline := '';
      IF size <= p_max_inline THEN
        SELECT string_agg(translate(encode(t.u, 'base64'), E'\n', ''), ',' ORDER BY t.ord) INTO inline
          FROM unnest(p_documents, p_updates) WITH ORDINALITY AS t(doc, u, ord) WHERE t.doc = d;
      END IF;
      PERFORM pg_notify('nordraum_doc', '{"i":"' || p_instance || '","d":"' || d || '","c":' || n
        || ',"t":' || (extract(epoch FROM clock_timestamp()) * 1000)::bigint || ',"l":' || last
        || ',"u":"' || inline || '"}');
    END IF;
    document_id := d;
    last_seq := last;
    RETURN NEXT;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nordraum_append(
  p_instance text,
  p_documents uuid[],
  p_updates bytea[],
  p_users uuid[],
  p_max_inline integer
) RETURNS TABLE (document_id uuid, last_seq bigint) AS $$
  SELECT * FROM nordraum_append(p_instance, p_documents, p_updates, p_users, p_max_inline, true);
$$ LANGUAGE sql;
