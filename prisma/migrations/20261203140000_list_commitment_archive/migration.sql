-- 条例 Art. 19 for the other adverse records: list entries are archived by the nightly job once their disclosure
-- period has ended (docs/domain.md "Archiving after 5 years"), and a broken commitment records the day its breach
-- was established, from which its 5 years run.
ALTER TABLE "list_entry" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "commitment" ADD COLUMN "breached_on" DATE;

-- Existing breaches: the platform never stored the day; the last change of the row (when the fulfilment was
-- recorded, or the import that brought it) is the best it knows, as a Beijing day.
UPDATE "commitment"
   SET "breached_on" = ("updated_at" AT TIME ZONE 'Asia/Shanghai')::date
 WHERE "fulfilment" IN ('部分履行', '全部未履行');
