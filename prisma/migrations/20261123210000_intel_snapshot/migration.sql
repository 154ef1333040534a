-- CreateTable
CREATE TABLE "IntelSnapshot" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stages" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "day")
);

