-- Campaign audiences choose provinces by name (issue 21): the name the address
-- gives beside its code. Filled by the next customers/update or backfill.
ALTER TABLE "Customer" ADD COLUMN "provinceName" TEXT;
