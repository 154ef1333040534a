-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "activeHours" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Gift" ADD COLUMN     "kinds" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "sku" TEXT;

