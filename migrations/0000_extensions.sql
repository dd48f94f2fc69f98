-- drizzle-kit never emits CREATE EXTENSION. unaccent and pg_trgm serve Vietnamese full-text search
-- (đ→d folding, trigram matching of numbers and notations) on both PGlite and PostgreSQL.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
