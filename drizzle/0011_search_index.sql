CREATE TABLE "search_entry" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"room_id" uuid NOT NULL,
	"document_id" uuid,
	"item_id" text,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"organization" text,
	"vector" "tsvector" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"content_indexed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "search_entry" ADD CONSTRAINT "search_entry_room_id_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."room"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_entry" ADD CONSTRAINT "search_entry_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_entry_vector_idx" ON "search_entry" USING gin ("vector");--> statement-breakpoint
CREATE INDEX "search_entry_room_id_idx" ON "search_entry" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "search_entry_document_id_idx" ON "search_entry" USING btree ("document_id");