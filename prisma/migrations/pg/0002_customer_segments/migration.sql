-- CreateTable
CREATE TABLE "customer_segments" (
    "customer_id" INTEGER NOT NULL,
    "segment" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "as_of" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_segments_pkey" PRIMARY KEY ("customer_id")
);

-- AddForeignKey
ALTER TABLE "customer_segments" ADD CONSTRAINT "customer_segments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

