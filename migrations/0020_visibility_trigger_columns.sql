-- The visibility keys of a document (vanthu_visibility_keys) read four of its columns: agency_id,
-- owner_department_id, status and secrecy (participants and grants have triggers of their own). An
-- update that changes none of them (the số đến, the page count, a subject typo) leaves the keys as they
-- are: the trigger no longer recomputes them for it. Registration numbers every document with such an
-- update, and the recomputation was the largest part of that statement's cost.
DROP TRIGGER IF EXISTS documents_visibility ON public.documents;--> statement-breakpoint
CREATE TRIGGER documents_visibility AFTER UPDATE ON public.documents
  FOR EACH ROW WHEN (
    (OLD.agency_id, OLD.owner_department_id, OLD.status, OLD.secrecy)
      IS DISTINCT FROM (NEW.agency_id, NEW.owner_department_id, NEW.status, NEW.secrecy)
  ) EXECUTE FUNCTION public.vanthu_document_row_changed();
