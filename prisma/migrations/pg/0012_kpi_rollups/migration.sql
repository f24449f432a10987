-- KPI rollups (issue 18, part 2): an additive metric (count, sum, avg) summed per local day of the
-- calendar's time zone and per value of one breakdown dimension ('' for totals), so that a period
-- of whole days reads days, not records. key: a hash of what the values depend on (entity, time
-- field, filters, source, field, aggregate, dimension, time zone); v: the day's sum or count (NULL
-- when every value summed was NULL); n: how many values were not NULL (an avg is sum(v) / sum(n)).
CREATE TABLE "kpi_rollups" (
    "key" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "d" TEXT NOT NULL,
    "v" DOUBLE PRECISION,
    "n" BIGINT NOT NULL,
    PRIMARY KEY ("key", "day", "d")
);

-- One row per rollup: its definition (JSON), its entity, and the data versions of every table it
-- reads (JSON) when it was last brought up to date, so that a read knows what to refresh.
CREATE TABLE "kpi_rollup_keys" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "versions" TEXT NOT NULL,
    "built_at" TIMESTAMP(3) NOT NULL
);
