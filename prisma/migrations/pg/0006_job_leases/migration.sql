-- CreateTable
CREATE TABLE "job_leases" (
    "job" TEXT NOT NULL,
    "tick" TIMESTAMP(3) NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "done_at" TIMESTAMP(3),

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("job")
);

