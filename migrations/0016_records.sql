CREATE TABLE "file_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"title" varchar(300) NOT NULL,
	"status" varchar(16) DEFAULT 'draft' NOT NULL,
	"copied_from_plan_id" uuid,
	"approved_by" uuid,
	"approved_at" timestamp (3) with time zone,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "file_plans_status_check" CHECK ("file_plans"."status" in ('draft', 'approved'))
);
--> statement-breakpoint
CREATE TABLE "fixity_checks" (
	"blob_key" varchar(200) PRIMARY KEY NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"size" bigint NOT NULL,
	"checked_at" timestamp (3) with time zone,
	"ok" boolean,
	"problem" varchar(300),
	"run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "fixity_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"blobs_checked" integer DEFAULT 0 NOT NULL,
	"bytes_checked" bigint DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"coverage" jsonb
);
--> statement-breakpoint
CREATE TABLE "legal_hold_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hold_id" uuid NOT NULL,
	"document_id" uuid,
	"record_file_id" uuid,
	CONSTRAINT "legal_hold_items_target_check" CHECK (("legal_hold_items"."document_id" is null) <> ("legal_hold_items"."record_file_id" is null))
);
--> statement-breakpoint
CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"reason" varchar(2000) NOT NULL,
	"legal_basis" varchar(500) NOT NULL,
	"scope_kind" varchar(16) NOT NULL,
	"search_query" jsonb,
	"status" varchar(16) DEFAULT 'active' NOT NULL,
	"placed_by" uuid,
	"placed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lifted_by" uuid,
	"lifted_at" timestamp (3) with time zone,
	"lift_reason" varchar(2000),
	CONSTRAINT "legal_holds_status_check" CHECK ("legal_holds"."status" in ('active', 'lifted')),
	CONSTRAINT "legal_holds_scope_check" CHECK ("legal_holds"."scope_kind" in ('documents', 'files', 'search'))
);
--> statement-breakpoint
CREATE TABLE "record_access_grants" (
	"request_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"participant_id" uuid,
	"added_secret_grant" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "record_access_grants_request_id_document_id_pk" PRIMARY KEY("request_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "record_access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"requester_id" uuid NOT NULL,
	"record_file_id" uuid,
	"document_id" uuid,
	"purpose" varchar(1000) NOT NULL,
	"requested_until" date NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone,
	"decision_note" varchar(1000),
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_access_requests_status_check" CHECK ("record_access_requests"."status" in ('pending', 'approved', 'refused', 'expired', 'withdrawn')),
	CONSTRAINT "record_access_requests_scope_check" CHECK (("record_access_requests"."record_file_id" is null) <> ("record_access_requests"."document_id" is null))
);
--> statement-breakpoint
CREATE TABLE "record_disposal_files" (
	"disposal_id" uuid NOT NULL,
	"record_file_id" uuid NOT NULL,
	CONSTRAINT "record_disposal_files_disposal_id_record_file_id_pk" PRIMARY KEY("disposal_id","record_file_id")
);
--> statement-breakpoint
CREATE TABLE "record_disposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"status" varchar(16) DEFAULT 'proposed' NOT NULL,
	"reason" varchar(2000),
	"proposed_by" uuid,
	"proposed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"decision_number" varchar(60),
	"decision_date" date,
	"council_members" varchar(2000),
	"approved_by" uuid,
	"approved_at" timestamp (3) with time zone,
	"decision_blob_key" varchar(200),
	"decision_sha256" varchar(64),
	"destroyed_by" uuid,
	"destroyed_at" timestamp (3) with time zone,
	"certificate_blob_key" varchar(200),
	"certificate_sha256" varchar(64),
	CONSTRAINT "record_disposals_status_check" CHECK ("record_disposals"."status" in ('proposed', 'approved', 'destroyed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "record_file_documents" (
	"record_file_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"ordinal" integer,
	"page_from" integer,
	"page_to" integer,
	"filed_by" uuid,
	"filed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_file_documents_record_file_id_document_id_pk" PRIMARY KEY("record_file_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "record_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"plan_id" uuid,
	"year" smallint NOT NULL,
	"department_id" uuid,
	"heading" varchar(200),
	"notation" varchar(20) NOT NULL,
	"file_code" varchar(80) NOT NULL,
	"title" varchar(500) NOT NULL,
	"retention_entry_id" uuid,
	"permanent" boolean NOT NULL,
	"retention_years" smallint,
	"retention_reason" varchar(500),
	"keeper_user_id" uuid,
	"mode" smallint DEFAULT 1 NOT NULL,
	"language" varchar(50) DEFAULT 'Tiếng Việt' NOT NULL,
	"keywords" varchar(500),
	"notes" varchar(500),
	"description" varchar(500),
	"status" varchar(16) DEFAULT 'planned' NOT NULL,
	"start_date" date,
	"end_date" date,
	"document_count" integer,
	"page_count" integer,
	"closed_at" timestamp (3) with time zone,
	"closed_by" uuid,
	"reopen_reason" varchar(1000),
	"transfer_id" uuid,
	"transferred_at" timestamp (3) with time zone,
	"destroyed_at" timestamp (3) with time zone,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_files_status_check" CHECK ("record_files"."status" in ('planned', 'open', 'closed', 'transferred', 'destroyed')),
	CONSTRAINT "record_files_retention_check" CHECK (("record_files"."permanent" and "record_files"."retention_years" is null) or (not "record_files"."permanent" and "record_files"."retention_years" between 1 and 100)),
	CONSTRAINT "record_files_mode_check" CHECK ("record_files"."mode" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "record_tombstones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"disposal_id" uuid NOT NULL,
	"record_file_id" uuid NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"department_id" uuid,
	"status" varchar(16) DEFAULT 'submitted' NOT NULL,
	"note" varchar(1000),
	"submitted_by" uuid,
	"submitted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"received_by" uuid,
	"received_at" timestamp (3) with time zone,
	"return_reason" varchar(1000),
	"file_count" integer DEFAULT 0 NOT NULL,
	"document_count" integer DEFAULT 0 NOT NULL,
	"byte_count" bigint DEFAULT 0 NOT NULL,
	"check_report" jsonb,
	"inventory_blob_key" varchar(200),
	"inventory_sha256" varchar(64),
	"receipt_blob_key" varchar(200),
	"receipt_sha256" varchar(64),
	CONSTRAINT "record_transfers_status_check" CHECK ("record_transfers"."status" in ('submitted', 'received', 'returned'))
);
--> statement-breakpoint
CREATE TABLE "records_settings" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"archive_head_user_id" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_schedule_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"source" varchar(100) NOT NULL,
	"code" varchar(30) NOT NULL,
	"group_title" varchar(300),
	"title" varchar(500) NOT NULL,
	"retention_years" smallint,
	"notes" varchar(1000),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_entries_years_check" CHECK ("retention_schedule_entries"."retention_years" is null or "retention_schedule_entries"."retention_years" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "document_files" ADD COLUMN "destroyed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "file_plans" ADD CONSTRAINT "file_plans_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_plans" ADD CONSTRAINT "file_plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_plans" ADD CONSTRAINT "file_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold_items" ADD CONSTRAINT "legal_hold_items_hold_id_legal_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."legal_holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold_items" ADD CONSTRAINT "legal_hold_items_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold_items" ADD CONSTRAINT "legal_hold_items_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_request_id_record_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."record_access_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_requests" ADD CONSTRAINT "record_access_requests_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_requests" ADD CONSTRAINT "record_access_requests_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_requests" ADD CONSTRAINT "record_access_requests_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_requests" ADD CONSTRAINT "record_access_requests_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_requests" ADD CONSTRAINT "record_access_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposal_files" ADD CONSTRAINT "record_disposal_files_disposal_id_record_disposals_id_fk" FOREIGN KEY ("disposal_id") REFERENCES "public"."record_disposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposal_files" ADD CONSTRAINT "record_disposal_files_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposals" ADD CONSTRAINT "record_disposals_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposals" ADD CONSTRAINT "record_disposals_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposals" ADD CONSTRAINT "record_disposals_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposals" ADD CONSTRAINT "record_disposals_destroyed_by_users_id_fk" FOREIGN KEY ("destroyed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_file_documents" ADD CONSTRAINT "record_file_documents_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_file_documents" ADD CONSTRAINT "record_file_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_file_documents" ADD CONSTRAINT "record_file_documents_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_plan_id_file_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."file_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_retention_entry_id_retention_schedule_entries_id_fk" FOREIGN KEY ("retention_entry_id") REFERENCES "public"."retention_schedule_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_keeper_user_id_users_id_fk" FOREIGN KEY ("keeper_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_files" ADD CONSTRAINT "record_files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_tombstones" ADD CONSTRAINT "record_tombstones_disposal_id_record_disposals_id_fk" FOREIGN KEY ("disposal_id") REFERENCES "public"."record_disposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_tombstones" ADD CONSTRAINT "record_tombstones_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_transfers" ADD CONSTRAINT "record_transfers_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_transfers" ADD CONSTRAINT "record_transfers_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_transfers" ADD CONSTRAINT "record_transfers_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_transfers" ADD CONSTRAINT "record_transfers_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records_settings" ADD CONSTRAINT "records_settings_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records_settings" ADD CONSTRAINT "records_settings_archive_head_user_id_users_id_fk" FOREIGN KEY ("archive_head_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_schedule_entries" ADD CONSTRAINT "retention_schedule_entries_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "file_plans_year_idx" ON "file_plans" USING btree ("agency_id","year");--> statement-breakpoint
CREATE INDEX "fixity_checks_due_idx" ON "fixity_checks" USING btree ("checked_at");--> statement-breakpoint
CREATE INDEX "legal_hold_items_document_idx" ON "legal_hold_items" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "legal_hold_items_file_idx" ON "legal_hold_items" USING btree ("record_file_id");--> statement-breakpoint
CREATE INDEX "legal_hold_items_hold_idx" ON "legal_hold_items" USING btree ("hold_id");--> statement-breakpoint
CREATE INDEX "legal_holds_status_idx" ON "legal_holds" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "record_access_requests_status_idx" ON "record_access_requests" USING btree ("agency_id","status","created_at");--> statement-breakpoint
CREATE INDEX "record_access_requests_requester_idx" ON "record_access_requests" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE INDEX "record_file_documents_document_idx" ON "record_file_documents" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "record_files_notation_idx" ON "record_files" USING btree ("agency_id","year","notation");--> statement-breakpoint
CREATE INDEX "record_files_status_idx" ON "record_files" USING btree ("agency_id","status","year");--> statement-breakpoint
CREATE INDEX "record_files_department_idx" ON "record_files" USING btree ("department_id","year");--> statement-breakpoint
CREATE INDEX "record_transfers_status_idx" ON "record_transfers" USING btree ("agency_id","status","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "retention_entries_code_idx" ON "retention_schedule_entries" USING btree ("agency_id","source","code");--> statement-breakpoint
-- Records are kept without change (ND30 Điều 31; Phụ lục VI "freeze sets against move/delete/edit"):
-- a document under an active legal hold, or filed in a closed or transferred hồ sơ, refuses updates of
-- its register fields and status, deletion, and changes to its files (new content files included;
-- OCR and signed renditions may still be added). The records service itself changes them (transfer,
-- destruction) with the transaction-local setting vanthu.records_change = 'on'. SQLSTATE VT409 carries
-- a JSON detail naming the hold or the hồ sơ; the HTTP layer answers 409 with it.
CREATE FUNCTION records_guard_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  doc uuid;
  hold record;
  locked record;
BEGIN
  IF coalesce(current_setting('vanthu.records_change', true), '') = 'on' THEN
    RETURN coalesce(NEW, OLD);
  END IF;
  IF TG_TABLE_NAME = 'documents' THEN
    doc := coalesce(OLD.id, NEW.id);
    IF TG_OP = 'UPDATE' AND row(NEW.direction, NEW.status, NEW.kind, NEW.kind_code, NEW.code_number,
        NEW.code_notation, NEW.issued_date, NEW.issuer_name, NEW.subject, NEW.language, NEW.description,
        NEW.signer_name, NEW.signer_position, NEW.urgency, NEW.secrecy, NEW.due_date, NEW.arrival_date,
        NEW.arrival_number, NEW.to_places, NEW.register_id, NEW.register_year, NEW.agency_id,
        NEW.owner_department_id) IS NOT DISTINCT FROM row(OLD.direction, OLD.status, OLD.kind,
        OLD.kind_code, OLD.code_number, OLD.code_notation, OLD.issued_date, OLD.issuer_name, OLD.subject,
        OLD.language, OLD.description, OLD.signer_name, OLD.signer_position, OLD.urgency, OLD.secrecy,
        OLD.due_date, OLD.arrival_date, OLD.arrival_number, OLD.to_places, OLD.register_id,
        OLD.register_year, OLD.agency_id, OLD.owner_department_id)
        AND (OLD.page_count IS NULL OR NEW.page_count IS NOT DISTINCT FROM OLD.page_count) THEN
      RETURN NEW;
    END IF;
  ELSE
    doc := coalesce(OLD.document_id, NEW.document_id);
    IF TG_OP = 'INSERT' AND NEW.role IN ('searchable', 'signed') THEN
      RETURN NEW;
    END IF;
  END IF;
  SELECT h.id, h.title INTO hold FROM legal_holds h JOIN legal_hold_items i ON i.hold_id = h.id
   WHERE h.status = 'active' AND (i.document_id = doc OR i.record_file_id IN
     (SELECT record_file_id FROM record_file_documents WHERE document_id = doc))
   ORDER BY h.placed_at LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'VT409', MESSAGE = 'record-on-hold',
      DETAIL = json_build_object('holdId', hold.id, 'holdTitle', hold.title, 'documentId', doc)::text;
  END IF;
  SELECT f.id, f.file_code, f.status INTO locked FROM record_files f
    JOIN record_file_documents d ON d.record_file_id = f.id
   WHERE d.document_id = doc AND f.status IN ('closed', 'transferred', 'destroyed') LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'VT409', MESSAGE = 'record-closed',
      DETAIL = json_build_object('recordFileId', locked.id, 'fileCode', locked.file_code,
        'recordFileStatus', locked.status, 'documentId', doc)::text;
  END IF;
  RETURN coalesce(NEW, OLD);
END
$$;
--> statement-breakpoint
CREATE TRIGGER documents_records_guard BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION records_guard_document();
--> statement-breakpoint
CREATE TRIGGER document_files_records_guard BEFORE INSERT OR UPDATE OR DELETE ON document_files
  FOR EACH ROW EXECUTE FUNCTION records_guard_document();
