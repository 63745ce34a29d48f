CREATE TABLE "shortlist_shares" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer,
	"client_company_id" integer,
	"client_company_name" text NOT NULL,
	"shared_by" integer,
	"shared_by_name" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"application_ids" integer[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shortlist_shares" ADD CONSTRAINT "shortlist_shares_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_shares" ADD CONSTRAINT "shortlist_shares_client_company_id_client_companies_id_fk" FOREIGN KEY ("client_company_id") REFERENCES "public"."client_companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_shares" ADD CONSTRAINT "shortlist_shares_shared_by_users_id_fk" FOREIGN KEY ("shared_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shortlist_shares_job_idx" ON "shortlist_shares" USING btree ("job_id","created_at");