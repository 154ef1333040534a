-- Sender addresses (issue 18): a merchant's own From address is used only once confirmed by a link mailed to it.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "senderConfirmedEmail" TEXT,
ADD COLUMN "senderConfirmedAt" TIMESTAMP(3),
ADD COLUMN "senderPendingEmail" TEXT,
ADD COLUMN "senderPendingNonceHash" TEXT,
ADD COLUMN "senderPendingSentAt" TIMESTAMP(3),
ADD COLUMN "senderConfirmationSends" TEXT;
