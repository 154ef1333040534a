-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "historySource" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "shopifyAmountSpentMinor" INTEGER;
ALTER TABLE "Customer" ADD COLUMN "shopifyOrderCount" INTEGER;

-- AlterTable
ALTER TABLE "MemberTier" ADD COLUMN "membershipValue" TEXT;
ALTER TABLE "MemberTier" ADD COLUMN "syncError" TEXT;
ALTER TABLE "MemberTier" ADD COLUMN "syncedTag" TEXT;
ALTER TABLE "MemberTier" ADD COLUMN "syncedValue" TEXT;
ALTER TABLE "MemberTier" ADD COLUMN "tierTag" TEXT;

-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "historySource" TEXT NOT NULL,
    "customersOperation" TEXT,
    "ordersOperation" TEXT,
    "customersApplied" INTEGER NOT NULL DEFAULT 0,
    "ordersApplied" INTEGER NOT NULL DEFAULT 0,
    "customersTotal" INTEGER,
    "ordersTotal" INTEGER,
    "placed" INTEGER NOT NULL DEFAULT 0,
    "skippedLines" INTEGER NOT NULL DEFAULT 0,
    "skipReason" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxEffect" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "doneAt" DATETIME,
    "rerun" BOOLEAN NOT NULL DEFAULT false,
    "customerShopifyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_OutboxEffect" ("attempts", "availableAt", "createdAt", "customerShopifyId", "doneAt", "id", "idempotencyKey", "kind", "lastError", "leaseOwner", "leaseUntil", "payload", "shop", "status") SELECT "attempts", "availableAt", "createdAt", "customerShopifyId", "doneAt", "id", "idempotencyKey", "kind", "lastError", "leaseOwner", "leaseUntil", "payload", "shop", "status" FROM "OutboxEffect";
DROP TABLE "OutboxEffect";
ALTER TABLE "new_OutboxEffect" RENAME TO "OutboxEffect";
CREATE INDEX "OutboxEffect_status_availableAt_idx" ON "OutboxEffect"("status", "availableAt");
CREATE INDEX "OutboxEffect_shop_status_idx" ON "OutboxEffect"("shop", "status");
CREATE INDEX "OutboxEffect_shop_customerShopifyId_idx" ON "OutboxEffect"("shop", "customerShopifyId");
CREATE UNIQUE INDEX "OutboxEffect_shop_idempotencyKey_key" ON "OutboxEffect"("shop", "idempotencyKey");
CREATE TABLE "new_TierProgram" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "pendingDefinition" TEXT,
    "pendingFrom" DATETIME,
    "segmentIds" TEXT NOT NULL DEFAULT '{}',
    "lastSweptAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_TierProgram" ("createdAt", "definition", "lastSweptAt", "shop", "updatedAt", "version") SELECT "createdAt", "definition", "lastSweptAt", "shop", "updatedAt", "version" FROM "TierProgram";
DROP TABLE "TierProgram";
ALTER TABLE "new_TierProgram" RENAME TO "TierProgram";
CREATE TABLE "new_TierChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromHandle" TEXT,
    "toHandle" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT,
    "at" DATETIME NOT NULL
);
-- The old ids were cuids; rows are renumbered in the order they happened.
INSERT INTO "new_TierChange" ("action", "actor", "at", "customerShopifyId", "fromHandle", "reason", "shop", "toHandle") SELECT "action", "actor", "at", "customerShopifyId", "fromHandle", "reason", "shop", "toHandle" FROM "TierChange" ORDER BY "at", "rowid";
DROP TABLE "TierChange";
ALTER TABLE "new_TierChange" RENAME TO "TierChange";
CREATE INDEX "TierChange_shop_customerShopifyId_at_idx" ON "TierChange"("shop", "customerShopifyId", "at");
CREATE INDEX "TierChange_shop_at_idx" ON "TierChange"("shop", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DomainEvent_shop_kind_id_idx" ON "DomainEvent"("shop", "kind", "id");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_customerShopifyId_idx" ON "DomainEvent"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "Backfill_shop_startedAt_idx" ON "Backfill"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "Backfill_status_idx" ON "Backfill"("status");

