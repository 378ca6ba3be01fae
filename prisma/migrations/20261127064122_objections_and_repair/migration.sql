-- CreateEnum
CREATE TYPE "ObjectionStatus" AS ENUM ('submitted', 'refused', 'accepted', 'corrected', 'upheld');

-- CreateEnum
CREATE TYPE "RepairStatus" AS ENUM ('pendingDepartment', 'pendingOffice', 'approved', 'refused');

-- AlterTable
ALTER TABLE "penalty" ADD COLUMN     "repaired_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "objection" (
    "id" SERIAL NOT NULL,
    "case_no" VARCHAR(24) NOT NULL,
    "permit_id" INTEGER,
    "penalty_id" INTEGER,
    "department_id" INTEGER NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "subject_code" VARCHAR(64) NOT NULL,
    "applicant_name" VARCHAR(50) NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "email" VARCHAR(100),
    "reason" TEXT NOT NULL,
    "requested" TEXT,
    "status" "ObjectionStatus" NOT NULL DEFAULT 'submitted',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accept_by" DATE NOT NULL,
    "office_decided_at" TIMESTAMPTZ(3),
    "office_user_id" INTEGER,
    "office_note" TEXT,
    "answer_by" DATE,
    "answered_at" TIMESTAMPTZ(3),
    "answer_user_id" INTEGER,
    "answer" TEXT,

    CONSTRAINT "objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "repair_request" (
    "id" SERIAL NOT NULL,
    "case_no" VARCHAR(24) NOT NULL,
    "penalty_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "subject_code" VARCHAR(64) NOT NULL,
    "applicant_name" VARCHAR(50) NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "email" VARCHAR(100),
    "rectification" TEXT NOT NULL,
    "commitment_content" TEXT NOT NULL,
    "status" "RepairStatus" NOT NULL DEFAULT 'pendingDepartment',
    "min_months" INTEGER NOT NULL,
    "rules" TEXT NOT NULL,
    "eligible_from" DATE NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "department_by" DATE,
    "department_at" TIMESTAMPTZ(3),
    "department_user_id" INTEGER,
    "department_note" TEXT,
    "office_by" DATE,
    "office_at" TIMESTAMPTZ(3),
    "office_user_id" INTEGER,
    "office_note" TEXT,
    "refusal_reason" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "commitment_id" INTEGER,

    CONSTRAINT "repair_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "repair_rule" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "penalty_category" VARCHAR(64),
    "keyword" VARCHAR(64),
    "department_name" VARCHAR(64),
    "min_months" INTEGER NOT NULL,
    "repairable" BOOLEAN NOT NULL DEFAULT true,
    "basis" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "repair_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_attachment" (
    "id" SERIAL NOT NULL,
    "objection_id" INTEGER,
    "repair_id" INTEGER,
    "file_name" VARCHAR(255) NOT NULL,
    "mime" VARCHAR(64) NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "stored_as" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "objection_case_no_key" ON "objection"("case_no");

-- CreateIndex
CREATE INDEX "objection_permit_id_idx" ON "objection"("permit_id");

-- CreateIndex
CREATE INDEX "objection_penalty_id_idx" ON "objection"("penalty_id");

-- CreateIndex
CREATE INDEX "objection_status_submitted_at_idx" ON "objection"("status", "submitted_at");

-- CreateIndex
CREATE INDEX "objection_department_id_status_idx" ON "objection"("department_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "repair_request_case_no_key" ON "repair_request"("case_no");

-- CreateIndex
CREATE INDEX "repair_request_penalty_id_idx" ON "repair_request"("penalty_id");

-- CreateIndex
CREATE INDEX "repair_request_status_submitted_at_idx" ON "repair_request"("status", "submitted_at");

-- CreateIndex
CREATE INDEX "repair_request_department_id_status_idx" ON "repair_request"("department_id", "status");

-- CreateIndex
CREATE INDEX "case_attachment_objection_id_idx" ON "case_attachment"("objection_id");

-- CreateIndex
CREATE INDEX "case_attachment_repair_id_idx" ON "case_attachment"("repair_id");

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_permit_id_fkey" FOREIGN KEY ("permit_id") REFERENCES "permit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_penalty_id_fkey" FOREIGN KEY ("penalty_id") REFERENCES "penalty"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "repair_request" ADD CONSTRAINT "repair_request_penalty_id_fkey" FOREIGN KEY ("penalty_id") REFERENCES "penalty"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "repair_request" ADD CONSTRAINT "repair_request_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_attachment" ADD CONSTRAINT "case_attachment_objection_id_fkey" FOREIGN KEY ("objection_id") REFERENCES "objection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_attachment" ADD CONSTRAINT "case_attachment_repair_id_fkey" FOREIGN KEY ("repair_id") REFERENCES "repair_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Default minimum publicity periods before 信用修复 (NDRC Order 58, in force 2023-05-01) and the market-supervision
-- refusal of revoked licences. Data, not schema: the credit office edits these at /admin/repair-rules.
INSERT INTO "repair_rule" ("name", "penalty_category", "keyword", "department_name", "min_months", "repairable", "basis", "updated_at") VALUES
  ('一般行政处罚', NULL, NULL, NULL, 3, true, '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）：行政处罚信息最短公示期为三个月', now()),
  ('特种设备领域', NULL, '特种设备', NULL, 12, true, '国家发展改革委令第58号：涉及特种设备领域的行政处罚信息最短公示期为一年', now()),
  ('安全生产领域', NULL, '安全生产', NULL, 12, true, '国家发展改革委令第58号：涉及安全生产领域的行政处罚信息最短公示期为一年', now()),
  ('安全生产领域（应急管理部门）', NULL, NULL, '应急管理', 12, true, '国家发展改革委令第58号：涉及安全生产领域的行政处罚信息最短公示期为一年', now()),
  ('消防领域', NULL, '消防', NULL, 12, true, '国家发展改革委令第58号：涉及消防领域的行政处罚信息最短公示期为一年', now()),
  ('市场监管：吊销营业执照', NULL, '吊销营业执照', '市场监督管理', 0, false, '《市场监督管理信用修复管理办法》：受到吊销营业执照行政处罚的，不予提前停止公示', now()),
  ('市场监管：吊销许可证件', '吊销许可证件', NULL, '市场监督管理', 0, false, '《市场监督管理信用修复管理办法》：受到吊销许可证件行政处罚的，不予提前停止公示', now());
