CREATE TABLE "register_counters" (
	"register_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "register_counters_register_id_year_pk" PRIMARY KEY("register_id","year")
);
--> statement-breakpoint
CREATE TABLE "registers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"direction" varchar(10) NOT NULL,
	"name" varchar(200) NOT NULL,
	"secret" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_files" ADD COLUMN "signature_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "register_id" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "register_year" smallint;--> statement-breakpoint
ALTER TABLE "register_counters" ADD CONSTRAINT "register_counters_register_id_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registers" ADD CONSTRAINT "registers_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_register_id_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_register_number_idx" ON "documents" USING btree ("register_id","register_year","arrival_number") WHERE "documents"."arrival_number" is not null;--> statement-breakpoint
CREATE INDEX "documents_duplicate_idx" ON "documents" USING btree ("agency_id","code_number","code_notation","issued_date");