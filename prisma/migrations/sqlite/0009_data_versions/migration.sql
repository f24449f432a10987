-- Data versions (issue 18): every change to a record table bumps its entity's version in the same
-- transaction (a trigger), and notes the earliest date the changed record holds, before and after
-- the change, as a day. The KPI cache recomputes a period only when a change since its cached
-- version notes a day before the period's end. lo and hi bound every date value ever written to
-- the table, so that a later as-of cut can be seen to pass over no record.
CREATE TABLE "data_versions" (
    "entity" TEXT NOT NULL PRIMARY KEY,
    "version" BIGINT NOT NULL DEFAULT 0,
    "lo" TEXT,
    "hi" TEXT
);

-- day: 'YYYY-MM-DD' (UTC) of the earliest date of a changed record, '0000-00-00' when it has none;
-- version: the entity's version of the latest change noted on that day.
CREATE TABLE "data_changes" (
    "entity" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "version" BIGINT NOT NULL,
    PRIMARY KEY ("entity", "day")
);

CREATE INDEX "data_changes_entity_version_idx" ON "data_changes"("entity", "version");

INSERT INTO "data_versions" ("entity", "version") VALUES ('owners', 0);
INSERT INTO "data_versions" ("entity", "version") VALUES ('accounts', 0);
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'customers', 0, min(x), max(x) FROM (SELECT "created_at" AS x FROM "customers") d;
INSERT INTO "data_versions" ("entity", "version") VALUES ('products', 0);
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'deals', 0, min(x), max(x) FROM (SELECT "created_at" AS x FROM "deals" UNION ALL SELECT "engaged_at" AS x FROM "deals" UNION ALL SELECT "closed_at" AS x FROM "deals") d;
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'order_lines', 0, min(x), max(x) FROM (SELECT "ordered_at" AS x FROM "order_lines") d;
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'tickets', 0, min(x), max(x) FROM (SELECT "opened_at" AS x FROM "tickets" UNION ALL SELECT "first_response_at" AS x FROM "tickets" UNION ALL SELECT "resolved_at" AS x FROM "tickets") d;
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'survey_answers', 0, min(x), max(x) FROM (SELECT "answered_at" AS x FROM "survey_answers") d;
INSERT INTO "data_versions" ("entity", "version", "lo", "hi") SELECT 'marketing_spend', 0, min(x), max(x) FROM (SELECT "day" AS x FROM "marketing_spend") d;

