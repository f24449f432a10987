-- CreateTable
CREATE TABLE "alert_series" (
    "id" SERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "severity" TEXT,
    "pending_count" INTEGER NOT NULL DEFAULT 0,
    "recover_count" INTEGER NOT NULL DEFAULT 0,
    "episode_id" INTEGER,
    "since" TIMESTAMP(3) NOT NULL,
    "last_value" DOUBLE PRECISION,
    "last_period" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_episodes" (
    "id" SERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'kpi',
    "severity" TEXT NOT NULL,
    "current_severity" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),
    "peak_value" DOUBLE PRECISION,
    "last_value" DOUBLE PRECISION,
    "seen" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "acknowledged_at" TIMESTAMP(3),
    "acknowledged_by" TEXT,
    "last_notified_at" TIMESTAMP(3),
    "reminders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "alert_episodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_transitions" (
    "id" SERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "episode_id" INTEGER,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "severity" TEXT,
    "value" DOUBLE PRECISION,
    "period" TEXT,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_outbox" (
    "id" SERIAL NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "episode_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "not_before" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "sent_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "alert_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_threads" (
    "id" SERIAL NOT NULL,
    "episode_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ref" TEXT NOT NULL,

    CONSTRAINT "alert_threads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "silences" (
    "id" SERIAL NOT NULL,
    "matchers" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3),
    "until_sync" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),

    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule_versions" (
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_rule_versions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "alert_ticks" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "rules" INTEGER NOT NULL,
    "series" INTEGER NOT NULL,
    "transitions" INTEGER NOT NULL,
    "queued" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,

    CONSTRAINT "alert_ticks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_series_state_idx" ON "alert_series"("state");

-- CreateIndex
CREATE UNIQUE INDEX "alert_series_rule_series_key_key" ON "alert_series"("rule", "series_key");

-- CreateIndex
CREATE INDEX "alert_episodes_ended_at_idx" ON "alert_episodes"("ended_at");

-- CreateIndex
CREATE INDEX "alert_episodes_rule_series_key_idx" ON "alert_episodes"("rule", "series_key");

-- CreateIndex
CREATE INDEX "alert_transitions_rule_series_key_at_idx" ON "alert_transitions"("rule", "series_key", "at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_outbox_dedup_key_key" ON "alert_outbox"("dedup_key");

-- CreateIndex
CREATE INDEX "alert_outbox_status_not_before_idx" ON "alert_outbox"("status", "not_before");

-- CreateIndex
CREATE INDEX "alert_outbox_episode_id_idx" ON "alert_outbox"("episode_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_threads_episode_id_channel_key" ON "alert_threads"("episode_id", "channel");

-- CreateIndex
CREATE INDEX "silences_ends_at_idx" ON "silences"("ends_at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "alert_ticks_at_idx" ON "alert_ticks"("at");

-- AddForeignKey
ALTER TABLE "alert_transitions" ADD CONSTRAINT "alert_transitions_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "alert_episodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "alert_episodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

