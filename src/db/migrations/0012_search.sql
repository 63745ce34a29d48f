CREATE TABLE "search_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"query" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" integer,
	"exact" integer,
	"rank" smallint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_reindex_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"words" text[] NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "search_reindex_runs_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"id" serial PRIMARY KEY NOT NULL,
	"word" text NOT NULL,
	"synonyms" text[] DEFAULT '{}' NOT NULL,
	"meanings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer,
	CONSTRAINT "search_terms_word_unique" UNIQUE("word")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "workplace" text DEFAULT '其他' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_terms" ADD CONSTRAINT "search_terms_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_events_at_idx" ON "search_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "search_events_query_idx" ON "search_events" USING btree ("query","at");--> statement-breakpoint
CREATE INDEX "jobs_listed_workplace_idx" ON "jobs" USING btree ("workplace","published_at" DESC NULLS FIRST) WHERE "jobs"."status" = 'published';--> statement-breakpoint
CREATE INDEX "jobs_listed_benefits_idx" ON "jobs" USING gin ("benefits") WHERE "jobs"."status" = 'published';--> statement-breakpoint
-- The dictionary's rows change what searches find and how words are segmented: raise 'search_terms' (every process
-- reloads its dictionary) and 'listed_jobs' (kept search pages are dropped) in the changing transaction.
INSERT INTO change_generations (name, generation) VALUES ('search_terms', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_search_terms_generation() RETURNS trigger AS $$
BEGIN
  UPDATE change_generations SET generation = generation + 1 WHERE name IN ('search_terms', 'listed_jobs');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER search_terms_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_terms
  FOR EACH STATEMENT EXECUTE FUNCTION bump_search_terms_generation();
--> statement-breakpoint
-- The workplace of the jobs saved before the field existed, inferred from their text: the rules of
-- src/search/jobTerms.ts WORKPLACE_RULES, most specific first.
UPDATE jobs SET workplace = CASE
  WHEN t ~* '电子厂|电子公司|电子科技|SMT|贴片|富士康|立讯' THEN '电子厂'
  WHEN t ~* 'KTV|歌厅|酒吧|夜场|会所|网吧|网咖' THEN 'KTV'
  WHEN t ~ '物流园|物流中心|仓储中心|电商仓|快递站|分拨中心|转运中心|仓库' THEN '物流园'
  WHEN t ~ '写字楼|办公楼|大厦|商务楼' THEN '写字楼'
  WHEN t ~ '商场|超市|卖场|便利店|购物中心|百货' THEN '商场超市'
  WHEN t ~ '酒店|宾馆|旅馆|民宿' THEN '酒店'
  WHEN t ~ '餐厅|饭店|餐馆|酒楼|快餐|火锅|奶茶|茶餐厅|食堂' THEN '餐厅'
  WHEN t ~ '医院|诊所' THEN '医院'
  WHEN t ~ '学校|校园|幼儿园' THEN '学校'
  WHEN t ~ '工地|建筑|施工' THEN '工地'
  WHEN t ~ '港口|码头|机场' THEN '港口机场'
  WHEN t ~ '小区|物业|住宅' THEN '小区物业'
  WHEN t ~ '工厂|厂房|车间|流水线|[^电]厂' THEN '工厂'
  ELSE '其他' END
FROM (SELECT id AS jid, concat_ws(' ', title, worksite_employer_name, address, description) AS t FROM jobs) src
WHERE jobs.id = src.jid;
