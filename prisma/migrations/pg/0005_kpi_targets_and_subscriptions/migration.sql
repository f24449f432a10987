-- CreateTable
CREATE TABLE "kpi_targets" (
    "kpi" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "by" TEXT NOT NULL,
    "from" TEXT,
    "grain" TEXT NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "kpi_targets_pkey" PRIMARY KEY ("kpi")
);

-- CreateTable
CREATE TABLE "channel_subscriptions" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "channel_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_subscriptions_channel_kpi_key" ON "channel_subscriptions"("channel", "kpi");

