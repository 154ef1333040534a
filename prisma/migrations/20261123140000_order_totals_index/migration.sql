-- Tier placement reads each member's orders from this index alone.
-- DropIndex
DROP INDEX "Order_shop_customerShopifyId_processedAt_idx";

-- CreateIndex
CREATE INDEX "Order_member_totals_idx" ON "Order"("shop", "customerShopifyId", "processedAt", "cancelledAt", "financialStatus", "subtotalMinor", "shopifyId");
