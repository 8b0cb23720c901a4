CREATE TABLE "invitation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"wave_id" uuid NOT NULL,
	"invitation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"scheduled_for" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paper_keyings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"data" jsonb NOT NULL,
	"spoiled" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"entered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "token_issue" integer;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "access_code_hash" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "support_contacts" jsonb;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "spoiled" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "invitation_messages" ADD CONSTRAINT "invitation_messages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_messages" ADD CONSTRAINT "invitation_messages_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_messages" ADD CONSTRAINT "invitation_messages_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_messages" ADD CONSTRAINT "invitation_messages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_keyings" ADD CONSTRAINT "paper_keyings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_keyings" ADD CONSTRAINT "paper_keyings_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_keyings" ADD CONSTRAINT "paper_keyings_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_messages_invitation" ON "invitation_messages" USING btree ("invitation_id","created_at");--> statement-breakpoint
CREATE INDEX "invitation_messages_wave" ON "invitation_messages" USING btree ("wave_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "paper_keyings_response" ON "paper_keyings" USING btree ("response_id");--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_access_code_hash_unique" UNIQUE("access_code_hash");