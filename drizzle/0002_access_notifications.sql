-- Access changes are announced on the channel nordraum_access, whoever makes them (API, CLI, SQL),
-- so every instance can re-check the open websocket connections they affect within a second.
CREATE OR REPLACE FUNCTION nordraum_notify_access() RETURNS trigger AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'room_member' THEN
    PERFORM pg_notify('nordraum_access', json_build_object('kind', 'member', 'roomId', r.room_id, 'userId', r.user_id)::text);
  ELSIF TG_TABLE_NAME = 'organization_grant' THEN
    PERFORM pg_notify('nordraum_access', json_build_object('kind', 'grant', 'roomId', r.room_id, 'organizationId', r.organization_id)::text);
  ELSIF TG_TABLE_NAME = 'session' THEN
    PERFORM pg_notify('nordraum_access', json_build_object('kind', 'session', 'sessionId', r.id)::text);
  ELSIF TG_TABLE_NAME = 'user' THEN
    PERFORM pg_notify('nordraum_access', json_build_object('kind', 'user', 'userId', r.id)::text);
  ELSIF TG_TABLE_NAME = 'document' THEN
    PERFORM pg_notify('nordraum_access', json_build_object('kind', 'document', 'documentId', r.id)::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER room_member_access AFTER INSERT OR UPDATE OR DELETE ON "room_member"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_access();
--> statement-breakpoint
CREATE TRIGGER organization_grant_access AFTER INSERT OR UPDATE OR DELETE ON "organization_grant"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_access();
--> statement-breakpoint
CREATE TRIGGER session_access AFTER DELETE ON "session"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_access();
--> statement-breakpoint
CREATE TRIGGER user_access AFTER UPDATE OF disabled_at, organization_id, is_admin ON "user"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_access();
--> statement-breakpoint
CREATE TRIGGER document_access AFTER UPDATE OF archived_at, room_id OR DELETE ON "document"
  FOR EACH ROW EXECUTE FUNCTION nordraum_notify_access();
