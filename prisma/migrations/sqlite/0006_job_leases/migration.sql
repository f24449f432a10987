-- CreateTable
CREATE TABLE "job_leases" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "tick" DATETIME NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "done_at" DATETIME
);

