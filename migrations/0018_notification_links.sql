-- A notification about a hồ sơ (reminders, transfer, access-request and disposition steps) names it, so the
-- notification list can open the hồ sơ page. Kept when the hồ sơ row goes (it never does: destruction keeps
-- a tombstone), cleared rather than blocking if it ever did.
ALTER TABLE "notifications" ADD COLUMN "record_file_id" uuid;
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_record_file_id_record_files_id_fk" FOREIGN KEY ("record_file_id") REFERENCES "public"."record_files"("id") ON DELETE set null ON UPDATE no action;
