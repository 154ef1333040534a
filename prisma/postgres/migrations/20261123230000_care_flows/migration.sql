-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "careSettings" TEXT;

-- CreateTable
CREATE TABLE "CareFlow" (
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "config" TEXT NOT NULL DEFAULT '{}',
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CareFlow_pkey" PRIMARY KEY ("shop","flow")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
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
    "plannedAt" TIMESTAMP(3) NOT NULL,
    "availableAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastReason" TEXT,
    "sentAt" TIMESTAMP(3),
    "providerMessageId" TEXT,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageDecision" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShipmentAnomaly" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'open',
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "followUpTaskId" TEXT,
    "noticeMessageId" TEXT,

    CONSTRAINT "ShipmentAnomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CarePlanState" (
    "shop" TEXT NOT NULL,
    "lastEventId" INTEGER NOT NULL DEFAULT 0,
    "sweptAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CarePlanState_pkey" PRIMARY KEY ("shop")
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

