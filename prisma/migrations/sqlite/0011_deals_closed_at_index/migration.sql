-- CreateIndex
CREATE INDEX "deals_closed_at_idx" ON "deals"("closed_at");

