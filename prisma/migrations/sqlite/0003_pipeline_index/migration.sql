-- DropIndex
DROP INDEX "deals_engaged_at_idx";

-- CreateIndex
CREATE INDEX "deals_engaged_at_closed_at_amount_product_id_owner_id_idx" ON "deals"("engaged_at", "closed_at", "amount", "product_id", "owner_id");

