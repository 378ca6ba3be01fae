-- 条例 Art. 41: the department's answer now goes back to the credit office, which settles the case.
ALTER TYPE "ObjectionStatus" ADD VALUE 'answered';

-- CreateEnum
CREATE TYPE "ObjectionOutcome" AS ENUM ('corrected', 'upheld');

-- CreateEnum
CREATE TYPE "PauseReason" AS ENUM ('testing', 'inspection', 'quarantine', 'appraisal', 'expertReview');

-- AlterTable: rows that exist now were given the old 2 + 10 working-day dates; they are marked 'legacy' and the
-- case service recomputes their open due dates under Art. 41 the first time cases are read (docs/domain.md).
ALTER TABLE "objection" ADD COLUMN     "deadline_rule" VARCHAR(8) NOT NULL DEFAULT 'legacy',
ADD COLUMN     "department_outcome" "ObjectionOutcome",
ADD COLUMN     "paused_since" DATE,
ADD COLUMN     "settle_by" DATE,
ADD COLUMN     "settle_note" TEXT,
ADD COLUMN     "settle_user_id" INTEGER,
ADD COLUMN     "settled_at" TIMESTAMPTZ(3);
ALTER TABLE "objection" ALTER COLUMN "deadline_rule" SET DEFAULT 'art41';

-- AlterTable: 条例 Art. 42, a revoked decision leaves publication within 1 working day of the update.
ALTER TABLE "penalty" ADD COLUMN     "revocation_doc_no" VARCHAR(100),
ADD COLUMN     "revocation_due_by" DATE,
ADD COLUMN     "revocation_known_on" DATE,
ADD COLUMN     "revoked_on" DATE;
ALTER TABLE "permit" ADD COLUMN     "revocation_doc_no" VARCHAR(100),
ADD COLUMN     "revocation_due_by" DATE,
ADD COLUMN     "revocation_known_on" DATE,
ADD COLUMN     "revoked_on" DATE;

-- CreateTable
CREATE TABLE "objection_pause" (
    "id" SERIAL NOT NULL,
    "objection_id" INTEGER NOT NULL,
    "reason" "PauseReason" NOT NULL,
    "note" TEXT NOT NULL,
    "started_on" DATE NOT NULL,
    "started_by_id" INTEGER NOT NULL,
    "ended_on" DATE,
    "ended_by_id" INTEGER,
    "paused_workdays" INTEGER,

    CONSTRAINT "objection_pause_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "objection_pause_objection_id_idx" ON "objection_pause"("objection_id");

-- CreateIndex
CREATE INDEX "objection_deadline_rule_idx" ON "objection"("deadline_rule");

-- CreateIndex
CREATE INDEX "penalty_revocation_known_on_idx" ON "penalty"("revocation_known_on");

-- CreateIndex
CREATE INDEX "permit_revocation_known_on_idx" ON "permit"("revocation_known_on");

-- AddForeignKey
ALTER TABLE "objection_pause" ADD CONSTRAINT "objection_pause_objection_id_fkey" FOREIGN KEY ("objection_id") REFERENCES "objection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
