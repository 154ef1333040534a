-- Customer files kept at the counter (issue 21): who registered a file and
-- where (admin or POS, the staff member, the POS location), the location of
-- its last POS save, and where each change was made.
-- AlterTable
ALTER TABLE "CustomerFile" ADD COLUMN "registeredSource" TEXT;
ALTER TABLE "CustomerFile" ADD COLUMN "registeredBy" TEXT;
ALTER TABLE "CustomerFile" ADD COLUMN "registeredLocationId" TEXT;
ALTER TABLE "CustomerFile" ADD COLUMN "posLocationId" TEXT;

-- AlterTable
ALTER TABLE "CustomerFileEdit" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE "CustomerFileEdit" ADD COLUMN "locationId" TEXT;

-- CreateIndex
CREATE INDEX "CustomerFile_shop_registeredBy_idx" ON "CustomerFile"("shop", "registeredBy");

-- CreateIndex
CREATE INDEX "CustomerFile_shop_posLocationId_idx" ON "CustomerFile"("shop", "posLocationId");
