-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "careSettings" TEXT;

-- CreateTable
CREATE TABLE "CareFlow" (
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "config" TEXT NOT NULL DEFAULT '{}',
    "updatedBy" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "flow")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "messageClass" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "orderShopifyId" TEXT,
    "fulfillmentShopifyId" TEXT,
    "variables" TEXT NOT NULL DEFAULT '{}',
    "plannedAt" DATETIME NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastReason" TEXT,
    "sentAt" DATETIME,
    "providerMessageId" TEXT,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MessageDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShipmentAnomaly" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'open',
    "detectedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedBy" TEXT,
    "followUpTaskId" TEXT,
    "noticeMessageId" TEXT
);

-- CreateTable
CREATE TABLE "CarePlanState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "lastEventId" INTEGER NOT NULL DEFAULT 0,
    "sweptAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Message_status_availableAt_idx" ON "Message"("status", "availableAt");

-- CreateIndex
CREATE INDEX "Message_shop_customerShopifyId_sentAt_idx" ON "Message"("shop", "customerShopifyId", "sentAt");

-- CreateIndex
CREATE INDEX "Message_shop_customerShopifyId_status_idx" ON "Message"("shop", "customerShopifyId", "status");

-- CreateIndex
CREATE INDEX "Message_shop_orderShopifyId_idx" ON "Message"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Message_shop_updatedAt_idx" ON "Message"("shop", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_shop_idempotencyKey_key" ON "Message"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "MessageDecision_shop_messageId_id_idx" ON "MessageDecision"("shop", "messageId", "id");

-- CreateIndex
CREATE INDEX "MessageDecision_shop_at_idx" ON "MessageDecision"("shop", "at");

-- CreateIndex
CREATE INDEX "ShipmentAnomaly_shop_status_detectedAt_idx" ON "ShipmentAnomaly"("shop", "status", "detectedAt");

-- CreateIndex
CREATE INDEX "ShipmentAnomaly_shop_orderShopifyId_idx" ON "ShipmentAnomaly"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "ShipmentAnomaly_shop_customerShopifyId_idx" ON "ShipmentAnomaly"("shop", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentAnomaly_shop_fulfillmentShopifyId_kind_key" ON "ShipmentAnomaly"("shop", "fulfillmentShopifyId", "kind");

