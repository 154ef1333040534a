-- The tier program as published to the shop metafield $app:program (issue 22):
-- the value last written, when, and Shopify's refusal of the last attempt.
-- Null until the first publish; the daily sweep publishes the program of
-- shops that had one before this, so no data step is needed.
-- AlterTable
ALTER TABLE "TierProgram" ADD COLUMN "programPublished" TEXT;
ALTER TABLE "TierProgram" ADD COLUMN "programPublishedAt" DATETIME;
ALTER TABLE "TierProgram" ADD COLUMN "programPublishError" TEXT;
