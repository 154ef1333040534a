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

-- AlterTable
ALTER TABLE "InboxEvent" DROP COLUMN "body";
