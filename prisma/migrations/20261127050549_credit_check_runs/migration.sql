-- CreateTable
CREATE TABLE "credit_check_run" (
    "id" SERIAL NOT NULL,
    "department_id" INTEGER,
    "user_id" INTEGER NOT NULL,
    "purpose" VARCHAR(200),
    "codes" INTEGER NOT NULL,
    "found" INTEGER NOT NULL,
    "invalid" INTEGER NOT NULL,
    "flagged" INTEGER NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_check_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credit_check_run_created_at_idx" ON "credit_check_run"("created_at");

-- AddForeignKey
ALTER TABLE "credit_check_run" ADD CONSTRAINT "credit_check_run_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

