-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CountyKind" AS ENUM ('district', 'city', 'county', 'zone');

-- CreateEnum
CREATE TYPE "DepartmentLevel" AS ENUM ('city', 'county');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('clerk', 'reviewer', 'admin');

-- CreateEnum
CREATE TYPE "SubjectType" AS ENUM ('organisation', 'soleTrader');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('active', 'revoked', 'cancelled', 'movedOut');

-- CreateEnum
CREATE TYPE "DocumentType" AS ENUM ('residentId', 'passport', 'hkMacauPermit', 'taiwanPermit', 'foreignerPr', 'other');

-- CreateTable
CREATE TABLE "county" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(6) NOT NULL,
    "name" VARCHAR(32) NOT NULL,
    "kind" "CountyKind" NOT NULL,
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "county_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "department" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "short_name" VARCHAR(32),
    "uscc" VARCHAR(18),
    "level" "DepartmentLevel" NOT NULL,
    "county_id" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "display_name" VARCHAR(64) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "department_id" INTEGER,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" INTEGER,
    "username" VARCHAR(64),
    "action" VARCHAR(64) NOT NULL,
    "target_type" VARCHAR(64),
    "target_id" VARCHAR(64),
    "ip" VARCHAR(64),
    "detail" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_person" (
    "id" SERIAL NOT NULL,
    "uscc" VARCHAR(18),
    "name" VARCHAR(200) NOT NULL,
    "legal_representative" VARCHAR(100),
    "subject_type" "SubjectType" NOT NULL,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'active',
    "address" VARCHAR(300),
    "established_on" DATE,
    "county_id" INTEGER,
    "org_code" VARCHAR(9),
    "reg_no" VARCHAR(15),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "legal_person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "natural_person" (
    "id" SERIAL NOT NULL,
    "doc_type" "DocumentType" NOT NULL,
    "doc_number" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "natural_person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSON NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "county_code_key" ON "county"("code");

-- CreateIndex
CREATE UNIQUE INDEX "county_name_key" ON "county"("name");

-- CreateIndex
CREATE UNIQUE INDEX "department_name_key" ON "department"("name");

-- CreateIndex
CREATE UNIQUE INDEX "department_uscc_key" ON "department"("uscc");

-- CreateIndex
CREATE INDEX "department_county_id_idx" ON "department"("county_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- CreateIndex
CREATE INDEX "app_user_department_id_idx" ON "app_user"("department_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_user_id_at_idx" ON "audit_log"("user_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "legal_person_uscc_key" ON "legal_person"("uscc");

-- CreateIndex
CREATE INDEX "legal_person_org_code_idx" ON "legal_person"("org_code");

-- CreateIndex
CREATE INDEX "legal_person_reg_no_idx" ON "legal_person"("reg_no");

-- CreateIndex
CREATE INDEX "legal_person_county_id_idx" ON "legal_person"("county_id");

-- CreateIndex
CREATE UNIQUE INDEX "natural_person_doc_type_doc_number_key" ON "natural_person"("doc_type", "doc_number");

-- CreateIndex
CREATE INDEX "IDX_session_expire" ON "session"("expire");

-- AddForeignKey
ALTER TABLE "department" ADD CONSTRAINT "department_county_id_fkey" FOREIGN KEY ("county_id") REFERENCES "county"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_person" ADD CONSTRAINT "legal_person_county_id_fkey" FOREIGN KEY ("county_id") REFERENCES "county"("id") ON DELETE SET NULL ON UPDATE CASCADE;

