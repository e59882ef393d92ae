CREATE TYPE "public"."review_status" AS ENUM('open', 'approved', 'changes_requested', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."review_verdict" AS ENUM('approve', 'approve_with_remarks', 'request_changes');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'review_requested';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'review_decided';--> statement-breakpoint
CREATE TABLE "review" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"status" "review_status" DEFAULT 'open' NOT NULL,
	"requested_by" uuid,
	"message" text,
	"due_date" date,
	"required" integer,
	"approved_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_reviewer" (
	"review_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"verdict" "review_verdict",
	"comment" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "review_reviewer_review_id_user_id_pk" PRIMARY KEY("review_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_version_id_doc_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."doc_version"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_approved_version_id_doc_version_id_fk" FOREIGN KEY ("approved_version_id") REFERENCES "public"."doc_version"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_reviewer" ADD CONSTRAINT "review_reviewer_review_id_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."review"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_reviewer" ADD CONSTRAINT "review_reviewer_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_document_id_idx" ON "review" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE INDEX "review_open_due_idx" ON "review" USING btree ("due_date") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "review_reviewer_user_id_idx" ON "review_reviewer" USING btree ("user_id");--> statement-breakpoint
-- An approved version is frozen: its state, kind and log position never change once written
-- (deleting the whole document still removes it with everything else).
CREATE OR REPLACE FUNCTION nordraum_approved_version_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.kind = 'approved' AND (NEW.state IS DISTINCT FROM OLD.state OR NEW.kind IS DISTINCT FROM OLD.kind
      OR NEW.seq IS DISTINCT FROM OLD.seq) THEN
    RAISE EXCEPTION 'an approved version is frozen' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER doc_version_approved_frozen BEFORE UPDATE ON "doc_version"
  FOR EACH ROW EXECUTE FUNCTION nordraum_approved_version_frozen();
