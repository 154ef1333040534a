-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
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
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "ianaTimezone" TEXT NOT NULL DEFAULT 'UTC',
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "primaryLocale" TEXT NOT NULL DEFAULT 'en',
    "scopes" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "emailConsentUpdatedAt" DATETIME,
    "smsConsentState" TEXT,
    "smsConsentUpdatedAt" DATETIME,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "deletedAt" DATETIME,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "netSpentMinor" INTEGER NOT NULL DEFAULT 0,
    "currencyCode" TEXT,
    "firstOrderAt" DATETIME,
    "lastOrderAt" DATETIME,
    "orderGapsDays" TEXT NOT NULL DEFAULT '[]',
    "medianGapDays" REAL,
    "factsComputedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "name" TEXT,
    "shopifyCreatedAt" DATETIME NOT NULL,
    "processedAt" DATETIME NOT NULL,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "presentmentCurrency" TEXT,
    "subtotalMinor" INTEGER NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "totalDiscountsMinor" INTEGER NOT NULL,
    "totalTaxMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingMinor" INTEGER NOT NULL DEFAULT 0,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "sourceName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "processedAt" DATETIME NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "lines" TEXT NOT NULL DEFAULT '[]',
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "status" TEXT,
    "shipmentStatus" TEXT,
    "trackingCompany" TEXT,
    "trackingNumber" TEXT,
    "trackingUrl" TEXT,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "deliveredAt" DATETIME,
    "lastEventAt" DATETIME,
    "lastEventStatus" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FulfillmentEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "happenedAt" DATETIME NOT NULL,
    "estimatedDeliveryAt" DATETIME,
    "city" TEXT,
    "countryCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "processedAt" DATETIME,
    "subjectCustomerId" TEXT,
    "subjectOrderId" TEXT
);

-- CreateTable
CREATE TABLE "OutboxEffect" (
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
    "customerShopifyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "requestShopifyId" TEXT,
    "customerShopifyId" TEXT NOT NULL,
    "export" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
CREATE INDEX "Order_shop_customerShopifyId_processedAt_idx" ON "Order"("shop", "customerShopifyId", "processedAt");

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
CREATE INDEX "DataRequest_shop_customerShopifyId_idx" ON "DataRequest"("shop", "customerShopifyId");
