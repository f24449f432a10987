-- CreateTable
CREATE TABLE "slack_native_refusals" (
    "workspace" TEXT NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "refused_at" DATETIME NOT NULL
);

