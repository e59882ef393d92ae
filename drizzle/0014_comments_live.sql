-- New notifications are announced on nordraum_live, whoever inserts them (API, the reminder job,
-- the trigger below), so every instance can update the person's unread count within a second.
CREATE OR REPLACE FUNCTION nordraum_notify_notification() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('nordraum_live', json_build_object('kind', 'notification', 'userId', NEW.user_id)::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER notification_live AFTER INSERT ON "notification"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_notification();
--> statement-breakpoint
-- An action assigned to someone (a new owner in the action index, whichever instance indexed it)
-- notifies that person once per action and owner, if they may read the list and did not assign it
-- themselves. Who assigned is the author of the list's newest logged edit: the index follows edits
-- within a second, so that is the assignment (or, after a compaction emptied the log, unknown).
CREATE OR REPLACE FUNCTION nordraum_action_assigned() RETURNS trigger AS $$
DECLARE
  actor uuid;
  doc record;
BEGIN
  IF NEW.owner_id IS NULL OR (TG_OP = 'UPDATE' AND OLD.owner_id IS NOT DISTINCT FROM NEW.owner_id) THEN
    RETURN NULL;
  END IF;
  SELECT d.id, d.room_id, d.title, r.name AS room_name INTO doc
    FROM "document" d JOIN "room" r ON r.id = d.room_id WHERE d.id = NEW.document_id;
  IF NOT EXISTS (
    SELECT 1 FROM "user" u WHERE u.id = NEW.owner_id AND u.disabled_at IS NULL AND (
      EXISTS (SELECT 1 FROM "room_member" m WHERE m.room_id = doc.room_id AND m.user_id = u.id)
      OR EXISTS (SELECT 1 FROM "organization_grant" g WHERE g.room_id = doc.room_id AND g.organization_id = u.organization_id))
  ) THEN
    RETURN NULL;
  END IF;
  SELECT u.user_id INTO actor FROM "doc_update" u WHERE u.document_id = NEW.document_id ORDER BY u.seq DESC LIMIT 1;
  IF actor IS NOT NULL AND actor = NEW.owner_id THEN
    RETURN NULL;
  END IF;
  INSERT INTO "notification" (user_id, kind, actor_id, room_id, document_id, item_id, data, dedupe_key)
    VALUES (NEW.owner_id, 'action_assigned', actor, doc.room_id, NEW.document_id, NEW.item_id,
      jsonb_build_object('title', NEW.title, 'documentTitle', doc.title, 'roomName', doc.room_name, 'due', NEW.due),
      'assigned:' || NEW.document_id || ':' || NEW.item_id || ':' || NEW.owner_id)
    ON CONFLICT (user_id, dedupe_key) DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER action_index_assigned AFTER INSERT OR UPDATE OF owner_id ON "action_index"
  FOR EACH ROW EXECUTE FUNCTION nordraum_action_assigned();
