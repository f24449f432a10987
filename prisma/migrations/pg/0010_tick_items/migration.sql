-- CreateTable
CREATE TABLE "tick_items" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "tick" TIMESTAMP(3) NOT NULL,
    "item" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "holder" TEXT,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMP(3),
    "done_at" TIMESTAMP(3),
    "result" TEXT,

    CONSTRAINT "tick_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tick_items_job_tick_state_idx" ON "tick_items"("job", "tick", "state");

-- CreateIndex
CREATE UNIQUE INDEX "tick_items_job_tick_item_key" ON "tick_items"("job", "tick", "item");
