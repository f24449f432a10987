-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "sources" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_cursors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "file" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_written" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "rows_inserted" INTEGER NOT NULL DEFAULT 0,
    "rows_updated" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "notes" TEXT,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejected_rows" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "object" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rejected_rows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "owners" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "manager" TEXT,
    "office" TEXT,

    CONSTRAINT "owners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sector" TEXT,
    "country" TEXT,
    "employees" INTEGER,
    "revenue" DOUBLE PRECISION,
    "year_established" INTEGER,
    "parent" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "country" TEXT,
    "account_id" INTEGER,
    "created_at" TIMESTAMP(3),

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "series" TEXT,
    "list_price" DOUBLE PRECISION,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "name" TEXT,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DOUBLE PRECISION,
    "product_id" INTEGER,
    "owner_id" INTEGER,
    "account_id" INTEGER,
    "created_at" TIMESTAMP(3),
    "engaged_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_lines" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "invoice_no" TEXT NOT NULL,
    "customer_id" INTEGER,
    "stock_code" TEXT,
    "description" TEXT,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit_price" DOUBLE PRECISION NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,
    "country" TEXT,
    "ordered_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "order_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tickets" (
    "id" SERIAL NOT NULL,
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
    "opened_at" TIMESTAMP(3) NOT NULL,
    "first_response_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_answers" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "account_id" INTEGER,
    "answered_at" TIMESTAMP(3) NOT NULL,
    "comment" TEXT,

    CONSTRAINT "survey_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketing_spend" (
    "id" SERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "row_hash" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "campaign" TEXT,
    "spend" DOUBLE PRECISION NOT NULL,
    "leads" INTEGER NOT NULL DEFAULT 0,
    "attributed_revenue" DOUBLE PRECISION,

    CONSTRAINT "marketing_spend_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rejected_rows" ADD CONSTRAINT "rejected_rows_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "owners" ADD CONSTRAINT "owners_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketing_spend" ADD CONSTRAINT "marketing_spend_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

