-- CreateTable
CREATE TABLE "kpi_targets" (
    "kpi" TEXT NOT NULL PRIMARY KEY,
    "value" REAL NOT NULL,
    "by" TEXT NOT NULL,
    "from" TEXT,
    "grain" TEXT NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "channel_subscriptions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_subscriptions_channel_kpi_key" ON "channel_subscriptions"("channel", "kpi");

