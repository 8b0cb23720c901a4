CREATE TABLE "organisation_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'programme' NOT NULL,
	"definition" jsonb NOT NULL,
	"scoring" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source_version_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisation_templates" ADD CONSTRAINT "organisation_templates_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_templates" ADD CONSTRAINT "organisation_templates_source_version_id_questionnaire_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."questionnaire_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_templates" ADD CONSTRAINT "organisation_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_templates_organisation" ON "organisation_templates" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "questionnaire_versions_one_draft" ON "questionnaire_versions" USING btree ("questionnaire_id") WHERE "questionnaire_versions"."status" = 'draft';