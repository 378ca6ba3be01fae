-- Hand-written (Prisma cannot declare partial indexes or INCLUDE). Listed in HAND_WRITTEN of
-- tests/integration/migrations.test.ts; the plans and their costs are in docs/performance.md#双公示-lists.

-- A name fragment held by a few thousand record names is listed name first (PublicityRepository.publicPage): per name,
-- its public records newest first, merged. These partial covering indexes give each name's records in list order with
-- every filter column at hand, so the per-name scans are index-only and stop at offset + page size. They replace the
-- (subject_name, is_public[, public_until]) indexes, which also serve the per-name public counts
-- (SearchRepository.publicRecordCount) and were larger for being over every record.
DROP INDEX "penalty_subject_name_is_public_public_until_idx";
DROP INDEX "permit_subject_name_is_public_idx";
CREATE INDEX "penalty_public_name_idx" ON "penalty" ("subject_name", "decision_date" DESC, "id" DESC)
  INCLUDE ("public_until", "department_id", "county_id", "subject_category") WHERE "is_public";
CREATE INDEX "permit_public_name_idx" ON "permit" ("subject_name", "decision_date" DESC, "id" DESC)
  INCLUDE ("department_id", "county_id", "subject_category") WHERE "is_public";

-- Every other list walks one of the partial date indexes (…_public_list_indexes) newest first until it has offset +
-- page size matches, and the count until 1,001. The other filters (department, county, category, a common name
-- fragment by LIKE) were checked on the heap, a page read per record walked past; carried in the index they are
-- checked on the index entry and the walk stays index-only.
DROP INDEX "penalty_public_recent_idx";
DROP INDEX "penalty_public_dept_idx";
DROP INDEX "penalty_public_county_idx";
DROP INDEX "permit_public_recent_idx";
DROP INDEX "permit_public_dept_idx";
DROP INDEX "permit_public_county_idx";
CREATE INDEX "penalty_public_recent_idx" ON "penalty" ("decision_date" DESC, "id" DESC)
  INCLUDE ("public_until", "department_id", "county_id", "subject_category", "subject_name") WHERE "is_public";
CREATE INDEX "penalty_public_dept_idx" ON "penalty" ("department_id", "decision_date" DESC, "id" DESC)
  INCLUDE ("public_until", "county_id", "subject_category", "subject_name") WHERE "is_public";
CREATE INDEX "penalty_public_county_idx" ON "penalty" ("county_id", "decision_date" DESC, "id" DESC)
  INCLUDE ("public_until", "department_id", "subject_category", "subject_name") WHERE "is_public";
CREATE INDEX "permit_public_recent_idx" ON "permit" ("decision_date" DESC, "id" DESC)
  INCLUDE ("department_id", "county_id", "subject_category", "subject_name") WHERE "is_public";
CREATE INDEX "permit_public_dept_idx" ON "permit" ("department_id", "decision_date" DESC, "id" DESC)
  INCLUDE ("county_id", "subject_category", "subject_name") WHERE "is_public";
CREATE INDEX "permit_public_county_idx" ON "permit" ("county_id", "decision_date" DESC, "id" DESC)
  INCLUDE ("department_id", "subject_category", "subject_name") WHERE "is_public";

-- Statistics that match the data. With the default target PostgreSQL saw about half the distinct record names
-- (78k of 166k at 1.5M penalties; 93k of 336k at 5M) and so expected several times the records per name.
-- record_name's grams are estimated like legal_person.name_grams (…_name_grams_statistics). Department and county
-- go together (a county's departments report only its records): estimated as independent, a department within a
-- county looked several times rarer than it is, or a county's empty pairing with another county's department common.
ALTER TABLE "penalty" ALTER COLUMN "subject_name" SET STATISTICS 1000;
ALTER TABLE "permit" ALTER COLUMN "subject_name" SET STATISTICS 1000;
ALTER TABLE "record_name" ALTER COLUMN "grams" SET STATISTICS 5000;
CREATE STATISTICS "penalty_dept_county_stats" (dependencies, mcv) ON "department_id", "county_id" FROM "penalty";
CREATE STATISTICS "permit_dept_county_stats" (dependencies, mcv) ON "department_id", "county_id" FROM "permit";
ANALYZE "record_name";
ANALYZE "penalty";
ANALYZE "permit";
