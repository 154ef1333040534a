-- The periodic background jobs' last runs (issue 19): what `cli jobs status` shows.
-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "runningSince" DATETIME,
    "runningOwner" TEXT
);
