CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"actor" varchar(100) NOT NULL,
	"action" varchar(100) NOT NULL,
	"target_type" varchar(50) NOT NULL,
	"target_id" varchar(100),
	"details" jsonb NOT NULL,
	"prev_hash" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" smallint PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	"last_hash" varchar(64) NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"role" varchar(20) NOT NULL,
	"derived_from_id" uuid,
	"file_name" varchar(255) NOT NULL,
	"media_type" varchar(100) NOT NULL,
	"size" bigint NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"blob_key" varchar(200) NOT NULL,
	"page_count" integer,
	"created_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_files_role_check" CHECK ("document_files"."role" in ('original', 'attachment', 'searchable', 'signed')),
	CONSTRAINT "document_files_size_check" CHECK ("document_files"."size" > 0)
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"direction" varchar(10) NOT NULL,
	"status" varchar(32) NOT NULL,
	"kind" varchar(100),
	"kind_code" varchar(10),
	"code_number" varchar(11),
	"code_notation" varchar(30),
	"issued_date" date,
	"issuer_name" varchar(200),
	"subject" varchar(500),
	"language" varchar(30) DEFAULT 'vi' NOT NULL,
	"page_count" integer,
	"description" varchar(500),
	"signer_name" varchar(50),
	"signer_position" varchar(100),
	"urgency" smallint DEFAULT 0 NOT NULL,
	"secrecy" smallint DEFAULT 0 NOT NULL,
	"due_date" date,
	"arrival_date" date,
	"arrival_number" bigint,
	"to_places" varchar(1000),
	"created_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_direction_check" CHECK ("documents"."direction" in ('incoming', 'outgoing')),
	CONSTRAINT "documents_urgency_check" CHECK ("documents"."urgency" between 0 and 3),
	CONSTRAINT "documents_secrecy_check" CHECK ("documents"."secrecy" between 0 and 3)
);
--> statement-breakpoint
CREATE TABLE "job_progress" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_files" ADD CONSTRAINT "document_files_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id","seq");--> statement-breakpoint
CREATE INDEX "document_files_document_idx" ON "document_files" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE INDEX "document_files_blob_idx" ON "document_files" USING btree ("blob_key");--> statement-breakpoint
CREATE INDEX "document_files_sha256_idx" ON "document_files" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "documents_created_idx" ON "documents" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_direction_created_idx" ON "documents" USING btree ("direction","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_number_idx" ON "documents" USING btree ("code_number","code_notation");