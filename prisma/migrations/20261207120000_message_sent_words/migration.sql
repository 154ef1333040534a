-- A message's words as sent (issue 20, ADR 0032): the email's subject, text
-- part and HTML part (an SMS's text in "sentText"), written with the "sent"
-- outcome; blanked by the words' retention, which stamps "sentWordsPurgedAt".
-- Null for messages sent before this: the admin renders those from today's
-- template and says so.
-- AlterTable
ALTER TABLE "Message" ADD COLUMN "sentSubject" TEXT;
ALTER TABLE "Message" ADD COLUMN "sentText" TEXT;
ALTER TABLE "Message" ADD COLUMN "sentHtml" TEXT;
ALTER TABLE "Message" ADD COLUMN "sentWordsPurgedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Message_shop_sentWordsPurgedAt_sentAt_idx" ON "Message"("shop", "sentWordsPurgedAt", "sentAt");
