-- Data versions (issue 18): every change to a record table bumps its entity's version in the same
-- transaction (a trigger), and notes the earliest date the changed record holds, before and after
-- the change, as a day. The KPI cache recomputes a period only when a change since its cached
-- version notes a day before the period's end. lo and hi bound every date value ever written to
-- the table, so that a later as-of cut can be seen to pass over no record.
CREATE TABLE "data_versions" (
    "entity" TEXT NOT NULL PRIMARY KEY,
    "version" BIGINT NOT NULL DEFAULT 0,
    "lo" TIMESTAMP(3),
    "hi" TIMESTAMP(3)
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
CREATE FUNCTION "owners_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'owners', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'owners', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows UNION ALL SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'owners' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'owners', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "owners_data_version_insert" AFTER INSERT ON "owners" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "owners_data_version"();
CREATE TRIGGER "owners_data_version_update" AFTER UPDATE ON "owners" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "owners_data_version"();
CREATE TRIGGER "owners_data_version_delete" AFTER DELETE ON "owners" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "owners_data_version"();

-- accounts: no date fields: any change counts as one before every period
CREATE FUNCTION "accounts_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'accounts', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'accounts', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows UNION ALL SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'accounts' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'accounts', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "accounts_data_version_insert" AFTER INSERT ON "accounts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "accounts_data_version"();
CREATE TRIGGER "accounts_data_version_update" AFTER UPDATE ON "accounts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "accounts_data_version"();
CREATE TRIGGER "accounts_data_version_delete" AFTER DELETE ON "accounts" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "accounts_data_version"();

-- customers: created_at
CREATE FUNCTION "customers_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("created_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("created_at") FROM new_rows)) WHERE "entity" = 'customers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'customers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "created_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("created_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("created_at") FROM new_rows)) WHERE "entity" = 'customers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'customers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "created_at" AS e FROM old_rows UNION ALL SELECT "created_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'customers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'customers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "created_at" AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "customers_data_version_insert" AFTER INSERT ON "customers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_data_version"();
CREATE TRIGGER "customers_data_version_update" AFTER UPDATE ON "customers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_data_version"();
CREATE TRIGGER "customers_data_version_delete" AFTER DELETE ON "customers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_data_version"();

-- products: no date fields: any change counts as one before every period
CREATE FUNCTION "products_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'products', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'products', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows UNION ALL SELECT NULL::timestamp(3) AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'products' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'products', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT NULL::timestamp(3) AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "products_data_version_insert" AFTER INSERT ON "products" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "products_data_version"();
CREATE TRIGGER "products_data_version_update" AFTER UPDATE ON "products" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "products_data_version"();
CREATE TRIGGER "products_data_version_delete" AFTER DELETE ON "products" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "products_data_version"();

-- deals: created_at, engaged_at, closed_at
CREATE FUNCTION "deals_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min(least("created_at", "engaged_at", "closed_at")) FROM new_rows)), "hi" = greatest("hi", (SELECT max(greatest("created_at", "engaged_at", "closed_at")) FROM new_rows)) WHERE "entity" = 'deals' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'deals', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("created_at", "engaged_at", "closed_at") AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min(least("created_at", "engaged_at", "closed_at")) FROM new_rows)), "hi" = greatest("hi", (SELECT max(greatest("created_at", "engaged_at", "closed_at")) FROM new_rows)) WHERE "entity" = 'deals' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'deals', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("created_at", "engaged_at", "closed_at") AS e FROM old_rows UNION ALL SELECT least("created_at", "engaged_at", "closed_at") AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'deals' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'deals', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("created_at", "engaged_at", "closed_at") AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "deals_data_version_insert" AFTER INSERT ON "deals" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "deals_data_version"();
CREATE TRIGGER "deals_data_version_update" AFTER UPDATE ON "deals" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "deals_data_version"();
CREATE TRIGGER "deals_data_version_delete" AFTER DELETE ON "deals" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "deals_data_version"();

