-- CreateTable
CREATE TABLE "customer_segments" (
    "customer_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "segment" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "as_of" DATETIME NOT NULL,
    CONSTRAINT "customer_segments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

