CREATE TABLE "signature_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"verdict" varchar(16) NOT NULL,
	"signature_count" integer NOT NULL,
	"modified_after_last_signature" boolean NOT NULL,
	"report" jsonb NOT NULL,
	"verified_by" varchar(100) NOT NULL,
	"verified_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signature_reports_verdict_check" CHECK ("signature_reports"."verdict" in ('valid', 'invalid', 'indeterminate', 'none'))
);
--> statement-breakpoint
CREATE TABLE "signing_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" varchar(16) NOT NULL,
	"label" varchar(200) NOT NULL,
	"certificate_pem" text NOT NULL,
	"chain_pem" text DEFAULT '' NOT NULL,
	"subject" varchar(500) NOT NULL,
	"issuer" varchar(500) NOT NULL,
	"serial_number" varchar(100) NOT NULL,
	"fingerprint_sha256" varchar(64) NOT NULL,
	"not_before" timestamp (3) with time zone NOT NULL,
	"not_after" timestamp (3) with time zone NOT NULL,
	"sealed_key" text NOT NULL,
	"kdf" jsonb NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"created_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone,
	CONSTRAINT "signing_credentials_kind_check" CHECK ("signing_credentials"."kind" in ('personal', 'agency-seal')),
	CONSTRAINT "signing_credentials_owner_check" CHECK (("signing_credentials"."kind" = 'personal' and "signing_credentials"."user_id" is not null) or ("signing_credentials"."kind" = 'agency-seal' and "signing_credentials"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "signing_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"source_file_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" varchar(16) NOT NULL,
	"prepared_blob_key" varchar(200) NOT NULL,
	"field_name" varchar(100) NOT NULL,
	"byte_range" jsonb NOT NULL,
	"contents_offset" integer NOT NULL,
	"contents_length" integer NOT NULL,
	"digest_hex" varchar(128) NOT NULL,
	"signed_attributes" text,
	"certificate_pem" text,
	"state" varchar(16) DEFAULT 'prepared' NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "signing_sessions_state_check" CHECK ("signing_sessions"."state" in ('prepared', 'completed', 'expired', 'cancelled')),
	CONSTRAINT "signing_sessions_role_check" CHECK ("signing_sessions"."role" in ('personal', 'agency-seal'))
);
--> statement-breakpoint
CREATE TABLE "trust_anchors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" varchar(16) NOT NULL,
	"certificate_pem" text NOT NULL,
	"subject" varchar(500) NOT NULL,
	"fingerprint_sha256" varchar(64) NOT NULL,
	"not_after" timestamp (3) with time zone NOT NULL,
	"added_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp (3) with time zone,
	CONSTRAINT "trust_anchors_kind_check" CHECK ("trust_anchors"."kind" in ('root', 'intermediate'))
);
--> statement-breakpoint
ALTER TABLE "signature_reports" ADD CONSTRAINT "signature_reports_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_reports" ADD CONSTRAINT "signature_reports_file_id_document_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."document_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_credentials" ADD CONSTRAINT "signing_credentials_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_credentials" ADD CONSTRAINT "signing_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_sessions" ADD CONSTRAINT "signing_sessions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_sessions" ADD CONSTRAINT "signing_sessions_source_file_id_document_files_id_fk" FOREIGN KEY ("source_file_id") REFERENCES "public"."document_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_sessions" ADD CONSTRAINT "signing_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_anchors" ADD CONSTRAINT "trust_anchors_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signature_reports_file_idx" ON "signature_reports" USING btree ("file_id","verified_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signature_reports_document_idx" ON "signature_reports" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "signing_credentials_user_idx" ON "signing_credentials" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "signing_credentials_agency_idx" ON "signing_credentials" USING btree ("agency_id","kind");--> statement-breakpoint
CREATE INDEX "signing_sessions_user_idx" ON "signing_sessions" USING btree ("user_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_anchors_fingerprint_idx" ON "trust_anchors" USING btree ("agency_id","fingerprint_sha256") WHERE "trust_anchors"."removed_at" is null;