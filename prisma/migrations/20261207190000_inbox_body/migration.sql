-- A webhook's raw body apart from its queue row (issue 19, ADR 0038): claims
-- and completions rewrite InboxEvent rows, and SQLite rewrites a whole row on
-- any update, body included. Bodies already stored move over unchanged.
-- CreateTable
CREATE TABLE "InboxBody" (
    "inboxEventId" INTEGER NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    CONSTRAINT "InboxBody_inboxEventId_fkey" FOREIGN KEY ("inboxEventId") REFERENCES "InboxEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InboxBody_shop_idx" ON "InboxBody"("shop");

INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") SELECT "id", "shop", "body" FROM "InboxEvent";

-- Migrations only add (docs/operations.md): the column stays, nullable and
-- empty (SQLite relaxes NOT NULL only by dropping and adding the column), so
-- a process of the previous release still running writes its bodies there,
-- and this trigger moves each to InboxBody at once (an erasure's scrub too).
-- The next release drops the column and the trigger.
ALTER TABLE "InboxEvent" DROP COLUMN "body";
ALTER TABLE "InboxEvent" ADD COLUMN "body" TEXT;

CREATE TRIGGER "InboxEvent_retired_body_insert" AFTER INSERT ON "InboxEvent" FOR EACH ROW WHEN NEW."body" IS NOT NULL
BEGIN
  INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") VALUES (NEW."id", NEW."shop", NEW."body")
    ON CONFLICT ("inboxEventId") DO UPDATE SET "body" = excluded."body";
  UPDATE "InboxEvent" SET "body" = NULL WHERE "id" = NEW."id";
END;

CREATE TRIGGER "InboxEvent_retired_body_update" AFTER UPDATE OF "body" ON "InboxEvent" FOR EACH ROW WHEN NEW."body" IS NOT NULL
BEGIN
  INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") VALUES (NEW."id", NEW."shop", NEW."body")
    ON CONFLICT ("inboxEventId") DO UPDATE SET "body" = excluded."body";
  UPDATE "InboxEvent" SET "body" = NULL WHERE "id" = NEW."id";
END;
