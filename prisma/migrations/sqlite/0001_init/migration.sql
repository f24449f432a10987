-- CreateTable
CREATE TABLE "sources" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "sync_cursors_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "file" TEXT,
    "started_at" DATETIME NOT NULL,
    "ended_at" DATETIME,
    "status" TEXT NOT NULL,
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_written" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "rows_inserted" INTEGER NOT NULL DEFAULT 0,
    "rows_updated" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "notes" TEXT,
    CONSTRAINT "sync_runs_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "rejected_rows" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    CONSTRAINT "rejected_rows_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "owners" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "manager" TEXT,
    "office" TEXT,
    CONSTRAINT "owners_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sector" TEXT,
    "country" TEXT,
    "employees" INTEGER,
    "revenue" REAL,
    "year_established" INTEGER,
    "parent" TEXT,
    CONSTRAINT "accounts_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "customers" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "country" TEXT,
    "account_id" INTEGER,
    "created_at" DATETIME,
    CONSTRAINT "customers_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "customers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "products" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "series" TEXT,
    "list_price" REAL,
    CONSTRAINT "products_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "deals" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" REAL,
    "product_id" INTEGER,
    "owner_id" INTEGER,
    "account_id" INTEGER,
    "created_at" DATETIME,
    "engaged_at" DATETIME,
    "closed_at" DATETIME,
    CONSTRAINT "deals_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "deals_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "deals_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "deals_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "order_lines" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "invoice_no" TEXT NOT NULL,
    "customer_id" INTEGER,
    "stock_code" TEXT,
    "description" TEXT,
    "quantity" REAL NOT NULL,
    "unit_price" REAL NOT NULL,
    "amount" REAL NOT NULL,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,
    "country" TEXT,
    "ordered_at" DATETIME NOT NULL,
    CONSTRAINT "order_lines_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "order_lines_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "tickets" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "subject" TEXT,
    "category" TEXT NOT NULL,
    "channel" TEXT,
    "priority" TEXT,
    "customer_id" INTEGER,
    "account_id" INTEGER,
    "owner_id" INTEGER,
    "opened_at" DATETIME NOT NULL,
    "first_response_at" DATETIME,
    "resolved_at" DATETIME,
    CONSTRAINT "tickets_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tickets_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "tickets_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "tickets_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "survey_answers" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "account_id" INTEGER,
    "answered_at" DATETIME NOT NULL,
    "comment" TEXT,
    CONSTRAINT "survey_answers_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "survey_answers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "survey_answers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "marketing_spend" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "channel" TEXT NOT NULL,
    "campaign" TEXT,
    "spend" REAL NOT NULL,
    "leads" INTEGER NOT NULL DEFAULT 0,
    "attributed_revenue" REAL,
    CONSTRAINT "marketing_spend_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "sources_key_key" ON "sources"("key");

-- CreateIndex
CREATE UNIQUE INDEX "sync_cursors_source_id_object_key" ON "sync_cursors"("source_id", "object");

-- CreateIndex
CREATE INDEX "sync_runs_source_id_started_at_idx" ON "sync_runs"("source_id", "started_at");

-- CreateIndex
CREATE INDEX "rejected_rows_run_id_idx" ON "rejected_rows"("run_id");

-- CreateIndex
CREATE INDEX "rejected_rows_source_id_kind_idx" ON "rejected_rows"("source_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "rejected_rows_source_id_object_file_line_key" ON "rejected_rows"("source_id", "object", "file", "line");

-- CreateIndex
CREATE UNIQUE INDEX "owners_source_id_external_id_key" ON "owners"("source_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_source_id_external_id_key" ON "accounts"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "customers_account_id_idx" ON "customers"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "customers_source_id_external_id_key" ON "customers"("source_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "products_source_id_external_id_key" ON "products"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "deals_status_closed_at_idx" ON "deals"("status", "closed_at");

-- CreateIndex
CREATE INDEX "deals_engaged_at_idx" ON "deals"("engaged_at");

-- CreateIndex
CREATE INDEX "deals_owner_id_idx" ON "deals"("owner_id");

-- CreateIndex
CREATE INDEX "deals_account_id_idx" ON "deals"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "deals_source_id_external_id_key" ON "deals"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "order_lines_ordered_at_idx" ON "order_lines"("ordered_at");

-- CreateIndex
CREATE INDEX "order_lines_customer_id_ordered_at_idx" ON "order_lines"("customer_id", "ordered_at");

-- CreateIndex
CREATE UNIQUE INDEX "order_lines_source_id_external_id_key" ON "order_lines"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "tickets_opened_at_idx" ON "tickets"("opened_at");

-- CreateIndex
CREATE INDEX "tickets_category_opened_at_idx" ON "tickets"("category", "opened_at");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_source_id_external_id_key" ON "tickets"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "survey_answers_kind_answered_at_idx" ON "survey_answers"("kind", "answered_at");

-- CreateIndex
CREATE UNIQUE INDEX "survey_answers_source_id_external_id_key" ON "survey_answers"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "marketing_spend_day_idx" ON "marketing_spend"("day");

-- CreateIndex
CREATE UNIQUE INDEX "marketing_spend_source_id_external_id_key" ON "marketing_spend"("source_id", "external_id");