-- order_lines: ordered_at
CREATE FUNCTION "order_lines_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("ordered_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("ordered_at") FROM new_rows)) WHERE "entity" = 'order_lines' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'order_lines', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "ordered_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("ordered_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("ordered_at") FROM new_rows)) WHERE "entity" = 'order_lines' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'order_lines', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "ordered_at" AS e FROM old_rows UNION ALL SELECT "ordered_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'order_lines' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'order_lines', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "ordered_at" AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "order_lines_data_version_insert" AFTER INSERT ON "order_lines" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_lines_data_version"();
CREATE TRIGGER "order_lines_data_version_update" AFTER UPDATE ON "order_lines" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_lines_data_version"();
CREATE TRIGGER "order_lines_data_version_delete" AFTER DELETE ON "order_lines" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_lines_data_version"();

-- tickets: opened_at, first_response_at, resolved_at
CREATE FUNCTION "tickets_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min(least("opened_at", "first_response_at", "resolved_at")) FROM new_rows)), "hi" = greatest("hi", (SELECT max(greatest("opened_at", "first_response_at", "resolved_at")) FROM new_rows)) WHERE "entity" = 'tickets' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'tickets', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("opened_at", "first_response_at", "resolved_at") AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min(least("opened_at", "first_response_at", "resolved_at")) FROM new_rows)), "hi" = greatest("hi", (SELECT max(greatest("opened_at", "first_response_at", "resolved_at")) FROM new_rows)) WHERE "entity" = 'tickets' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'tickets', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("opened_at", "first_response_at", "resolved_at") AS e FROM old_rows UNION ALL SELECT least("opened_at", "first_response_at", "resolved_at") AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'tickets' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'tickets', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT least("opened_at", "first_response_at", "resolved_at") AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "tickets_data_version_insert" AFTER INSERT ON "tickets" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "tickets_data_version"();
CREATE TRIGGER "tickets_data_version_update" AFTER UPDATE ON "tickets" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "tickets_data_version"();
CREATE TRIGGER "tickets_data_version_delete" AFTER DELETE ON "tickets" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "tickets_data_version"();

-- survey_answers: answered_at
CREATE FUNCTION "survey_answers_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("answered_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("answered_at") FROM new_rows)) WHERE "entity" = 'survey_answers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'survey_answers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "answered_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("answered_at") FROM new_rows)), "hi" = greatest("hi", (SELECT max("answered_at") FROM new_rows)) WHERE "entity" = 'survey_answers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'survey_answers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "answered_at" AS e FROM old_rows UNION ALL SELECT "answered_at" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'survey_answers' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'survey_answers', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "answered_at" AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "survey_answers_data_version_insert" AFTER INSERT ON "survey_answers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "survey_answers_data_version"();
CREATE TRIGGER "survey_answers_data_version_update" AFTER UPDATE ON "survey_answers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "survey_answers_data_version"();
CREATE TRIGGER "survey_answers_data_version_delete" AFTER DELETE ON "survey_answers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "survey_answers_data_version"();

-- marketing_spend: day
CREATE FUNCTION "marketing_spend_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("day") FROM new_rows)), "hi" = greatest("hi", (SELECT max("day") FROM new_rows)) WHERE "entity" = 'marketing_spend' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'marketing_spend', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "day" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1, "lo" = least("lo", (SELECT min("day") FROM new_rows)), "hi" = greatest("hi", (SELECT max("day") FROM new_rows)) WHERE "entity" = 'marketing_spend' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'marketing_spend', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "day" AS e FROM old_rows UNION ALL SELECT "day" AS e FROM new_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    ELSE
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE "data_versions" SET "version" = "version" + 1 WHERE "entity" = 'marketing_spend' RETURNING "version" INTO v;
        INSERT INTO "data_changes" ("entity", "day", "version")
            SELECT 'marketing_spend', coalesce(to_char(e, 'YYYY-MM-DD'), '0000-00-00'), v FROM (SELECT "day" AS e FROM old_rows) r GROUP BY 2
            ON CONFLICT ("entity", "day") DO UPDATE SET "version" = excluded."version";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "marketing_spend_data_version_insert" AFTER INSERT ON "marketing_spend" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "marketing_spend_data_version"();
CREATE TRIGGER "marketing_spend_data_version_update" AFTER UPDATE ON "marketing_spend" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "marketing_spend_data_version"();
CREATE TRIGGER "marketing_spend_data_version_delete" AFTER DELETE ON "marketing_spend" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "marketing_spend_data_version"();
