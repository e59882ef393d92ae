CREATE TABLE "action_index" (
	"document_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"organization" text,
	"due" date,
	"status" text NOT NULL,
	"milestone_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_index_document_id_item_id_pk" PRIMARY KEY("document_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "action_index" ADD CONSTRAINT "action_index_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_index_owner_id_idx" ON "action_index" USING btree ("owner_id");