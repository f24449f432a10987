-- CreateTable
CREATE TABLE "tick_items" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job" TEXT NOT NULL,
    "tick" DATETIME NOT NULL,
    "item" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "holder" TEXT,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "expires_at" DATETIME,
    "done_at" DATETIME,
    "result" TEXT
);

-- CreateIndex
CREATE INDEX "tick_items_job_tick_state_idx" ON "tick_items"("job", "tick", "state");

-- CreateIndex
CREATE UNIQUE INDEX "tick_items_job_tick_item_key" ON "tick_items"("job", "tick", "item");
