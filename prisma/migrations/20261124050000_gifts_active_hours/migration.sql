-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
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
    "updatedAt" DATETIME NOT NULL,
    "activeHours" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Campaign" ("attributionDays", "audience", "audienceCount", "cancelledAt", "channel", "content", "createdAt", "createdBy", "duplicatedFrom", "finishedAt", "holdoutPercent", "id", "name", "preAnnouncement", "scheduledAt", "sendHour", "sendOn", "shop", "startedAt", "status", "updatedAt", "validityDays") SELECT "attributionDays", "audience", "audienceCount", "cancelledAt", "channel", "content", "createdAt", "createdBy", "duplicatedFrom", "finishedAt", "holdoutPercent", "id", "name", "preAnnouncement", "scheduledAt", "sendHour", "sendOn", "shop", "startedAt", "status", "updatedAt", "validityDays" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_shop_status_idx" ON "Campaign"("shop", "status");
CREATE INDEX "Campaign_shop_createdAt_idx" ON "Campaign"("shop", "createdAt");
CREATE TABLE "new_Gift" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "tierHandles" TEXT NOT NULL DEFAULT '[]',
    "costMinor" INTEGER NOT NULL DEFAULT 0,
    "position" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "kinds" TEXT NOT NULL DEFAULT '[]',
    "sku" TEXT
);
INSERT INTO "new_Gift" ("active", "costMinor", "createdAt", "id", "name", "position", "shop", "tierHandles", "updatedAt") SELECT "active", "costMinor", "createdAt", "id", "name", "position", "shop", "tierHandles", "updatedAt" FROM "Gift";
DROP TABLE "Gift";
ALTER TABLE "new_Gift" RENAME TO "Gift";
CREATE INDEX "Gift_shop_position_idx" ON "Gift"("shop", "position");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

