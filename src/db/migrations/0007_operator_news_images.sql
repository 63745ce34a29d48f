ALTER TYPE "public"."file_kind" ADD VALUE 'news_image';--> statement-breakpoint
-- One source for each fact (issue 23): texts that spelled out the hotline now name it, so a change of hotline
-- reaches them. Only values already stored are touched (a fresh install gets the new defaults).
UPDATE "site_settings" AS s
SET "value" = replace(s."value"::text, h."value" #>> '{}', '{客服热线}')::jsonb
FROM "site_settings" AS h
WHERE h."key" = 'hotline'
  AND length(h."value" #>> '{}') >= 5
  AND s."key" IN ('aboutContent', 'joinContent', 'takedownContact', 'companyInfo', 'keywordPages')
  AND position(h."value" #>> '{}' in s."value"::text) > 0;
--> statement-breakpoint
UPDATE "site_settings"
SET "value" = replace("value"::text, 'service@example.com', '{客服邮箱}')::jsonb
WHERE "key" = 'takedownContact' AND position('service@example.com' in "value"::text) > 0;
