-- CreateTable
CREATE TABLE "commitment" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "promisor_name" VARCHAR(200) NOT NULL,
    "promisor_category" "SubjectCategory" NOT NULL,
    "promisor_code" VARCHAR(64) NOT NULL,
    "commitment_type" VARCHAR(16) NOT NULL,
    "matter" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "liability" TEXT NOT NULL,
    "made_on" DATE NOT NULL,
    "valid_until" DATE,
    "fulfilment" VARCHAR(8),
    "unfulfilled_content" TEXT,
    "liability_pursued" TEXT,
    "disclosure" VARCHAR(16) NOT NULL,
    "remark" TEXT,
    "department_id" INTEGER NOT NULL,
    "legal_person_id" INTEGER,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "commitment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "commitment_code_key" ON "commitment"("code");

-- CreateIndex
CREATE INDEX "commitment_disclosure_made_on_idx" ON "commitment"("disclosure", "made_on");

-- CreateIndex
CREATE INDEX "commitment_legal_person_id_idx" ON "commitment"("legal_person_id");

-- CreateIndex
CREATE INDEX "commitment_department_id_created_at_idx" ON "commitment"("department_id", "created_at");

-- AddForeignKey
ALTER TABLE "commitment" ADD CONSTRAINT "commitment_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment" ADD CONSTRAINT "commitment_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

