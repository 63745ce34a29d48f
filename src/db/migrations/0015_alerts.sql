CREATE TABLE "job_alert_sends" (
	"id" serial PRIMARY KEY NOT NULL,
	"alert_id" integer NOT NULL,
	"job_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"status" text NOT NULL,
	"channel" text,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"search" jsonb NOT NULL,
	"words" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"type" text,
	"district" text,
	"settlement" text,
	"category" text,
	"pay_min" integer,
	"benefits" text[] DEFAULT '{}' NOT NULL,
	"frequency" text DEFAULT 'instant' NOT NULL,
	"digest_hour" smallint DEFAULT 8 NOT NULL,
	"channel" text DEFAULT 'inbox' NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"last_digest_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_alert_sends" ADD CONSTRAINT "job_alert_sends_alert_id_job_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."job_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_alert_sends" ADD CONSTRAINT "job_alert_sends_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_alerts" ADD CONSTRAINT "job_alerts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_alert_sends_alert_job_uq" ON "job_alert_sends" USING btree ("alert_id","job_id");--> statement-breakpoint
CREATE INDEX "job_alert_sends_due_idx" ON "job_alert_sends" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "job_alert_sends_user_sent_idx" ON "job_alert_sends" USING btree ("user_id","sent_at");--> statement-breakpoint
CREATE INDEX "job_alerts_user_idx" ON "job_alerts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "job_alerts_active_idx" ON "job_alerts" USING btree ("frequency") WHERE not paused;