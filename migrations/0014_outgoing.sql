CREATE TABLE "external_agencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"organ_id" varchar(35) NOT NULL,
	"name" varchar(200) NOT NULL,
	"email" varchar(200),
	"address" varchar(250),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outgoing_documents" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"drafter_user_id" uuid NOT NULL,
	"drafting_department_id" uuid,
	"signer_user_id" uuid,
	"authority_prefix" varchar(5),
	"authority_name" varchar(100),
	"legal_normative" boolean DEFAULT false NOT NULL,
	"reply_to_document_id" uuid,
	"replaces_document_id" uuid,
	"corrects_document_id" uuid,
	"copy_of_document_id" uuid,
	"copy_form" varchar(3),
	"outgoing_number" integer,
	"current_version" integer DEFAULT 1 NOT NULL,
	"number_fields" jsonb,
	"numbered_at" timestamp (3) with time zone,
	"numbered_by" uuid,
	"sealed_at" timestamp (3) with time zone,
	"issued_at" timestamp (3) with time zone,
	"issued_by" uuid,
	"revocation_decided_by" uuid,
	"revocation_decided_at" timestamp (3) with time zone,
	"revocation_reason" varchar(2000),
	"revoked_at" timestamp (3) with time zone,
	"revoked_by" uuid,
	"superseded_by_document_id" uuid,
	"corrected_by_document_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outgoing_documents_prefix_check" CHECK ("outgoing_documents"."authority_prefix" in ('TM.', 'KT.', 'Q.', 'TL.', 'TUQ.')),
	CONSTRAINT "outgoing_documents_copy_form_check" CHECK ("outgoing_documents"."copy_form" in ('SY', 'SL', 'TrS'))
);
--> statement-breakpoint
CREATE TABLE "outgoing_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" varchar(10) NOT NULL,
	"external_agency_id" uuid,
	"department_id" uuid,
	"user_id" uuid,
	"label" varchar(200) NOT NULL,
	"purpose" varchar(10),
	"channel" varchar(12) NOT NULL,
	"state" varchar(20) DEFAULT 'planned' NOT NULL,
	"state_note" varchar(500),
	"email" varchar(200),
	"sent_at" timestamp (3) with time zone,
	"state_at" timestamp (3) with time zone,
	"recalled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outgoing_recipients_kind_check" CHECK ("outgoing_recipients"."kind" in ('external', 'department', 'user', 'text')),
	CONSTRAINT "outgoing_recipients_purpose_check" CHECK ("outgoing_recipients"."purpose" in ('handle', 'inform')),
	CONSTRAINT "outgoing_recipients_channel_check" CHECK ("outgoing_recipients"."channel" in ('internal', 'interchange', 'post', 'email', 'hand', 'none')),
	CONSTRAINT "outgoing_recipients_state_check" CHECK ("outgoing_recipients"."state" in ('planned', 'delivered', 'waiting-interchange', 'pending', 'sent', 'failed', 'recalled'))
);
--> statement-breakpoint
CREATE TABLE "outgoing_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"position" integer NOT NULL,
	"reviewer_user_id" uuid NOT NULL,
	"kind" varchar(10) NOT NULL,
	"state" varchar(10) NOT NULL,
	"version" integer NOT NULL,
	"comment" varchar(2000),
	"decided_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outgoing_reviews_kind_check" CHECK ("outgoing_reviews"."kind" in ('content', 'format')),
	CONSTRAINT "outgoing_reviews_state_check" CHECK ("outgoing_reviews"."state" in ('waiting', 'pending', 'approved', 'returned', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "outgoing_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"pdf_file_id" uuid NOT NULL,
	"source_file_id" uuid,
	"note" varchar(500),
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_files" DROP CONSTRAINT "document_files_role_check";--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "series" varchar(20) DEFAULT 'administrative' NOT NULL;--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "kind_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "notation_issuer" varchar(30);--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "notation_suffix" varchar(10);--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "notation_with_year" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "external_agencies" ADD CONSTRAINT "external_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_drafter_user_id_users_id_fk" FOREIGN KEY ("drafter_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_drafting_department_id_departments_id_fk" FOREIGN KEY ("drafting_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_signer_user_id_users_id_fk" FOREIGN KEY ("signer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_reply_to_document_id_documents_id_fk" FOREIGN KEY ("reply_to_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_replaces_document_id_documents_id_fk" FOREIGN KEY ("replaces_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_corrects_document_id_documents_id_fk" FOREIGN KEY ("corrects_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_copy_of_document_id_documents_id_fk" FOREIGN KEY ("copy_of_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_numbered_by_users_id_fk" FOREIGN KEY ("numbered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_revocation_decided_by_users_id_fk" FOREIGN KEY ("revocation_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_superseded_by_document_id_documents_id_fk" FOREIGN KEY ("superseded_by_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_documents" ADD CONSTRAINT "outgoing_documents_corrected_by_document_id_documents_id_fk" FOREIGN KEY ("corrected_by_document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_recipients" ADD CONSTRAINT "outgoing_recipients_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_recipients" ADD CONSTRAINT "outgoing_recipients_external_agency_id_external_agencies_id_fk" FOREIGN KEY ("external_agency_id") REFERENCES "public"."external_agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_recipients" ADD CONSTRAINT "outgoing_recipients_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_recipients" ADD CONSTRAINT "outgoing_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_reviews" ADD CONSTRAINT "outgoing_reviews_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_reviews" ADD CONSTRAINT "outgoing_reviews_reviewer_user_id_users_id_fk" FOREIGN KEY ("reviewer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_versions" ADD CONSTRAINT "outgoing_versions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_versions" ADD CONSTRAINT "outgoing_versions_pdf_file_id_document_files_id_fk" FOREIGN KEY ("pdf_file_id") REFERENCES "public"."document_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_versions" ADD CONSTRAINT "outgoing_versions_source_file_id_document_files_id_fk" FOREIGN KEY ("source_file_id") REFERENCES "public"."document_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_versions" ADD CONSTRAINT "outgoing_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_agencies_organ_idx" ON "external_agencies" USING btree ("agency_id","organ_id");--> statement-breakpoint
CREATE INDEX "outgoing_documents_drafter_idx" ON "outgoing_documents" USING btree ("drafter_user_id");--> statement-breakpoint
CREATE INDEX "outgoing_documents_reply_idx" ON "outgoing_documents" USING btree ("reply_to_document_id");--> statement-breakpoint
CREATE INDEX "outgoing_recipients_document_idx" ON "outgoing_recipients" USING btree ("document_id","position");--> statement-breakpoint
CREATE INDEX "outgoing_recipients_state_idx" ON "outgoing_recipients" USING btree ("state");--> statement-breakpoint
CREATE INDEX "outgoing_reviews_document_idx" ON "outgoing_reviews" USING btree ("document_id","round","position");--> statement-breakpoint
CREATE INDEX "outgoing_reviews_reviewer_idx" ON "outgoing_reviews" USING btree ("reviewer_user_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_versions_document_version_idx" ON "outgoing_versions" USING btree ("document_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_outgoing_number_idx" ON "documents" USING btree ("agency_id","register_year","code_number","code_notation") WHERE "documents"."direction" = 'outgoing' and "documents"."register_year" is not null;--> statement-breakpoint
ALTER TABLE "document_files" ADD CONSTRAINT "document_files_role_check" CHECK ("document_files"."role" in ('original', 'attachment', 'searchable', 'signed', 'source'));--> statement-breakpoint
ALTER TABLE "registers" ADD CONSTRAINT "registers_series_check" CHECK ("registers"."series" in ('administrative', 'legal-normative', 'advisory', 'copies'));