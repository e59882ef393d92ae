CREATE TYPE "public"."template_scope" AS ENUM('global', 'room');--> statement-breakpoint
CREATE TABLE "document_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "document_kind" NOT NULL,
	"scope" "template_scope" NOT NULL,
	"room_id" uuid,
	"state" "bytea" NOT NULL,
	"source_document_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_template_room_scope" CHECK (("document_template"."scope" = 'room') = ("document_template"."room_id" is not null)),
	CONSTRAINT "document_template_name_length" CHECK (char_length("document_template"."name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "document_template" ADD CONSTRAINT "document_template_room_id_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."room"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_template" ADD CONSTRAINT "document_template_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_template_room_id_idx" ON "document_template" USING btree ("room_id");