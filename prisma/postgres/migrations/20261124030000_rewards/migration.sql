-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "rewardSettings" TEXT;

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "issuedByName" TEXT,
    "reason" TEXT NOT NULL,
    "valueType" TEXT,
    "value" INTEGER,
    "costMinor" INTEGER NOT NULL DEFAULT 0,
    "currencyCode" TEXT NOT NULL,
    "code" TEXT,
    "discountId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "giftId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gift" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "tierHandles" TEXT NOT NULL DEFAULT '[]',
    "costMinor" INTEGER NOT NULL DEFAULT 0,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Gift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GiftGiven" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "giftId" TEXT NOT NULL,
    "giftName" TEXT NOT NULL,
    "costMinor" INTEGER NOT NULL DEFAULT 0,
    "orderShopifyId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "dueKey" TEXT NOT NULL,
    "rewardId" TEXT,
    "givenAt" TIMESTAMP(3) NOT NULL,
    "noteWrittenAt" TIMESTAMP(3),
    "noteError" TEXT,

    CONSTRAINT "GiftGiven_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Reward_shop_customerShopifyId_createdAt_idx" ON "Reward"("shop", "customerShopifyId", "createdAt");

-- CreateIndex
CREATE INDEX "Reward_shop_issuedBy_createdAt_idx" ON "Reward"("shop", "issuedBy", "createdAt");

-- CreateIndex
CREATE INDEX "Reward_shop_createdAt_idx" ON "Reward"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Gift_shop_position_idx" ON "Gift"("shop", "position");

-- CreateIndex
CREATE INDEX "GiftGiven_shop_customerShopifyId_givenAt_idx" ON "GiftGiven"("shop", "customerShopifyId", "givenAt");

-- CreateIndex
CREATE UNIQUE INDEX "GiftGiven_shop_orderShopifyId_giftId_key" ON "GiftGiven"("shop", "orderShopifyId", "giftId");

-- CreateIndex
CREATE UNIQUE INDEX "GiftGiven_shop_customerShopifyId_dueKey_key" ON "GiftGiven"("shop", "customerShopifyId", "dueKey");

