-- CreateEnum
CREATE TYPE "SubjectCategory" AS ENUM ('legal', 'natural', 'soleTrader');

-- CreateEnum
CREATE TYPE "PublicityScope" AS ENUM ('public', 'government', 'authorised');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "permit" (
    "id" SERIAL NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "subject_category" "SubjectCategory" NOT NULL,
    "uscc" VARCHAR(18),
    "reg_no" VARCHAR(50),
    "org_code" VARCHAR(50),
    "tax_reg_no" VARCHAR(50),
    "institution_cert_no" VARCHAR(50),
    "social_org_cert_no" VARCHAR(50),
    "legal_representative" VARCHAR(50),
    "legal_rep_doc_type" "DocumentType",
    "legal_rep_doc_number" VARCHAR(64),
    "doc_type" "DocumentType",
    "doc_number" VARCHAR(64),
    "document_name" VARCHAR(64) NOT NULL,
    "document_no" VARCHAR(64) NOT NULL,
    "permit_category" VARCHAR(8) NOT NULL,
    "certificate_name" VARCHAR(64),
    "permit_no" VARCHAR(64),
    "decision_date" DATE NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "content" TEXT NOT NULL,
    "authority" VARCHAR(200) NOT NULL,
    "authority_code" VARCHAR(18) NOT NULL,
    "permit_state" VARCHAR(4) NOT NULL DEFAULT '有效',
    "source_name" VARCHAR(200) NOT NULL,
    "source_code" VARCHAR(18) NOT NULL,
    "remark" TEXT,
    "department_id" INTEGER NOT NULL,
    "county_id" INTEGER,
    "legal_person_id" INTEGER,
    "natural_person_id" INTEGER,
    "publicity_scope" "PublicityScope" NOT NULL DEFAULT 'public',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "import_id" INTEGER,
    "reported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report_workdays" INTEGER,
    "published_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdraw_reason" TEXT,
    "created_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "permit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "penalty" (
    "id" SERIAL NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "subject_category" "SubjectCategory" NOT NULL,
    "uscc" VARCHAR(18),
    "reg_no" VARCHAR(50),
    "org_code" VARCHAR(50),
    "tax_reg_no" VARCHAR(50),
    "institution_cert_no" VARCHAR(50),
    "social_org_cert_no" VARCHAR(50),
    "legal_representative" VARCHAR(50),
    "legal_rep_doc_type" "DocumentType",
    "legal_rep_doc_number" VARCHAR(64),
    "doc_type" "DocumentType",
    "doc_number" VARCHAR(64),
    "document_no" VARCHAR(64) NOT NULL,
    "violation_type" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "penalty_categories" TEXT[],
    "content" TEXT NOT NULL,
    "fine_amount" DECIMAL(18,6),
    "confiscated_amount" DECIMAL(18,6),
    "licence_affected" VARCHAR(200),
    "decision_date" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "publicity_end_date" DATE,
    "public_until" DATE NOT NULL,
    "authority" VARCHAR(200) NOT NULL,
    "authority_code" VARCHAR(18) NOT NULL,
    "source_name" VARCHAR(200) NOT NULL,
    "source_code" VARCHAR(18) NOT NULL,
    "remark" TEXT,
    "simple_procedure" BOOLEAN NOT NULL DEFAULT false,
    "department_id" INTEGER NOT NULL,
    "county_id" INTEGER,
    "legal_person_id" INTEGER,
    "natural_person_id" INTEGER,
    "publicity_scope" "PublicityScope" NOT NULL DEFAULT 'public',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "import_id" INTEGER,
    "reported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report_workdays" INTEGER,
    "published_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdraw_reason" TEXT,
    "created_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "penalty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import" (
    "id" SERIAL NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "file_bytes" INTEGER NOT NULL,
    "format" VARCHAR(8),
    "shape" VARCHAR(8),
    "status" "ImportStatus" NOT NULL DEFAULT 'running',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "inserted_rows" INTEGER NOT NULL DEFAULT 0,
    "updated_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "errors" JSONB,
    "department_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "permit_is_public_decision_date_id_idx" ON "permit"("is_public", "decision_date" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "permit_department_id_decision_date_idx" ON "permit"("department_id", "decision_date");

-- CreateIndex
CREATE INDEX "permit_county_id_decision_date_idx" ON "permit"("county_id", "decision_date");

-- CreateIndex
CREATE INDEX "permit_legal_person_id_idx" ON "permit"("legal_person_id");

-- CreateIndex
CREATE INDEX "permit_natural_person_id_idx" ON "permit"("natural_person_id");

-- CreateIndex
CREATE INDEX "permit_updated_at_idx" ON "permit"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "permit_authority_code_document_no_key" ON "permit"("authority_code", "document_no");

-- CreateIndex
CREATE INDEX "penalty_is_public_decision_date_id_idx" ON "penalty"("is_public", "decision_date" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "penalty_department_id_decision_date_idx" ON "penalty"("department_id", "decision_date");

-- CreateIndex
CREATE INDEX "penalty_county_id_decision_date_idx" ON "penalty"("county_id", "decision_date");

-- CreateIndex
CREATE INDEX "penalty_legal_person_id_idx" ON "penalty"("legal_person_id");

-- CreateIndex
CREATE INDEX "penalty_natural_person_id_idx" ON "penalty"("natural_person_id");

-- CreateIndex
CREATE INDEX "penalty_updated_at_idx" ON "penalty"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "penalty_authority_code_document_no_key" ON "penalty"("authority_code", "document_no");

-- CreateIndex
CREATE INDEX "import_department_id_started_at_idx" ON "import"("department_id", "started_at");

-- AddForeignKey
ALTER TABLE "permit" ADD CONSTRAINT "permit_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permit" ADD CONSTRAINT "permit_county_id_fkey" FOREIGN KEY ("county_id") REFERENCES "county"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permit" ADD CONSTRAINT "permit_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permit" ADD CONSTRAINT "permit_natural_person_id_fkey" FOREIGN KEY ("natural_person_id") REFERENCES "natural_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permit" ADD CONSTRAINT "permit_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "import"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_county_id_fkey" FOREIGN KEY ("county_id") REFERENCES "county"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_natural_person_id_fkey" FOREIGN KEY ("natural_person_id") REFERENCES "natural_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "import"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import" ADD CONSTRAINT "import_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import" ADD CONSTRAINT "import_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

