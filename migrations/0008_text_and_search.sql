CREATE TABLE "document_pages" (
	"file_id" uuid NOT NULL,
	"page_number" integer NOT NULL,
	"document_id" uuid NOT NULL,
	"text" text NOT NULL,
	"engine" varchar(16) NOT NULL,
	"confidence" real,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_pages_file_id_page_number_pk" PRIMARY KEY("file_id","page_number"),
	CONSTRAINT "document_pages_engine_check" CHECK ("document_pages"."engine" in ('text-layer', 'ocr')),
	CONSTRAINT "document_pages_page_check" CHECK ("document_pages"."page_number" >= 1)
);
--> statement-breakpoint
CREATE TABLE "text_extractions" (
	"file_id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"state" varchar(16) DEFAULT 'pending' NOT NULL,
	"job_id" uuid,
	"pages_total" integer,
	"pages_done" integer DEFAULT 0 NOT NULL,
	"ocr_pages" integer DEFAULT 0 NOT NULL,
	"mean_confidence" real,
	"error_code" varchar(64),
	"error_message" varchar(500),
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "text_extractions_state_check" CHECK ("text_extractions"."state" in ('pending', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "search_entries" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid,
	"direction" varchar(10) NOT NULL,
	"status" varchar(32) NOT NULL,
	"kind" varchar(100),
	"issuer_name" varchar(200),
	"issued_date" date,
	"arrival_date" date,
	"register_id" uuid,
	"department_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"secrecy" smallint DEFAULT 0 NOT NULL,
	"has_signature" boolean DEFAULT false NOT NULL,
	"number_notation" varchar(64),
	"exact" "tsvector" NOT NULL,
	"folded" "tsvector" NOT NULL,
	"indexed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"enqueued_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_pages" (
	"document_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"page_number" integer NOT NULL,
	"text" text NOT NULL,
	"exact" "tsvector" NOT NULL,
	"folded" "tsvector" NOT NULL,
	CONSTRAINT "search_pages_document_id_file_id_page_number_pk" PRIMARY KEY("document_id","file_id","page_number")
);
--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_file_id_document_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."document_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_extractions" ADD CONSTRAINT "text_extractions_file_id_document_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."document_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_extractions" ADD CONSTRAINT "text_extractions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_entries" ADD CONSTRAINT "search_entries_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_pages" ADD CONSTRAINT "search_pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_pages_document_idx" ON "document_pages" USING btree ("document_id","file_id","page_number");--> statement-breakpoint
CREATE INDEX "text_extractions_document_idx" ON "text_extractions" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "search_entries_exact_idx" ON "search_entries" USING gin ("exact");--> statement-breakpoint
CREATE INDEX "search_entries_folded_idx" ON "search_entries" USING gin ("folded");--> statement-breakpoint
CREATE INDEX "search_entries_notation_trgm_idx" ON "search_entries" USING gin ("number_notation" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_entries_departments_idx" ON "search_entries" USING gin ("department_ids");--> statement-breakpoint
CREATE INDEX "search_entries_issued_idx" ON "search_entries" USING btree ("issued_date");--> statement-breakpoint
CREATE INDEX "search_pages_exact_idx" ON "search_pages" USING gin ("exact");--> statement-breakpoint
CREATE INDEX "search_pages_folded_idx" ON "search_pages" USING gin ("folded");