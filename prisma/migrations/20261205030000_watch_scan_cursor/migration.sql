-- Issue #17: the watch scan follows changes instead of recomputing every watched code (docs/watch-lists.md).

-- One row (id 1, the only id the code writes). Where the last scan stopped: the publication_event cursor, the time watermark for rows that carry no event
-- (subjects' base data, objections), the Beijing day (changes by time alone) and the catalogue it was computed under.
CREATE TABLE "watch_scan_state" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "event_cursor" BIGINT NOT NULL,
    "changed_since" TIMESTAMPTZ(3) NOT NULL,
    "day" DATE NOT NULL,
    "catalogue_hash" CHAR(32) NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "watch_scan_state_pkey" PRIMARY KEY ("id")
);

-- An objection opening or closing sets or clears 异议处理中 on a record, which writes no publication event.
ALTER TABLE "objection" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "objection" SET "updated_at" = GREATEST("submitted_at", "office_decided_at", "answered_at", "settled_at");
CREATE INDEX "objection_updated_at_idx" ON "objection"("updated_at");

-- The time of a change as the database sees it (the transaction's start), whatever path wrote the row (Prisma's
-- @updatedAt takes the client's clock and raw SQL writers set nothing): the scan's watermark is taken from the
-- oldest open transaction, which only holds when both come from the same clock.
CREATE FUNCTION watch_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- The scan asks which subjects changed since its watermark: a range of this index, however many subjects there are.
CREATE INDEX "legal_person_updated_at_idx" ON "legal_person"("updated_at");

CREATE TRIGGER objection_touch BEFORE UPDATE ON "objection"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION watch_touch_updated_at();
CREATE TRIGGER legal_person_touch BEFORE UPDATE ON "legal_person"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION watch_touch_updated_at();
