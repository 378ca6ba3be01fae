-- CreateEnum
CREATE TYPE "ListType" AS ENUM ('red', 'black');

-- CreateEnum
CREATE TYPE "NominationStatus" AS ENUM ('pending', 'accepted', 'rejected', 'listed');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('correction', 'exit');

-- CreateTable
CREATE TABLE "list_nomination" (
    "id" SERIAL NOT NULL,
    "list_type" "ListType" NOT NULL,
    "subject_category" "SubjectCategory" NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "uscc" VARCHAR(18),
    "doc_type" "DocumentType",
    "doc_number" VARCHAR(64),
    "legal_person_id" INTEGER,
    "natural_person_id" INTEGER,
    "basis_doc_no" VARCHAR(100) NOT NULL,
    "basis_authority" VARCHAR(200) NOT NULL,
    "basis_date" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "valid_until" DATE NOT NULL,
    "status" "NominationStatus" NOT NULL DEFAULT 'pending',
    "review_comment" TEXT,
    "reviewed_by_id" INTEGER,
    "reviewed_at" TIMESTAMPTZ(3),
    "department_id" INTEGER NOT NULL,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "list_nomination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "list_issue" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "serial_no" INTEGER NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "published_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "list_issue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "list_entry" (
    "id" SERIAL NOT NULL,
    "issue_id" INTEGER NOT NULL,
    "nomination_id" INTEGER NOT NULL,
    "list_type" "ListType" NOT NULL,
    "subject_category" "SubjectCategory" NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "uscc" VARCHAR(18),
    "doc_number" VARCHAR(64),
    "legal_person_id" INTEGER,
    "natural_person_id" INTEGER,
    "basis_doc_no" VARCHAR(100) NOT NULL,
    "basis_authority" VARCHAR(200) NOT NULL,
    "basis_date" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "valid_until" DATE NOT NULL,
    "department" VARCHAR(64) NOT NULL,
    "exited_at" TIMESTAMPTZ(3),
    "exit_reason" TEXT,

    CONSTRAINT "list_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "list_notice" (
    "id" SERIAL NOT NULL,
    "kind" "NoticeKind" NOT NULL,
    "issue_id" INTEGER NOT NULL,
    "entry_id" INTEGER,
    "text" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_by_id" INTEGER,

    CONSTRAINT "list_notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "list_nomination_status_created_at_idx" ON "list_nomination"("status", "created_at");

-- CreateIndex
CREATE INDEX "list_nomination_department_id_created_at_idx" ON "list_nomination"("department_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "list_issue_serial_no_key" ON "list_issue"("serial_no");

-- CreateIndex
CREATE UNIQUE INDEX "list_issue_year_quarter_key" ON "list_issue"("year", "quarter");

-- CreateIndex
CREATE UNIQUE INDEX "list_entry_nomination_id_key" ON "list_entry"("nomination_id");

-- CreateIndex
CREATE INDEX "list_entry_list_type_valid_until_idx" ON "list_entry"("list_type", "valid_until");

-- CreateIndex
CREATE INDEX "list_entry_legal_person_id_idx" ON "list_entry"("legal_person_id");

-- CreateIndex
CREATE INDEX "list_entry_natural_person_id_idx" ON "list_entry"("natural_person_id");

-- CreateIndex
CREATE INDEX "list_notice_issue_id_idx" ON "list_notice"("issue_id");

-- AddForeignKey
ALTER TABLE "list_nomination" ADD CONSTRAINT "list_nomination_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_nomination" ADD CONSTRAINT "list_nomination_natural_person_id_fkey" FOREIGN KEY ("natural_person_id") REFERENCES "natural_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_nomination" ADD CONSTRAINT "list_nomination_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_entry" ADD CONSTRAINT "list_entry_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "list_issue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_entry" ADD CONSTRAINT "list_entry_nomination_id_fkey" FOREIGN KEY ("nomination_id") REFERENCES "list_nomination"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_entry" ADD CONSTRAINT "list_entry_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_entry" ADD CONSTRAINT "list_entry_natural_person_id_fkey" FOREIGN KEY ("natural_person_id") REFERENCES "natural_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_notice" ADD CONSTRAINT "list_notice_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "list_issue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "list_notice" ADD CONSTRAINT "list_notice_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "list_entry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

