-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "intelClassifiedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "intelSettings" TEXT;
ALTER TABLE "Shop" ADD COLUMN "intelShopIntervalDays" REAL;
ALTER TABLE "Shop" ADD COLUMN "intelShopIntervalGaps" INTEGER;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "cadenceDays" REAL;
ALTER TABLE "Customer" ADD COLUMN "classifiedAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "firstDeliveredAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "lifecycleAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "lifecycleStage" TEXT;
ALTER TABLE "Customer" ADD COLUMN "nextOrderAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "nextStage" TEXT;
ALTER TABLE "Customer" ADD COLUMN "reminderAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "rfmFrequency" INTEGER;
ALTER TABLE "Customer" ADD COLUMN "rfmMonetary" INTEGER;
ALTER TABLE "Customer" ADD COLUMN "rfmRecency" INTEGER;
ALTER TABLE "Customer" ADD COLUMN "rfmSegment" TEXT;
ALTER TABLE "Customer" ADD COLUMN "stageChangesAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "valueClass" TEXT;

-- CreateTable
CREATE TABLE "ProductInterval" (
    "shop" TEXT NOT NULL,
    "productShopifyId" TEXT NOT NULL,
    "days" REAL,
    "gaps" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "productShopifyId")
);

-- CreateIndex
CREATE INDEX "Customer_shop_rfmSegment_idx" ON "Customer"("shop", "rfmSegment");

-- CreateIndex
CREATE INDEX "Customer_shop_lifecycleStage_idx" ON "Customer"("shop", "lifecycleStage");

-- CreateIndex
CREATE INDEX "Customer_shop_valueClass_idx" ON "Customer"("shop", "valueClass");

-- CreateIndex
CREATE INDEX "Customer_shop_stageChangesAt_idx" ON "Customer"("shop", "stageChangesAt");

