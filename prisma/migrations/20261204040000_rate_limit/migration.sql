-- Rate-limit counters shared by every app instance (docs/deploy.md): one row per limiter and client key, holding
-- the hits of the current fixed window and when it resets. Expired rows are pruned by the store.
CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "reset_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "rate_limit_reset_at_idx" ON "rate_limit"("reset_at");
