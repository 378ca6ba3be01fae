-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('pending', 'implemented', 'notImplemented', 'stopped');

-- CreateTable
CREATE TABLE "measure" (
    "id" SERIAL NOT NULL,
    "list_type" "ListType" NOT NULL,
    "department_id" INTEGER NOT NULL,
    "legal_basis" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "measure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measure_task" (
    "id" SERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "measure_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'pending',
    "feedback_date" DATE,
    "reason" TEXT,
    "detail" TEXT,
    "feedback_by_id" INTEGER,
    "feedback_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "measure_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "department_id" INTEGER NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(12) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "measure_list_type_active_idx" ON "measure"("list_type", "active");

-- CreateIndex
CREATE INDEX "measure_task_department_id_status_idx" ON "measure_task"("department_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "measure_task_entry_id_measure_id_key" ON "measure_task"("entry_id", "measure_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_task" ADD CONSTRAINT "measure_task_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "list_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_task" ADD CONSTRAINT "measure_task_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_task" ADD CONSTRAINT "measure_task_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

