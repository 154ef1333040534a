-- CreateTable
CREATE TABLE "TierProgram" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MemberTier" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierHandle" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "downgradeOn" DATETIME,
    "pinnedHandle" TEXT,
    "pinnedUntil" DATETIME,
    "pinnedReason" TEXT,
    "pinnedBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromHandle" TEXT,
    "toHandle" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MemberTier_shop_tierHandle_idx" ON "MemberTier"("shop", "tierHandle");

-- CreateIndex
CREATE INDEX "MemberTier_shop_downgradeOn_idx" ON "MemberTier"("shop", "downgradeOn");

-- CreateIndex
CREATE UNIQUE INDEX "MemberTier_shop_customerShopifyId_key" ON "MemberTier"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "TierChange_shop_customerShopifyId_at_idx" ON "TierChange"("shop", "customerShopifyId", "at");

-- CreateIndex
CREATE INDEX "TierChange_shop_at_idx" ON "TierChange"("shop", "at");

