-- Search at archive scale (issue 15).
--
-- 1. search_entries gets the whole document as one vector (`body`: metadata and every indexed page,
--    folded, then again with its diacritics) so that "every word somewhere in the document" — and
--    "with the diacritics typed" — is one GIN lookup, the date it sorts by, and whether its text was
--    too long for `body` (then its pages are matched instead).
-- 2. The visibility key: `visibility_keys`, derived from documents, document_participants and
--    document_grants by vanthu_visibility_keys() and kept by triggers in the transaction of every change
--    to those tables. src/access/policy.ts `documentVisibilityKeys` gives the actor's side;
--    test/integration/visibility-keys.test.ts checks the pair against documentVisibility.
-- 3. search_pages keeps only what snippets need (no exact vector, no page-level GIN index) — except for
--    the pages of documents too long for `body` (long_text), which are matched page by page.
ALTER TABLE "search_entries" ADD COLUMN "body" tsvector DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "search_entries" ADD COLUMN "long_text" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "search_entries" ADD COLUMN "sort_date" date DEFAULT '0001-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_entries" ADD COLUMN "visibility_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "search_entries_body_idx" ON "search_entries" USING gin ("body");--> statement-breakpoint
CREATE INDEX "search_entries_visibility_idx" ON "search_entries" USING gin ("visibility_keys");--> statement-breakpoint
CREATE INDEX "search_entries_sort_idx" ON "search_entries" USING btree ("sort_date","document_id");--> statement-breakpoint
CREATE INDEX "search_entries_notation_idx" ON "search_entries" USING btree ("number_notation");--> statement-breakpoint
DROP INDEX "search_pages_exact_idx";--> statement-breakpoint
DROP INDEX "search_pages_folded_idx";--> statement-breakpoint
ALTER TABLE "search_pages" DROP COLUMN "exact";--> statement-breakpoint
ALTER TABLE "search_pages" ADD COLUMN "long_text" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "search_entries_long_idx" ON "search_entries" USING btree ("document_id") WHERE "search_entries"."long_text";--> statement-breakpoint
CREATE INDEX "search_pages_long_folded_idx" ON "search_pages" USING gin ("folded") WHERE "search_pages"."long_text";--> statement-breakpoint
-- The document's visibility key: who may see it, as a set of keys. An actor may see the document when
-- the document has one of the actor's "entitled" keys AND one of the actor's "open" keys (see
-- documentVisibilityKeys in src/access/policy.ts, which this must mirror):
--   l:A            the leaders of agency A
--   c:A:D          the clerks of the registering/issuing department D ('-' when it has none)
--   r:A            the archivists (archived records)
--   u:A:U, d:A:D   a person or a department on the routing path
--   o:A            open: not secret (also what an admin's metadata-only view needs)
--   g:A:U:S        secret at level S, with a grant to U (U's clearance must reach S)
-- Every key names the agency, so no key ever matches across agencies; a document without an agency has none.
CREATE OR REPLACE FUNCTION public.vanthu_visibility_keys(doc uuid) RETURNS text[]
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(array_agg(DISTINCT key ORDER BY key), '{}'::text[]) FROM (
      SELECT 'l:' || d.agency_id AS key FROM public.documents d WHERE d.id = doc
      UNION ALL
      SELECT 'c:' || d.agency_id || ':' || coalesce(d.owner_department_id::text, '-') FROM public.documents d WHERE d.id = doc
      UNION ALL
      SELECT 'r:' || d.agency_id FROM public.documents d WHERE d.id = doc AND d.status = 'archived'
      UNION ALL
      SELECT 'o:' || d.agency_id FROM public.documents d WHERE d.id = doc AND d.secrecy = 0
      UNION ALL
      SELECT 'u:' || d.agency_id || ':' || p.user_id
        FROM public.documents d JOIN public.document_participants p ON p.document_id = d.id
        WHERE d.id = doc AND p.user_id IS NOT NULL
      UNION ALL
      SELECT 'd:' || d.agency_id || ':' || p.department_id
        FROM public.documents d JOIN public.document_participants p ON p.document_id = d.id
        WHERE d.id = doc AND p.department_id IS NOT NULL
      UNION ALL
      SELECT 'g:' || d.agency_id || ':' || g.user_id || ':' || d.secrecy
        FROM public.documents d JOIN public.document_grants g ON g.document_id = d.id
        WHERE d.id = doc AND d.secrecy > 0
    ) keys WHERE key IS NOT NULL
  $$;--> statement-breakpoint
-- A search entry's key is always computed here, whoever writes the row. The document row is locked in
-- share mode first: a transaction changing its participants or grants (which locks it, below) either
-- finishes before and is seen, or waits and then refreshes this row itself.
CREATE OR REPLACE FUNCTION public.vanthu_search_entry_visibility() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM 1 FROM public.documents WHERE id = NEW.document_id FOR SHARE;
    NEW.visibility_keys := public.vanthu_visibility_keys(NEW.document_id);
    RETURN NEW;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER search_entries_visibility BEFORE INSERT OR UPDATE ON public.search_entries
  FOR EACH ROW EXECUTE FUNCTION public.vanthu_search_entry_visibility();--> statement-breakpoint
-- Refreshes one document's key in its search entry (when it has one), in the caller's transaction.
CREATE OR REPLACE FUNCTION public.vanthu_refresh_visibility(doc uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    keys text[] := public.vanthu_visibility_keys(doc);
  BEGIN
    UPDATE public.search_entries SET visibility_keys = keys
      WHERE document_id = doc AND visibility_keys IS DISTINCT FROM keys;
  END
  $$;--> statement-breakpoint
-- A row of a table that decides who sees a document (it has a document_id) changed: lock the document
-- (see vanthu_search_entry_visibility) and refresh its key. Any such table can use this trigger.
CREATE OR REPLACE FUNCTION public.vanthu_document_access_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM 1 FROM public.documents WHERE id = OLD.document_id FOR NO KEY UPDATE;
      PERFORM public.vanthu_refresh_visibility(OLD.document_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM 1 FROM public.documents WHERE id = NEW.document_id FOR NO KEY UPDATE;
      PERFORM public.vanthu_refresh_visibility(NEW.document_id);
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER document_participants_visibility AFTER INSERT OR UPDATE OR DELETE ON public.document_participants
  FOR EACH ROW EXECUTE FUNCTION public.vanthu_document_access_changed();--> statement-breakpoint
CREATE TRIGGER document_grants_visibility AFTER INSERT OR UPDATE OR DELETE ON public.document_grants
  FOR EACH ROW EXECUTE FUNCTION public.vanthu_document_access_changed();--> statement-breakpoint
-- The document row itself changed (agency, owning department, status, secrecy, or any column a future
-- rule reads): the update already holds its lock.
CREATE OR REPLACE FUNCTION public.vanthu_document_row_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM public.vanthu_refresh_visibility(NEW.id);
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER documents_visibility AFTER UPDATE ON public.documents
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION public.vanthu_document_row_changed();--> statement-breakpoint
-- Existing entries: keys now, and a re-index for the new vectors (the search.sync job drains the outbox).
UPDATE "search_entries" SET "visibility_keys" = '{}';--> statement-breakpoint
INSERT INTO "search_outbox" ("document_id") SELECT "document_id" FROM "search_entries" ON CONFLICT DO NOTHING;
