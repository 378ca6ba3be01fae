-- A profile section lists a subject's newest public records and counts them (ProfileRepository). Over
-- (legal_person_id) alone the section read every one of the subject's records from the heap, sorted them for the
-- top 20 and read them again for the count. In (legal_person_id, decision_date DESC, id DESC) order the page is the
-- index's first entries; with is_public (and public_until) in the index the count reads the index alone. The leading
-- column keeps serving the foreign key and every lookup by subject, so the single-column indexes go.
-- Plans and figures: docs/performance.md#profile-of-a-heavy-subject.

-- DropIndex
DROP INDEX "permit_legal_person_id_idx";

-- DropIndex
DROP INDEX "penalty_legal_person_id_idx";

-- CreateIndex
CREATE INDEX "permit_legal_person_recent_idx" ON "permit"("legal_person_id", "decision_date" DESC, "id" DESC, "is_public");

-- CreateIndex
CREATE INDEX "penalty_legal_person_recent_idx" ON "penalty"("legal_person_id", "decision_date" DESC, "id" DESC, "is_public", "public_until");

