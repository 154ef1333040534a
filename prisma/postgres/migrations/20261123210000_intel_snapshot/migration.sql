-- CreateTable
CREATE TABLE "IntelSnapshot" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stages" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntelSnapshot_pkey" PRIMARY KEY ("shop","day")
);

