ALTER TABLE "job_alerts" ADD COLUMN "words_version" text;--> statement-breakpoint
CREATE INDEX "job_alerts_words_version_idx" ON "job_alerts" USING btree ("words_version");