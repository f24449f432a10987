-- CreateTable
CREATE TABLE "digest_outbox" (
    "id" SERIAL NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "not_before" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "sent_at" TIMESTAMP(3),
    "ref" TEXT,
    "last_error" TEXT,

    CONSTRAINT "digest_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "digest_outbox_dedup_key_key" ON "digest_outbox"("dedup_key");

-- CreateIndex
CREATE INDEX "digest_outbox_status_not_before_idx" ON "digest_outbox"("status", "not_before");

