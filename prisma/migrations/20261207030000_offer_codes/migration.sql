-- Issue 17: a care message's offer is a code (a Reward row tied to the
-- message); codes redeemed by orders are recorded with their discount.
-- AlterTable
ALTER TABLE "Reward" ADD COLUMN "messageId" TEXT;
ALTER TABLE "Reward" ADD COLUMN "usedOrderShopifyId" TEXT;
ALTER TABLE "Reward" ADD COLUMN "usedAmountMinor" INTEGER;
ALTER TABLE "Reward" ADD COLUMN "usedAt" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shop_messageId_key" ON "Reward"("shop", "messageId");

-- CreateIndex
CREATE INDEX "Reward_shop_code_idx" ON "Reward"("shop", "code");

-- CreateIndex
CREATE INDEX "Reward_status_expiresAt_idx" ON "Reward"("status", "expiresAt");
