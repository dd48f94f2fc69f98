DROP INDEX "routing_steps_document_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "routing_steps_document_idx" ON "routing_steps" USING btree ("document_id","seq");--> statement-breakpoint
CREATE TABLE "revocation_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"trust_anchor_id" uuid NOT NULL,
	"issuer_subject" varchar(500) NOT NULL,
	"issuer_name_sha256" varchar(64) NOT NULL,
	"this_update" timestamp (3) with time zone NOT NULL,
	"next_update" timestamp (3) with time zone,
	"crl_number" varchar(64),
	"revoked_count" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"der" "bytea" NOT NULL,
	"source" varchar(16) DEFAULT 'upload' NOT NULL,
	"added_by" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp (3) with time zone,
	"removed_at" timestamp (3) with time zone,
	CONSTRAINT "revocation_lists_source_check" CHECK ("revocation_lists"."source" in ('upload', 'download'))
);
--> statement-breakpoint
ALTER TABLE "revocation_lists" ADD CONSTRAINT "revocation_lists_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocation_lists" ADD CONSTRAINT "revocation_lists_trust_anchor_id_trust_anchors_id_fk" FOREIGN KEY ("trust_anchor_id") REFERENCES "public"."trust_anchors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revocation_lists_current_idx" ON "revocation_lists" USING btree ("agency_id","issuer_name_sha256") WHERE "revocation_lists"."replaced_at" is null and "revocation_lists"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "revocation_lists_agency_idx" ON "revocation_lists" USING btree ("agency_id");
