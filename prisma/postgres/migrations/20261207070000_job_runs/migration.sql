-- The periodic background jobs' last runs (issue 19): what `cli jobs status` shows.
-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "runningSince" TIMESTAMP(3),
    "runningOwner" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("name")
);
