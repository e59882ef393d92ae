CREATE TYPE "public"."suggestion_status" AS ENUM('open', 'accepted', 'rejected');--> statement-breakpoint
ALTER TABLE "comment_thread" ADD COLUMN "suggestion_text" text;--> statement-breakpoint
ALTER TABLE "comment_thread" ADD COLUMN "suggestion_status" "suggestion_status";--> statement-breakpoint
ALTER TABLE "comment_thread" ADD COLUMN "suggestion_decided_by" uuid;--> statement-breakpoint
ALTER TABLE "comment_thread" ADD COLUMN "suggestion_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "comment_thread" ADD CONSTRAINT "comment_thread_suggestion_decided_by_user_id_fk" FOREIGN KEY ("suggestion_decided_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_thread" ADD CONSTRAINT "comment_thread_suggestion_check" CHECK (("comment_thread"."suggestion_text" is null) = ("comment_thread"."suggestion_status" is null));