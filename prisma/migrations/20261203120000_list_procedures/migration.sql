-- List procedures (河南省社会信用条例 Art. 28, 35, 37): the red-list notice period (公示期) on issues and entries,
-- the black-list prior notice (事前告知) on nominations, the provincial review request on entries, and the
-- responsible persons of an organisation on the black list.

-- CreateEnum
CREATE TYPE "ResponsibleRole" AS ENUM ('legalRepresentative', 'principal', 'actualController', 'other');

-- AlterTable
ALTER TABLE "list_issue" ADD COLUMN     "notice_days" INTEGER NOT NULL DEFAULT 7;

-- AlterTable
ALTER TABLE "list_entry" ADD COLUMN     "notice_ends_on" DATE,
ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdraw_reason" TEXT,
ADD COLUMN     "review_requested_on" DATE,
ADD COLUMN     "review_note" TEXT;

-- AlterTable
ALTER TABLE "list_nomination" ADD COLUMN     "prior_notice_no" VARCHAR(100),
ADD COLUMN     "prior_notice_measures" TEXT,
ADD COLUMN     "prior_notice_served_on" DATE,
ADD COLUMN     "objection_days" INTEGER,
ADD COLUMN     "objection_ends_on" DATE,
ADD COLUMN     "prior_notice_by_id" INTEGER;

-- CreateTable
CREATE TABLE "list_responsible_person" (
    "id" SERIAL NOT NULL,
    "nomination_id" INTEGER NOT NULL,
    "role" "ResponsibleRole" NOT NULL,
    "name" VARCHAR(100) NOT NULL,

    CONSTRAINT "list_responsible_person_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "list_responsible_person_nomination_id_idx" ON "list_responsible_person"("nomination_id");

-- CreateIndex
CREATE INDEX "list_entry_notice_ends_on_idx" ON "list_entry"("notice_ends_on");

-- AddForeignKey
ALTER TABLE "list_responsible_person" ADD CONSTRAINT "list_responsible_person_nomination_id_fkey" FOREIGN KEY ("nomination_id") REFERENCES "list_nomination"("id") ON DELETE CASCADE ON UPDATE CASCADE;
