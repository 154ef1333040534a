-- The whole schema as of 2026-11-23 (SQLite migrations up to 20261123140000_order_totals_index), from
-- `prisma migrate diff --from-empty --to-schema-datamodel prisma/postgres/schema.prisma --script`.
-- Later changes come as a migration here with the same name as its SQLite twin.
-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "name" TEXT,
    "ianaTimezone" TEXT NOT NULL DEFAULT 'UTC',
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "primaryLocale" TEXT NOT NULL DEFAULT 'en',
    "scopes" TEXT,
    "historySource" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "locale" TEXT,
    "timeZone" TEXT,
    "countryCode" TEXT,
    "provinceCode" TEXT,
    "city" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "emailConsentState" TEXT,
    "emailConsentUpdatedAt" TIMESTAMP(3),
    "smsConsentState" TEXT,
    "smsConsentUpdatedAt" TIMESTAMP(3),
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "netSpentMinor" INTEGER NOT NULL DEFAULT 0,
    "currencyCode" TEXT,
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "orderGapsDays" TEXT NOT NULL DEFAULT '[]',
    "medianGapDays" DOUBLE PRECISION,
    "factsComputedAt" TIMESTAMP(3),
    "shopifyAmountSpentMinor" INTEGER,
    "shopifyOrderCount" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "name" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "presentmentCurrency" TEXT,
    "subtotalMinor" INTEGER NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "totalDiscountsMinor" INTEGER NOT NULL,
    "totalTaxMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingMinor" INTEGER NOT NULL DEFAULT 0,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "sourceName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productShopifyId" TEXT,
    "variantShopifyId" TEXT,
    "title" TEXT NOT NULL,
    "sku" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER NOT NULL,
    "discountMinor" INTEGER NOT NULL DEFAULT 0,
    "giftCard" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "lines" TEXT NOT NULL DEFAULT '[]',
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "status" TEXT,
    "shipmentStatus" TEXT,
    "trackingCompany" TEXT,
    "trackingNumber" TEXT,
    "trackingUrl" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "lastEventAt" TIMESTAMP(3),
    "lastEventStatus" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "happenedAt" TIMESTAMP(3) NOT NULL,
    "estimatedDeliveryAt" TIMESTAMP(3),
    "city" TEXT,
    "countryCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "processedAt" TIMESTAMP(3),
    "subjectCustomerId" TEXT,
    "subjectOrderId" TEXT,

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEffect" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "doneAt" TIMESTAMP(3),
    "rerun" BOOLEAN NOT NULL DEFAULT false,
    "customerShopifyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEffect_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL,
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
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Backfill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "requestShopifyId" TEXT,
    "customerShopifyId" TEXT NOT NULL,
    "export" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierProgram" (
    "shop" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "pendingDefinition" TEXT,
    "pendingFrom" TIMESTAMP(3),
    "segmentIds" TEXT NOT NULL DEFAULT '{}',
    "discountId" TEXT,
    "discountInput" TEXT,
    "discountSyncedAt" TIMESTAMP(3),
    "discountErrorKey" TEXT,
    "discountErrorDetail" TEXT,
    "lastSweptAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TierProgram_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "MemberTier" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierHandle" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "downgradeOn" TIMESTAMP(3),
    "pinnedHandle" TEXT,
    "pinnedUntil" TIMESTAMP(3),
    "pinnedReason" TEXT,
    "pinnedBy" TEXT,
    "membershipValue" TEXT,
    "syncedValue" TEXT,
    "tierTag" TEXT,
    "syncedTag" TEXT,
    "syncError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromHandle" TEXT,
    "toHandle" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Customer_shop_lastOrderAt_idx" ON "Customer"("shop", "lastOrderAt");

-- CreateIndex
CREATE INDEX "Customer_shop_netSpentMinor_idx" ON "Customer"("shop", "netSpentMinor");

-- CreateIndex
CREATE INDEX "Customer_shop_email_idx" ON "Customer"("shop", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shop_shopifyId_key" ON "Customer"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_member_totals_idx" ON "Order"("shop", "customerShopifyId", "processedAt", "cancelledAt", "financialStatus", "subtotalMinor", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shop_processedAt_idx" ON "Order"("shop", "processedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_idx" ON "OrderLine"("shop", "productShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_shop_shopifyId_key" ON "OrderLine"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Refund_shop_orderShopifyId_idx" ON "Refund"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_shop_shopifyId_key" ON "Refund"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Fulfillment_shop_orderShopifyId_idx" ON "Fulfillment"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Fulfillment_shop_deliveredAt_idx" ON "Fulfillment"("shop", "deliveredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shop_shopifyId_key" ON "Fulfillment"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "FulfillmentEvent_shop_fulfillmentShopifyId_idx" ON "FulfillmentEvent"("shop", "fulfillmentShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentEvent_shop_shopifyId_key" ON "FulfillmentEvent"("shop", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEvent_webhookId_key" ON "InboxEvent"("webhookId");

-- CreateIndex
CREATE INDEX "InboxEvent_status_availableAt_idx" ON "InboxEvent"("status", "availableAt");

-- CreateIndex
CREATE INDEX "InboxEvent_shop_status_idx" ON "InboxEvent"("shop", "status");

-- CreateIndex
CREATE INDEX "InboxEvent_shop_subjectCustomerId_idx" ON "InboxEvent"("shop", "subjectCustomerId");

-- CreateIndex
CREATE INDEX "InboxEvent_shop_subjectOrderId_idx" ON "InboxEvent"("shop", "subjectOrderId");

-- CreateIndex
CREATE INDEX "InboxEvent_leaseOwner_idx" ON "InboxEvent"("leaseOwner");

-- CreateIndex
CREATE INDEX "OutboxEffect_status_availableAt_idx" ON "OutboxEffect"("status", "availableAt");

-- CreateIndex
CREATE INDEX "OutboxEffect_shop_status_idx" ON "OutboxEffect"("shop", "status");

-- CreateIndex
CREATE INDEX "OutboxEffect_shop_customerShopifyId_idx" ON "OutboxEffect"("shop", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxEffect_shop_idempotencyKey_key" ON "OutboxEffect"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_kind_id_idx" ON "DomainEvent"("shop", "kind", "id");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_customerShopifyId_idx" ON "DomainEvent"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "Backfill_shop_startedAt_idx" ON "Backfill"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "Backfill_status_idx" ON "Backfill"("status");

-- CreateIndex
CREATE INDEX "DataRequest_shop_customerShopifyId_idx" ON "DataRequest"("shop", "customerShopifyId");

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

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

