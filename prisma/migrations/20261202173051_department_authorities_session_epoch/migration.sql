-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "session_epoch" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "department_authority" (
    "id" SERIAL NOT NULL,
    "department_id" INTEGER NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "aliases" VARCHAR(200)[] DEFAULT ARRAY[]::VARCHAR(200)[],
    "permits" BOOLEAN NOT NULL DEFAULT true,
    "penalties" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "department_authority_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "department_authority_department_id_uscc_key" ON "department_authority"("department_id", "uscc");

-- AddForeignKey
ALTER TABLE "department_authority" ADD CONSTRAINT "department_authority_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Every department already reporting keeps reporting in its own name: without this row its clerks could no longer
-- save anything. Other authorities it reports for are added by an administrator.
INSERT INTO "department_authority" ("department_id", "name", "uscc", "updated_at")
SELECT "id", "name", "uscc", CURRENT_TIMESTAMP FROM "department" WHERE "uscc" IS NOT NULL;
