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

-- AlterTable
ALTER TABLE "InboxEvent" DROP COLUMN "body";
