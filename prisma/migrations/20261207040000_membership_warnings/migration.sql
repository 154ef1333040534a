-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "membershipEmailOptOutAt" DATETIME;

-- CreateTable
CREATE TABLE "TierWarning" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierHandle" TEXT NOT NULL,
    "toHandle" TEXT NOT NULL,
    "announcedAt" DATETIME NOT NULL,
    "firstWarnedAt" DATETIME,
    "firstChannel" TEXT,
    "publishedAt" DATETIME,
    "emailAt" DATETIME,
    "smsAt" DATETIME,
    "flowAt" DATETIME,
    "closedAt" DATETIME,
    "outcome" TEXT
);

-- CreateIndex
CREATE INDEX "TierWarning_shop_closedAt_idx" ON "TierWarning"("shop", "closedAt");

-- CreateIndex
CREATE INDEX "TierWarning_shop_customerShopifyId_idx" ON "TierWarning"("shop", "customerShopifyId");
