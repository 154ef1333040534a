-- POS orders' staff member and store (issue 21): the order webhook's user_id
-- (the POS user who processed the order) and location_id (where), as text;
-- null for online orders and for orders stored before this.
-- AlterTable
ALTER TABLE "Order" ADD COLUMN "posUserId" TEXT;
ALTER TABLE "Order" ADD COLUMN "posLocationId" TEXT;
