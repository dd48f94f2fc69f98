-- The visibility key inside the text indexes (issue 15).
--
-- A search is "every term in the document AND the actor may see it". With GIN indexes on the vectors and
-- another on `visibility_keys`, the planner took one of them and tested the other condition on each row
-- read from the table: for an officer (who sees a few documents in a hundred) counting a common word
-- read tens of thousands of rows to keep a few hundred, and for a leader a prefix word was tested by
-- unpacking each document's whole `body`. In a multicolumn GIN index the words and the keys are both
-- index conditions, intersected inside one index scan (the rarest posting list drives, the others are
-- skipped through), so only visible matches are read from the table. Each vector gets one such index;
-- the keys alone are served by any of them (a GIN index answers a condition on any of its columns), so
-- the separate visibility index goes. Plain GIN operator classes (tsvector_ops, array_ops): no extension,
-- the same on PGlite and PostgreSQL.
CREATE INDEX "search_entries_body_visibility_idx" ON "search_entries" USING gin ("body","visibility_keys");--> statement-breakpoint
CREATE INDEX "search_entries_folded_visibility_idx" ON "search_entries" USING gin ("folded","visibility_keys");--> statement-breakpoint
CREATE INDEX "search_entries_exact_visibility_idx" ON "search_entries" USING gin ("exact","visibility_keys");--> statement-breakpoint
DROP INDEX "search_entries_body_idx";--> statement-breakpoint
DROP INDEX "search_entries_folded_idx";--> statement-breakpoint
DROP INDEX "search_entries_exact_idx";--> statement-breakpoint
DROP INDEX "search_entries_visibility_idx";
--> statement-breakpoint
-- The số of number_notation (always `số/ký hiệu`): a bare number typed is the document's own number when
-- it is this part. `like '15/%'` cannot use a b-tree under a non-C collation; this expression index can.
CREATE INDEX "search_entries_number_idx" ON "search_entries" USING btree (split_part("number_notation", '/', 1));
