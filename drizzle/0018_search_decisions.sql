-- Search: decisions of the register are found like comment threads, one entry per decision
-- (`decision:<room id>:<decision id>`, no document), title "LK-2026-007 · Titel", kept by a
-- trigger in the same transaction as the decision: found at once, on every instance.
CREATE OR REPLACE FUNCTION nordraum_search_decision() RETURNS trigger AS $$
DECLARE
  heading text := NEW.number || ' · ' || NEW.title;
BEGIN
  INSERT INTO search_entry (key, kind, room_id, document_id, item_id, title, body, organization, vector, updated_at)
  VALUES ('decision:' || NEW.room_id || ':' || NEW.id, 'decision', NEW.room_id, NULL, NEW.id::text, heading,
    left(NEW.text, 20000),
    (SELECT o.code FROM "user" u JOIN organization o ON o.id = u.organization_id WHERE u.id = NEW.created_by),
    nordraum_search_vector(heading, left(NEW.text, 20000)), now())
  ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body, vector = excluded.vector,
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER decision_search AFTER INSERT OR UPDATE OF title, text, number ON decision
  FOR EACH ROW EXECUTE FUNCTION nordraum_search_decision();
--> statement-breakpoint
-- Decisions recorded before.
UPDATE decision SET title = title;
