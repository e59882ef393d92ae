-- Search: how text becomes searchable, in one place for the server's writes and the trigger below.
-- German stemming over text whose umlauts are spelled out (ä -> ae, ö -> oe, ü -> ue, ß -> ss) and
-- other accents removed (unaccent), so "Übersicht" and "Uebersicht", "Maßnahme" and "Massnahme"
-- meet, and the stemmer makes "Maßnahmen" find "Maßnahme". Queries are folded the same way.
-- unaccent ships with PostgreSQL's contrib package (and with the embedded PostgreSQL); it is a
-- trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nordraum_fold(t text) RETURNS text AS $$
  SELECT unaccent(
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(t, ''),
      'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'))
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nordraum_search_vector(title text, body text) RETURNS tsvector AS $$
  SELECT setweight(to_tsvector('german', nordraum_fold(title)), 'A')
      || setweight(to_tsvector('german', nordraum_fold(body)), 'B')
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- A document's own entry follows its row: created with it (so a new title is found at once, before
-- anyone opens it), renamed with it, on any instance.
CREATE OR REPLACE FUNCTION nordraum_search_document() RETURNS trigger AS $$
DECLARE
  entry_kind text := CASE NEW.kind WHEN 'notes' THEN 'protocol' WHEN 'roadmap' THEN 'roadmap' ELSE 'action_list' END;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_entry (key, kind, room_id, document_id, title, organization, vector)
    VALUES (entry_kind || ':' || NEW.id, entry_kind, NEW.room_id, NEW.id, NEW.title,
      (SELECT o.code FROM "user" u JOIN organization o ON o.id = u.organization_id WHERE u.id = NEW.created_by),
      nordraum_search_vector(NEW.title, ''))
    ON CONFLICT (key) DO NOTHING;
  ELSIF NEW.title IS DISTINCT FROM OLD.title THEN
    -- The document's own entry and, for a protocol, its passages, which carry its title too.
    UPDATE search_entry SET title = NEW.title, vector = nordraum_search_vector(NEW.title, body), updated_at = now()
    WHERE key = entry_kind || ':' || NEW.id OR (document_id = NEW.id AND kind = 'protocol');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER document_search AFTER INSERT OR UPDATE OF title ON document
  FOR EACH ROW EXECUTE FUNCTION nordraum_search_document();
--> statement-breakpoint
-- Documents that existed before: their titles now, their content at the next start (entries whose
-- content_indexed_at is null are indexed in the background).
INSERT INTO search_entry (key, kind, room_id, document_id, title, organization, vector)
SELECT k.entry_kind || ':' || d.id, k.entry_kind, d.room_id, d.id, d.title, o.code, nordraum_search_vector(d.title, '')
FROM document d
CROSS JOIN LATERAL (SELECT CASE d.kind WHEN 'notes' THEN 'protocol' WHEN 'roadmap' THEN 'roadmap' ELSE 'action_list' END AS entry_kind) k
LEFT JOIN "user" u ON u.id = d.created_by
LEFT JOIN organization o ON o.id = u.organization_id
ON CONFLICT (key) DO NOTHING;
