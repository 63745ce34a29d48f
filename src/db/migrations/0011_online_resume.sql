ALTER TYPE "public"."file_kind" ADD VALUE 'resume_photo';--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "has_attachment" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "desired_categories" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "desired_districts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "min_pay" integer;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "min_pay_unit" text;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "preferred_settlement" text;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "availability" text;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "experiences" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "certificates" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "skills" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD COLUMN "photo_file_id" integer;--> statement-breakpoint
ALTER TABLE "seeker_profiles" ADD CONSTRAINT "seeker_profiles_photo_file_id_files_id_fk" FOREIGN KEY ("photo_file_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;