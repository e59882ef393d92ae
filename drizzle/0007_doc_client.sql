CREATE TABLE "doc_client" (
	"document_id" uuid NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doc_client_document_id_client_id_pk" PRIMARY KEY("document_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "doc_client" ADD CONSTRAINT "doc_client_document_id_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."document"("id") ON DELETE cascade ON UPDATE no action;