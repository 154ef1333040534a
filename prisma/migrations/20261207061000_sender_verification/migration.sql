-- Sender addresses (issue 18): a merchant's own From address is used only once confirmed by a link mailed to it.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "senderConfirmedEmail" TEXT;
ALTER TABLE "Shop" ADD COLUMN "senderConfirmedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "senderPendingEmail" TEXT;
ALTER TABLE "Shop" ADD COLUMN "senderPendingNonceHash" TEXT;
ALTER TABLE "Shop" ADD COLUMN "senderPendingSentAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "senderConfirmationSends" TEXT;
