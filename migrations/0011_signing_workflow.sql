CREATE TABLE "signature_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" varchar(16) NOT NULL,
	"png" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"created_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone,
	CONSTRAINT "signature_images_kind_check" CHECK ("signature_images"."kind" in ('signature', 'seal')),
	CONSTRAINT "signature_images_owner_check" CHECK (("signature_images"."kind" = 'signature' and "signature_images"."user_id" is not null) or ("signature_images"."kind" = 'seal' and "signature_images"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "signature_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"signer_id" uuid NOT NULL,
	"comment" varchar(2000),
	"state" varchar(16) DEFAULT 'pending' NOT NULL,
	"decision_comment" varchar(2000),
	"decided_at" timestamp (3) with time zone,
	"signed_file_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signature_requests_state_check" CHECK ("signature_requests"."state" in ('pending', 'signed', 'refused', 'withdrawn'))
);
--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_requests" ADD CONSTRAINT "signature_requests_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_requests" ADD CONSTRAINT "signature_requests_file_id_document_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."document_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_requests" ADD CONSTRAINT "signature_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_requests" ADD CONSTRAINT "signature_requests_signer_id_users_id_fk" FOREIGN KEY ("signer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_requests" ADD CONSTRAINT "signature_requests_signed_file_id_document_files_id_fk" FOREIGN KEY ("signed_file_id") REFERENCES "public"."document_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_user_current_idx" ON "signature_images" USING btree ("user_id") WHERE "signature_images"."kind" = 'signature' and "signature_images"."retired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_seal_current_idx" ON "signature_images" USING btree ("agency_id") WHERE "signature_images"."kind" = 'seal' and "signature_images"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "signature_requests_signer_idx" ON "signature_requests" USING btree ("signer_id","state","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signature_requests_document_idx" ON "signature_requests" USING btree ("document_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "signature_requests_pending_idx" ON "signature_requests" USING btree ("document_id") WHERE "signature_requests"."state" = 'pending';