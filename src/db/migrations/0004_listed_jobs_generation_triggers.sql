-- What the public job lists and searches show changes only through these tables: the jobs themselves, the
-- employer's company name and verification, and the employer account's status. Any statement on them raises
-- the 'listed_jobs' generation inside its own transaction, so a cached list is dropped by the next request
-- of every process, never served after the change is visible.
INSERT INTO change_generations (name, generation) VALUES ('listed_jobs', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_listed_jobs_generation() RETURNS trigger AS $$
BEGIN
  UPDATE change_generations SET generation = generation + 1 WHERE name = 'listed_jobs';
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER jobs_listed_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jobs
  FOR EACH STATEMENT EXECUTE FUNCTION bump_listed_jobs_generation();
--> statement-breakpoint
CREATE TRIGGER employer_profiles_listed_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employer_profiles
  FOR EACH STATEMENT EXECUTE FUNCTION bump_listed_jobs_generation();
--> statement-breakpoint
CREATE TRIGGER users_listed_generation AFTER UPDATE OF status OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_listed_jobs_generation();
