-- DropIndex
DROP INDEX "permit_is_public_decision_date_id_idx";

-- DropIndex
DROP INDEX "permit_natural_person_id_idx";

-- DropIndex
DROP INDEX "penalty_is_public_decision_date_id_idx";

-- DropIndex
DROP INDEX "penalty_natural_person_id_idx";


-- Hand-written. The public columns read through the partial *_public_recent_idx indexes (…_public_list_indexes), so
-- the full (is_public, decision_date, id) ones only cost every write. Nine records in ten belong to legal persons:
-- the natural-person link is indexed only where it is set, which keeps those rows out of the index altogether.
CREATE INDEX "permit_natural_person_idx" ON "permit" ("natural_person_id") WHERE "natural_person_id" IS NOT NULL;
CREATE INDEX "penalty_natural_person_idx" ON "penalty" ("natural_person_id") WHERE "natural_person_id" IS NOT NULL;
