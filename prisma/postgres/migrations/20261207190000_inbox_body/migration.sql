-- A webhook's raw body apart from its queue row (issue 19, ADR 0038): claims
-- and completions rewrite InboxEvent rows, and SQLite rewrites a whole row on
-- any update, body included (PostgreSQL writes a new row version, though it
-- keeps a large body out of line). Bodies already stored move over unchanged.
-- CreateTable
CREATE TABLE "InboxBody" (
    "inboxEventId" INTEGER NOT NULL,
    "shop" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "InboxBody_pkey" PRIMARY KEY ("inboxEventId")
);

-- CreateIndex
CREATE INDEX "InboxBody_shop_idx" ON "InboxBody"("shop");

-- AddForeignKey
ALTER TABLE "InboxBody" ADD CONSTRAINT "InboxBody_inboxEventId_fkey" FOREIGN KEY ("inboxEventId") REFERENCES "InboxEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") SELECT "id", "shop", "body" FROM "InboxEvent";

-- Migrations only add (docs/operations.md): the column stays, nullable and
-- emptied, so the previous release's app instances and workers, still
-- running while this is applied, keep writing their bodies there; this
-- trigger moves each to InboxBody at once (an erasure's scrub too). The next
-- release drops the column, the trigger and its function.
ALTER TABLE "InboxEvent" ALTER COLUMN "body" DROP NOT NULL;
UPDATE "InboxEvent" SET "body" = NULL;

CREATE FUNCTION "inbox_body_from_retired_column"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") VALUES (NEW."id", NEW."shop", NEW."body")
    ON CONFLICT ("inboxEventId") DO UPDATE SET "body" = EXCLUDED."body";
  UPDATE "InboxEvent" SET "body" = NULL WHERE "id" = NEW."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "InboxEvent_retired_body" AFTER INSERT OR UPDATE OF "body" ON "InboxEvent"
  FOR EACH ROW WHEN (NEW."body" IS NOT NULL) EXECUTE FUNCTION "inbox_body_from_retired_column"();
