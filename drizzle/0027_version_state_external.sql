-- Version states are compressed by the application (zstd, doc_version.state_encoding) before they
-- are written: PostgreSQL is not to compress them a second time (EXTERNAL: stored out of line
-- when large, uncompressed). It applies to rows written from now on; older rows keep their pglz
-- compression, which PostgreSQL undoes when they are read, and their state_encoding is null.
ALTER TABLE "doc_version" ALTER COLUMN "state" SET STORAGE EXTERNAL;
