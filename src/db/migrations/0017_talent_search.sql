ALTER TABLE "talent_pool_members" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "talent_pool_members" ADD COLUMN "search_text" text;--> statement-breakpoint
CREATE INDEX "talent_pool_search_idx" ON "talent_pool_members" USING gin ("search_vector");