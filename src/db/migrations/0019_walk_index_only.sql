DROP INDEX "jobs_listed_category_idx";--> statement-breakpoint
DROP INDEX "jobs_listed_district_idx";--> statement-breakpoint
DROP INDEX "jobs_listed_type_idx";--> statement-breakpoint
CREATE INDEX "users_active_idx" ON "users" USING btree ("id") WHERE "users"."status" = 'active';--> statement-breakpoint
CREATE INDEX "jobs_listed_category_idx" ON "jobs" USING btree ("category","published_at" DESC NULLS FIRST,"id","employer_id","valid_until","settlement","district","type") WHERE "jobs"."status" = 'published';--> statement-breakpoint
CREATE INDEX "jobs_listed_district_idx" ON "jobs" USING btree ("district","published_at" DESC NULLS FIRST,"id","employer_id","valid_until","settlement","type","category") WHERE "jobs"."status" = 'published';--> statement-breakpoint
CREATE INDEX "jobs_listed_type_idx" ON "jobs" USING btree ("type","published_at" DESC NULLS FIRST,"id","employer_id","valid_until","settlement","district","category") WHERE "jobs"."status" = 'published';