CREATE INDEX "jobs_listed_group_idx" ON "jobs" USING btree ("category","district","type","published_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "jobs"."status" = 'published';--> statement-breakpoint
CREATE INDEX "applications_resume_idx" ON "applications" USING btree ("resume_id","created_at");
--> statement-breakpoint
-- The anonymous page cache (src/web/pageCache.ts, issue 21) keys pages by the generations of what they show.
-- Besides 'listed_jobs' (0004): the site settings (the header, footer and hotline of every page) and the
-- articles (the home page's newest news). A reader's view only moves view_count, which no cached page shows,
-- so it does not raise 'news': the trigger names every other column.
INSERT INTO change_generations (name, generation) VALUES ('site_settings', 0), ('news', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_change_generation() RETURNS trigger AS $$
BEGIN
  UPDATE change_generations SET generation = generation + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER site_settings_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site_settings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_generation('site_settings');
--> statement-breakpoint
CREATE TRIGGER articles_generation AFTER INSERT OR DELETE OR TRUNCATE ON articles
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_generation('news');
--> statement-breakpoint
CREATE TRIGGER articles_update_generation AFTER UPDATE OF id, title, summary, body_html, cover_file_id, cover_caption, category, author,
  author_id, published_at, source_name, source_url, original_author, original_date, status, is_demo, created_at, updated_at ON articles
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_generation('news');
