CREATE TABLE "issuing_agencies" (
	"agency_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"uses" integer DEFAULT 1 NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "issuing_agencies_agency_id_name_pk" PRIMARY KEY("agency_id","name")
);
--> statement-breakpoint
ALTER TABLE "issuing_agencies" ADD CONSTRAINT "issuing_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;