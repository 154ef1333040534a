-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "audience" TEXT NOT NULL DEFAULT '{}',
    "channel" TEXT NOT NULL DEFAULT 'email',
    "content" TEXT NOT NULL DEFAULT '{}',
    "sendOn" TEXT,
    "sendHour" INTEGER NOT NULL DEFAULT 10,
    "validityDays" INTEGER NOT NULL DEFAULT 3,
    "preAnnouncement" TEXT,
    "holdoutPercent" REAL NOT NULL DEFAULT 10,
    "attributionDays" INTEGER NOT NULL DEFAULT 7,
    "audienceCount" INTEGER,
    "duplicatedFrom" TEXT,
    "createdBy" TEXT,
    "scheduledAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Campaign_shop_status_idx" ON "Campaign"("shop", "status");

-- CreateIndex
CREATE INDEX "Campaign_shop_createdAt_idx" ON "Campaign"("shop", "createdAt");

