-- Issue 13: job leases (work held by a dead process is retried within a minute), an append-only audit
-- trail (triggers on both drivers, and revoked rights where a least-privilege role exists), signed
-- checkpoints of the chain head.
CREATE TABLE "job_workers" (
	"id" varchar(120) PRIMARY KEY NOT NULL,
	"host" varchar(255) NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"beat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_leases" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"queue" varchar(100) NOT NULL,
	"worker_id" varchar(120) NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_leases_worker_idx" ON "job_leases" USING btree ("worker_id");
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"id" integer PRIMARY KEY NOT NULL,
	"chain_seq" bigint NOT NULL,
	"chain_hash" varchar(64) NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"statement" text NOT NULL,
	"signature" text NOT NULL,
	"key_fingerprint" varchar(64) NOT NULL,
	"timestamp_token" text,
	"timestamped_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_signing_keys" (
	"fingerprint" varchar(64) PRIMARY KEY NOT NULL,
	"certificate" text NOT NULL,
	"sealed_private_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Rows of the audit trail are never changed or removed: not by the service, not by a mistaken script.
CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '42501';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_head_no_delete" BEFORE DELETE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_head_no_truncate" BEFORE TRUNCATE ON "audit_head" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
-- The head moves one event forward, to the event just appended: it cannot be rewound over cut events.
CREATE FUNCTION "audit_head_forward_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.last_seq <> OLD.last_seq + 1
		OR NEW.last_hash IS DISTINCT FROM (SELECT hash FROM audit_events WHERE seq = NEW.last_seq) THEN
		RAISE EXCEPTION 'audit head moves one appended event forward only (% -> % refused)', OLD.last_seq, NEW.last_seq
			USING ERRCODE = '42501';
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_head_forward_only" BEFORE UPDATE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "audit_head_forward_only"();
