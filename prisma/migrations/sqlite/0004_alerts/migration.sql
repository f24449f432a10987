-- CreateTable
CREATE TABLE "alert_series" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "severity" TEXT,
    "pending_count" INTEGER NOT NULL DEFAULT 0,
    "recover_count" INTEGER NOT NULL DEFAULT 0,
    "episode_id" INTEGER,
    "since" DATETIME NOT NULL,
    "last_value" REAL,
    "last_period" TEXT,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "alert_episodes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "kpi" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'kpi',
    "severity" TEXT NOT NULL,
    "current_severity" TEXT NOT NULL,
    "started_at" DATETIME NOT NULL,
    "ended_at" DATETIME,
    "peak_value" REAL,
    "last_value" REAL,
    "seen" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "acknowledged_at" DATETIME,
    "acknowledged_by" TEXT,
    "last_notified_at" DATETIME,
    "reminders" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "alert_transitions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rule" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "episode_id" INTEGER,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "severity" TEXT,
    "value" REAL,
    "period" TEXT,
    "reason" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "alert_transitions_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "alert_episodes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alert_outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedup_key" TEXT NOT NULL,
    "episode_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "not_before" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL,
    "sent_at" DATETIME,
    "last_error" TEXT,
    CONSTRAINT "alert_outbox_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "alert_episodes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alert_threads" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "episode_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ref" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "silences" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "matchers" TEXT NOT NULL,
    "starts_at" DATETIME NOT NULL,
    "ends_at" DATETIME,
    "until_sync" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "ended_at" DATETIME
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "detail" TEXT
);

-- CreateTable
CREATE TABLE "alert_rule_versions" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "hash" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "alert_ticks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "rules" INTEGER NOT NULL,
    "series" INTEGER NOT NULL,
    "transitions" INTEGER NOT NULL,
    "queued" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL
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

