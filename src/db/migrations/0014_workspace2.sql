ALTER TABLE "jobs" ADD COLUMN "first_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "notification_id" integer;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "undo_of" integer;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE set null ON UPDATE no action;