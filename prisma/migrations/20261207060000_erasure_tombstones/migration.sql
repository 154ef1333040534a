-- Erasure tombstones (issue 18): one-way digests of erased customers, orders and shops.
-- CreateTable
CREATE TABLE "ErasureTombstone" (
    "digest" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "shopDigest" TEXT NOT NULL,
    "erasedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ErasureTombstone_shopDigest_idx" ON "ErasureTombstone"("shopDigest");
