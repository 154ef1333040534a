-- AlterTable
ALTER TABLE "TierProgram" ADD COLUMN "discountErrorDetail" TEXT;
ALTER TABLE "TierProgram" ADD COLUMN "discountErrorKey" TEXT;
ALTER TABLE "TierProgram" ADD COLUMN "discountId" TEXT;
ALTER TABLE "TierProgram" ADD COLUMN "discountInput" TEXT;
ALTER TABLE "TierProgram" ADD COLUMN "discountSyncedAt" DATETIME;

