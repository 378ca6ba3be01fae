-- Hand-written (Prisma cannot declare partial indexes). A name fragment held by a few thousand record names is listed
-- name first (PublicityRepository.publicPage): per name, its public records newest first, merged. These partial covering
-- indexes give each name's records in list order with every filter column at hand, so the per-name scans are
-- index-only and stop at offset + page size; the plain subject-name index made PostgreSQL fetch every record of every
-- name, or walk the date index instead (docs/performance.md#双公示-lists). Listed in HAND_WRITTEN of
-- tests/integration/migrations.test.ts.
CREATE INDEX "penalty_public_name_idx" ON "penalty" ("subject_name", "decision_date" DESC, "id" DESC)
  INCLUDE ("public_until", "department_id", "county_id", "subject_category") WHERE "is_public";
CREATE INDEX "permit_public_name_idx" ON "permit" ("subject_name", "decision_date" DESC, "id" DESC)
  INCLUDE ("department_id", "county_id", "subject_category") WHERE "is_public";

-- Statistics that match the data. With the default target PostgreSQL saw about a quarter of the distinct record names
-- (93k of 336k at 5M records) and so expected four times the records per name; record_name's grams are estimated like
-- legal_person.name_grams (…_name_grams_statistics), where the default target made rare bigrams look common.
ALTER TABLE "penalty" ALTER COLUMN "subject_name" SET STATISTICS 1000;
ALTER TABLE "permit" ALTER COLUMN "subject_name" SET STATISTICS 1000;
ALTER TABLE "record_name" ALTER COLUMN "grams" SET STATISTICS 5000;
ANALYZE "record_name";
ANALYZE "penalty" ("subject_name");
ANALYZE "permit" ("subject_name");
