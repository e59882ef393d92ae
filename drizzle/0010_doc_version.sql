CREATE TYPE "public"."version_kind" AS ENUM('manual', 'auto', 'restore', 'approved');--> statement-breakpoint
CREATE TABLE "doc_version" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"kind" "version_kind" NOT NULL,
	"name" text,
	"seq" bigint NOT NULL,
	"state" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "doc_version" ADD CONSTRAINT "doc_version_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doc_version" ADD CONSTRAINT "doc_version_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "doc_version_document_created_idx" ON "doc_version" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "doc_version_auto_seq_idx" ON "doc_version" USING btree ("document_id","seq") WHERE kind = 'auto';