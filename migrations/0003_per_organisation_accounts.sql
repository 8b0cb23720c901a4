ALTER TABLE "users" DROP CONSTRAINT "users_email_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "users_organisation_email" ON "users" USING btree ("organisation_id","email");--> statement-breakpoint
CREATE INDEX "users_email" ON "users" USING btree ("email");