-- CreateTable
CREATE TABLE "slack_native_refusals" (
    "workspace" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "refused_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slack_native_refusals_pkey" PRIMARY KEY ("workspace")
);

