-- Issue 17: a care message's offer is a code (a Reward row tied to the
-- message); codes redeemed by orders are recorded with their discount.
-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "messageId" TEXT,
ADD COLUMN     "usedOrderShopifyId" TEXT,
ADD COLUMN     "usedAmountMinor" INTEGER,
ADD COLUMN     "usedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shop_messageId_key" ON "Reward"("shop", "messageId");

-- CreateIndex
CREATE INDEX "Reward_shop_code_idx" ON "Reward"("shop", "code");

-- CreateIndex
CREATE INDEX "Reward_status_expiresAt_idx" ON "Reward"("status", "expiresAt");
