-- CreateEnum
CREATE TYPE "ArchiveStatus" AS ENUM ('pendingOffice', 'approved', 'refused');

-- CreateEnum
CREATE TYPE "ChallengeKind" AS ENUM ('review', 'litigation');

-- CreateEnum
CREATE TYPE "ChallengeOutcome" AS ENUM ('upheld', 'changed');

-- CreateEnum
CREATE TYPE "AccessChannel" AS ENUM ('portal', 'report', 'credit_check', 'api');

-- AlterTable
ALTER TABLE "penalty" ADD COLUMN     "archive_reason" VARCHAR(20),
ADD COLUMN     "archived_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "case_attachment" ADD COLUMN     "archive_id" INTEGER;

-- CreateTable
CREATE TABLE "archive_request" (
    "id" SERIAL NOT NULL,
    "case_no" VARCHAR(24) NOT NULL,
    "penalty_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "subject_code" VARCHAR(64) NOT NULL,
    "applicant_name" VARCHAR(50) NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "email" VARCHAR(100),
    "reason" TEXT NOT NULL,
    "status" "ArchiveStatus" NOT NULL DEFAULT 'pendingOffice',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "office_by" DATE,
    "office_at" TIMESTAMPTZ(3),
    "office_user_id" INTEGER,
    "office_note" TEXT,
    "refusal_reason" TEXT,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "archive_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "penalty_challenge" (
    "id" SERIAL NOT NULL,
    "penalty_id" INTEGER NOT NULL,
    "kind" "ChallengeKind" NOT NULL,
    "filed_on" DATE NOT NULL,
    "outcome" "ChallengeOutcome",
    "decided_on" DATE,
    "note" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "penalty_challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subject_access_day" (
    "legal_person_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "channel" "AccessChannel" NOT NULL,
    "actor_key" VARCHAR(20) NOT NULL,
    "actor_name" VARCHAR(200) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "subject_access_day_pkey" PRIMARY KEY ("legal_person_id","day","channel","actor_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "archive_request_case_no_key" ON "archive_request"("case_no");

-- CreateIndex
CREATE INDEX "archive_request_penalty_id_idx" ON "archive_request"("penalty_id");

-- CreateIndex
CREATE INDEX "archive_request_status_submitted_at_idx" ON "archive_request"("status", "submitted_at");

-- CreateIndex
CREATE INDEX "archive_request_department_id_status_idx" ON "archive_request"("department_id", "status");

-- CreateIndex
CREATE INDEX "penalty_challenge_penalty_id_idx" ON "penalty_challenge"("penalty_id");

-- CreateIndex
CREATE INDEX "case_attachment_archive_id_idx" ON "case_attachment"("archive_id");

-- AddForeignKey
ALTER TABLE "case_attachment" ADD CONSTRAINT "case_attachment_archive_id_fkey" FOREIGN KEY ("archive_id") REFERENCES "archive_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_request" ADD CONSTRAINT "archive_request_penalty_id_fkey" FOREIGN KEY ("penalty_id") REFERENCES "penalty"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_request" ADD CONSTRAINT "archive_request_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty_challenge" ADD CONSTRAINT "penalty_challenge_penalty_id_fkey" FOREIGN KEY ("penalty_id") REFERENCES "penalty"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subject_access_day" ADD CONSTRAINT "subject_access_day_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: the nightly scans (RecordWriter.expirePublicity / archiveExpired) read only the rows they may change.
-- Expiry: published penalties by their last public day; the index holds only rows still public, so it shrinks as
-- records leave. Archive (条例 Art. 19): penalties not yet archived by decision date; the scan reads the oldest
-- range only (decision_date < today − 5 years). Plans in docs/domain.md.
CREATE INDEX "penalty_expiry_due_idx" ON "penalty" ("public_until") WHERE "is_public";
CREATE INDEX "penalty_archive_due_idx" ON "penalty" ("decision_date") WHERE "archived_at" IS NULL;
