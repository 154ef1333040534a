-- The purchase ledger (issue 17, docs/decisions/0012-purchase-ledger.md): each order's answer stored on its row.
-- AlterTable
ALTER TABLE "Order" ADD COLUMN "countsAsPurchase" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Order" ADD COLUMN "netSpendMinor" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "OrderLine" ADD COLUMN "currentQuantity" INTEGER;
ALTER TABLE "Refund" ADD COLUMN "unallocatedMinor" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "OrderEdit" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,
    "removals" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderEdit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrderEdit_shop_shopifyId_key" ON "OrderEdit"("shop", "shopifyId");
CREATE INDEX "OrderEdit_shop_orderShopifyId_idx" ON "OrderEdit"("shop", "orderShopifyId");

-- The tier aggregate and the classification reader now read the ledger's columns.
DROP INDEX "Order_member_totals_idx";
CREATE INDEX "Order_member_totals_idx" ON "Order"("shop", "customerShopifyId", "processedAt", "countsAsPurchase", "netSpendMinor", "shopifyId");

-- Orders already stored get the ledger's answer from what their rows hold
-- (every line as ordered, refunds as merchandise; no goodwill refunds were
-- recorded before): merchandise after discounts less gift card lines and
-- refunds. Orders arriving from now on are computed by the projector.
UPDATE "Order" SET "netSpendMinor" = "subtotalMinor"
  - COALESCE((SELECT SUM(l."unitPriceMinor" * l."quantity" - l."discountMinor") FROM "OrderLine" l WHERE l."orderId" = "Order"."id" AND l."giftCard" = true), 0)
  - COALESCE((SELECT SUM(r."amountMinor") FROM "Refund" r WHERE r."shop" = "Order"."shop" AND r."orderShopifyId" = "Order"."shopifyId"), 0);
UPDATE "Order" SET "countsAsPurchase" = ("test" = false AND "cancelledAt" IS NULL AND COALESCE(LOWER("financialStatus"), '') NOT IN ('voided', 'refunded')
  AND EXISTS (SELECT 1 FROM "OrderLine" l WHERE l."orderId" = "Order"."id" AND l."giftCard" = false)
  AND ("netSpendMinor" > 0 OR "subtotalMinor" - COALESCE((SELECT SUM(l."unitPriceMinor" * l."quantity" - l."discountMinor") FROM "OrderLine" l WHERE l."orderId" = "Order"."id" AND l."giftCard" = true), 0) = 0));
UPDATE "Order" SET "netSpendMinor" = 0 WHERE "countsAsPurchase" = false OR "netSpendMinor" < 0;
