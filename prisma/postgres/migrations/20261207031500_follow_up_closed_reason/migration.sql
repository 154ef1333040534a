-- Follow-ups close by themselves when their reason goes away (issue 17): why, recorded.
-- AlterTable
ALTER TABLE "FollowUpTask" ADD COLUMN "closedReason" TEXT;
