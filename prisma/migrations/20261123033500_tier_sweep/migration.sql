-- AlterTable
ALTER TABLE "TierProgram" ADD COLUMN "lastSweptAt" DATETIME;

