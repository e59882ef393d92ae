-- Search: comment threads are found like milestones and actions. One entry per thread
-- (`comment:<document id>:<thread id>`), its body the thread's comments in order with mention
-- tokens shown as names, kept by a trigger on `comment` in the same transaction as the comment
-- itself: found at once, on every instance, and gone with the last comment.
CREATE OR REPLACE FUNCTION nordraum_search_thread(thread uuid) RETURNS void AS $$
DECLARE
  found record;
BEGIN
  SELECT t.id, t.document_id, d.room_id, o.code AS organization,
    (SELECT string_agg(regexp_replace(c.body, '@\[([^\]]*)\]\([^)]*\)', '@\1', 'g'), E'\n' ORDER BY c.created_at, c.id)
       FROM comment c WHERE c.thread_id = t.id) AS body
  INTO found
  FROM comment_thread t
  JOIN document d ON d.id = t.document_id
  LEFT JOIN "user" u ON u.id = t.created_by
  LEFT JOIN organization o ON o.id = u.organization_id
  WHERE t.id = thread;
  IF found.id IS NULL OR found.body IS NULL THEN
    DELETE FROM search_entry WHERE kind = 'comment' AND item_id = thread::text;
    RETURN;
  END IF;
  INSERT INTO search_entry (key, kind, room_id, document_id, item_id, title, body, organization, vector)
  VALUES ('comment:' || found.document_id || ':' || found.id, 'comment', found.room_id, found.document_id, found.id::text,
    left(split_part(found.body, E'\n', 1), 120), left(found.body, 20000), found.organization,
    nordraum_search_vector('', left(found.body, 20000)))
  ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body,
    organization = excluded.organization, vector = excluded.vector, updated_at = now();
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nordraum_search_comment() RETURNS trigger AS $$
BEGIN
  PERFORM nordraum_search_thread(CASE WHEN TG_OP = 'DELETE' THEN OLD.thread_id ELSE NEW.thread_id END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER comment_search AFTER INSERT OR DELETE OR UPDATE OF body ON comment
  FOR EACH ROW EXECUTE FUNCTION nordraum_search_comment();
--> statement-breakpoint
-- Threads that existed before.
SELECT nordraum_search_thread(id) FROM comment_thread;
