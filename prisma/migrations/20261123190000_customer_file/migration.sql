-- CreateTable
CREATE TABLE "CustomerFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "clothingSize" TEXT,
    "shoeSize" TEXT,
    "stylePreferences" TEXT,
    "productPreferences" TEXT,
    "occupation" TEXT,
    "family" TEXT,
    "hobbies" TEXT,
    "preferredChannel" TEXT,
    "preferredContactTime" TEXT,
    "acceptsPromotions" BOOLEAN,
    "birthday" TEXT,
    "notes" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "confirmedAt" TEXT NOT NULL DEFAULT '{}',
    "completeness" INTEGER NOT NULL DEFAULT 0,
    "updatedBy" TEXT,
    "updatedByName" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerFileEdit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "oldValue" TEXT,
    "newValue" TEXT,
    "staffId" TEXT,
    "staffName" TEXT,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FollowUpTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "dueOn" TEXT NOT NULL,
    "assignee" TEXT,
    "assigneeName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "snoozedUntil" TEXT,
    "outcome" TEXT,
    "outcomeNote" TEXT,
    "completedBy" TEXT,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FollowUpRun" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "generatedOn" TEXT NOT NULL,
    "generatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerFile_shop_updatedBy_idx" ON "CustomerFile"("shop", "updatedBy");

-- CreateIndex
CREATE INDEX "CustomerFile_shop_birthday_idx" ON "CustomerFile"("shop", "birthday");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerFile_shop_customerShopifyId_key" ON "CustomerFile"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerFileEdit_shop_customerShopifyId_id_idx" ON "CustomerFileEdit"("shop", "customerShopifyId", "id");

-- CreateIndex
CREATE INDEX "CustomerFileEdit_shop_staffId_idx" ON "CustomerFileEdit"("shop", "staffId");

-- CreateIndex
CREATE INDEX "FollowUpTask_shop_status_dueOn_idx" ON "FollowUpTask"("shop", "status", "dueOn");

-- CreateIndex
CREATE INDEX "FollowUpTask_shop_customerShopifyId_status_idx" ON "FollowUpTask"("shop", "customerShopifyId", "status");

