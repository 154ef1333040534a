-- Erasure tombstones (issue 18): one-way digests of erased customers, orders and shops.
-- CreateTable
CREATE TABLE "ErasureTombstone" (
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shopDigest" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ErasureTombstone_pkey" PRIMARY KEY ("digest")
);

-- CreateIndex
CREATE INDEX "ErasureTombstone_shopDigest_idx" ON "ErasureTombstone"("shopDigest");