-- owners: no date fields: any change counts as one before every period
CREATE TRIGGER "owners_data_version_insert" AFTER INSERT ON "owners" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('owners', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'owners'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "owners_data_version_update" AFTER UPDATE ON "owners" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('owners', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'owners'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "owners_data_version_delete" AFTER DELETE ON "owners" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('owners', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'owners'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- accounts: no date fields: any change counts as one before every period
CREATE TRIGGER "accounts_data_version_insert" AFTER INSERT ON "accounts" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('accounts', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'accounts'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "accounts_data_version_update" AFTER UPDATE ON "accounts" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('accounts', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'accounts'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "accounts_data_version_delete" AFTER DELETE ON "accounts" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('accounts', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'accounts'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- customers: created_at
CREATE TRIGGER "customers_data_version_insert" AFTER INSERT ON "customers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."created_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."created_at", '0000')), '0000') WHERE "entity" = 'customers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('customers', CASE WHEN coalesce(NEW."created_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(NEW."created_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'customers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "customers_data_version_update" AFTER UPDATE ON "customers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."created_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."created_at", '0000')), '0000') WHERE "entity" = 'customers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('customers', CASE WHEN min(coalesce(OLD."created_at", '9999'), coalesce(NEW."created_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."created_at", '9999'), coalesce(NEW."created_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'customers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "customers_data_version_delete" AFTER DELETE ON "customers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'customers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('customers', CASE WHEN coalesce(OLD."created_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(OLD."created_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'customers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- products: no date fields: any change counts as one before every period
CREATE TRIGGER "products_data_version_insert" AFTER INSERT ON "products" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('products', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'products'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "products_data_version_update" AFTER UPDATE ON "products" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('products', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'products'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "products_data_version_delete" AFTER DELETE ON "products" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('products', '0000-00-00', (SELECT "version" FROM "data_versions" WHERE "entity" = 'products'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- deals: created_at, engaged_at, closed_at
CREATE TRIGGER "deals_data_version_insert" AFTER INSERT ON "deals" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999'))), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), max(coalesce(NEW."created_at", '0000'), coalesce(NEW."engaged_at", '0000'), coalesce(NEW."closed_at", '0000'))), '0000') WHERE "entity" = 'deals';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('deals', CASE WHEN min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'deals'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "deals_data_version_update" AFTER UPDATE ON "deals" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999'))), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), max(coalesce(NEW."created_at", '0000'), coalesce(NEW."engaged_at", '0000'), coalesce(NEW."closed_at", '0000'))), '0000') WHERE "entity" = 'deals';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('deals', CASE WHEN min(min(coalesce(OLD."created_at", '9999'), coalesce(OLD."engaged_at", '9999'), coalesce(OLD."closed_at", '9999')), min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999'))) = '9999' THEN '0000-00-00' ELSE substr(min(min(coalesce(OLD."created_at", '9999'), coalesce(OLD."engaged_at", '9999'), coalesce(OLD."closed_at", '9999')), min(coalesce(NEW."created_at", '9999'), coalesce(NEW."engaged_at", '9999'), coalesce(NEW."closed_at", '9999'))), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'deals'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "deals_data_version_delete" AFTER DELETE ON "deals" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'deals';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('deals', CASE WHEN min(coalesce(OLD."created_at", '9999'), coalesce(OLD."engaged_at", '9999'), coalesce(OLD."closed_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."created_at", '9999'), coalesce(OLD."engaged_at", '9999'), coalesce(OLD."closed_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'deals'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- order_lines: ordered_at
CREATE TRIGGER "order_lines_data_version_insert" AFTER INSERT ON "order_lines" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."ordered_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."ordered_at", '0000')), '0000') WHERE "entity" = 'order_lines';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('order_lines', CASE WHEN coalesce(NEW."ordered_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(NEW."ordered_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'order_lines'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "order_lines_data_version_update" AFTER UPDATE ON "order_lines" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."ordered_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."ordered_at", '0000')), '0000') WHERE "entity" = 'order_lines';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('order_lines', CASE WHEN min(coalesce(OLD."ordered_at", '9999'), coalesce(NEW."ordered_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."ordered_at", '9999'), coalesce(NEW."ordered_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'order_lines'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "order_lines_data_version_delete" AFTER DELETE ON "order_lines" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'order_lines';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('order_lines', CASE WHEN coalesce(OLD."ordered_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(OLD."ordered_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'order_lines'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- tickets: opened_at, first_response_at, resolved_at
CREATE TRIGGER "tickets_data_version_insert" AFTER INSERT ON "tickets" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999'))), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), max(coalesce(NEW."opened_at", '0000'), coalesce(NEW."first_response_at", '0000'), coalesce(NEW."resolved_at", '0000'))), '0000') WHERE "entity" = 'tickets';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('tickets', CASE WHEN min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'tickets'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "tickets_data_version_update" AFTER UPDATE ON "tickets" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999'))), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), max(coalesce(NEW."opened_at", '0000'), coalesce(NEW."first_response_at", '0000'), coalesce(NEW."resolved_at", '0000'))), '0000') WHERE "entity" = 'tickets';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('tickets', CASE WHEN min(min(coalesce(OLD."opened_at", '9999'), coalesce(OLD."first_response_at", '9999'), coalesce(OLD."resolved_at", '9999')), min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999'))) = '9999' THEN '0000-00-00' ELSE substr(min(min(coalesce(OLD."opened_at", '9999'), coalesce(OLD."first_response_at", '9999'), coalesce(OLD."resolved_at", '9999')), min(coalesce(NEW."opened_at", '9999'), coalesce(NEW."first_response_at", '9999'), coalesce(NEW."resolved_at", '9999'))), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'tickets'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "tickets_data_version_delete" AFTER DELETE ON "tickets" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'tickets';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('tickets', CASE WHEN min(coalesce(OLD."opened_at", '9999'), coalesce(OLD."first_response_at", '9999'), coalesce(OLD."resolved_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."opened_at", '9999'), coalesce(OLD."first_response_at", '9999'), coalesce(OLD."resolved_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'tickets'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- survey_answers: answered_at
CREATE TRIGGER "survey_answers_data_version_insert" AFTER INSERT ON "survey_answers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."answered_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."answered_at", '0000')), '0000') WHERE "entity" = 'survey_answers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('survey_answers', CASE WHEN coalesce(NEW."answered_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(NEW."answered_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'survey_answers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "survey_answers_data_version_update" AFTER UPDATE ON "survey_answers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."answered_at", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."answered_at", '0000')), '0000') WHERE "entity" = 'survey_answers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('survey_answers', CASE WHEN min(coalesce(OLD."answered_at", '9999'), coalesce(NEW."answered_at", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."answered_at", '9999'), coalesce(NEW."answered_at", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'survey_answers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "survey_answers_data_version_delete" AFTER DELETE ON "survey_answers" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'survey_answers';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('survey_answers', CASE WHEN coalesce(OLD."answered_at", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(OLD."answered_at", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'survey_answers'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;

-- marketing_spend: day
CREATE TRIGGER "marketing_spend_data_version_insert" AFTER INSERT ON "marketing_spend" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."day", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."day", '0000')), '0000') WHERE "entity" = 'marketing_spend';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('marketing_spend', CASE WHEN coalesce(NEW."day", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(NEW."day", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'marketing_spend'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "marketing_spend_data_version_update" AFTER UPDATE ON "marketing_spend" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1, "lo" = nullif(min(coalesce("lo", '9999'), coalesce(NEW."day", '9999')), '9999'), "hi" = nullif(max(coalesce("hi", '0000'), coalesce(NEW."day", '0000')), '0000') WHERE "entity" = 'marketing_spend';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('marketing_spend', CASE WHEN min(coalesce(OLD."day", '9999'), coalesce(NEW."day", '9999')) = '9999' THEN '0000-00-00' ELSE substr(min(coalesce(OLD."day", '9999'), coalesce(NEW."day", '9999')), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'marketing_spend'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
CREATE TRIGGER "marketing_spend_data_version_delete" AFTER DELETE ON "marketing_spend" BEGIN
    UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'marketing_spend';
    INSERT INTO "data_changes" ("entity", "day", "version") VALUES ('marketing_spend', CASE WHEN coalesce(OLD."day", '9999') = '9999' THEN '0000-00-00' ELSE substr(coalesce(OLD."day", '9999'), 1, 10) END, (SELECT "version" FROM "data_versions" WHERE "entity" = 'marketing_spend'))
        ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
END;
