-- Merchant-saved views of the admin lists (issue 20, ADR 0034).
-- CreateTable
CREATE TABLE "SavedListView" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "list" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedListView_shop_list_name_key" ON "SavedListView"("shop", "list", "name");

-- CreateIndex
CREATE INDEX "SavedListView_shop_list_position_idx" ON "SavedListView"("shop", "list", "position");
