-- Search queries fold their words with nordraum_fold. STABLE (unaccent's own volatility, as it
-- looks its dictionary up by name) kept PostgreSQL from computing a query's tsquery while
-- planning: it could not estimate how many entries match, and re-computed the tsquery for every
-- row it tested. The fold depends on nothing but its input and the unaccent dictionary installed
-- with the schema, so it is declared IMMUTABLE (the usual way to use unaccent in indexes and
-- plans). Results do not change; stored vectors need no rebuild.
CREATE OR REPLACE FUNCTION nordraum_fold(t text) RETURNS text AS $$
  SELECT unaccent('unaccent',
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(t, ''),
      'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'))
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
