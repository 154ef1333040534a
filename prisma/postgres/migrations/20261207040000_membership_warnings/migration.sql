-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "membershipEmailOptOutAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TierWarning" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierHandle" TEXT NOT NULL,
    "toHandle" TEXT NOT NULL,
    "announcedAt" TIMESTAMP(3) NOT NULL,
    "firstWarnedAt" TIMESTAMP(3),
    "firstChannel" TEXT,
    "publishedAt" TIMESTAMP(3),
    "emailAt" TIMESTAMP(3),
    "smsAt" TIMESTAMP(3),
    "flowAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "TierWarning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TierWarning_shop_closedAt_idx" ON "TierWarning"("shop", "closedAt");

-- CreateIndex
CREATE INDEX "TierWarning_shop_customerShopifyId_idx" ON "TierWarning"("shop", "customerShopifyId");
