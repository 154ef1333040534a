-- The shop's locations by name (issue 21): the stores the POS names only by id.
-- Empty until the first refresh (install, the daily "locations" job, or a POS
-- order or file save naming an unknown id); pages show "Store <id>" until then.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "locationsRefreshedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "locationsDenied" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ShopLocation" (
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "city" TEXT,
    "countryCode" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "locationId")
);
