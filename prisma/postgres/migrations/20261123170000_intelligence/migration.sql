-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "intelClassifiedAt" TIMESTAMP(3),
ADD COLUMN     "intelSettings" TEXT,
ADD COLUMN     "intelShopIntervalDays" DOUBLE PRECISION,
ADD COLUMN     "intelShopIntervalGaps" INTEGER;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "cadenceDays" DOUBLE PRECISION,
ADD COLUMN     "classifiedAt" TIMESTAMP(3),
ADD COLUMN     "firstDeliveredAt" TIMESTAMP(3),
ADD COLUMN     "lifecycleAt" TIMESTAMP(3),
ADD COLUMN     "lifecycleStage" TEXT,
ADD COLUMN     "nextOrderAt" TIMESTAMP(3),
ADD COLUMN     "nextStage" TEXT,
ADD COLUMN     "reminderAt" TIMESTAMP(3),
ADD COLUMN     "rfmFrequency" INTEGER,
ADD COLUMN     "rfmMonetary" INTEGER,
ADD COLUMN     "rfmRecency" INTEGER,
ADD COLUMN     "rfmSegment" TEXT,
ADD COLUMN     "stageChangesAt" TIMESTAMP(3),
ADD COLUMN     "valueClass" TEXT;

-- CreateTable
CREATE TABLE "ProductInterval" (
    "shop" TEXT NOT NULL,
    "productShopifyId" TEXT NOT NULL,
    "days" DOUBLE PRECISION,
    "gaps" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductInterval_pkey" PRIMARY KEY ("shop","productShopifyId")
);

-- CreateIndex
CREATE INDEX "Customer_shop_rfmSegment_idx" ON "Customer"("shop", "rfmSegment");

-- CreateIndex
CREATE INDEX "Customer_shop_lifecycleStage_idx" ON "Customer"("shop", "lifecycleStage");

-- CreateIndex
CREATE INDEX "Customer_shop_valueClass_idx" ON "Customer"("shop", "valueClass");

-- CreateIndex
CREATE INDEX "Customer_shop_stageChangesAt_idx" ON "Customer"("shop", "stageChangesAt");

