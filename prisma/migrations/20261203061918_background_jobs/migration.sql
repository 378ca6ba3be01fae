-- CreateEnum
CREATE TYPE "ExportFileStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'queued' BEFORE 'running';

-- AlterTable
ALTER TABLE "import" ADD COLUMN     "estimated_rows" INTEGER,
ADD COLUMN     "job_id" UUID;

-- CreateTable
CREATE TABLE "export_file" (
    "id" SERIAL NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "format" VARCHAR(8) NOT NULL,
    "since" VARCHAR(10) NOT NULL,
    "status" "ExportFileStatus" NOT NULL DEFAULT 'queued',
    "rows" INTEGER NOT NULL DEFAULT 0,
    "estimated_rows" INTEGER NOT NULL DEFAULT 0,
    "file_name" VARCHAR(255) NOT NULL,
    "path" TEXT,
    "bytes" BIGINT,
    "message" TEXT,
    "job_id" UUID,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "export_file_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "export_file_user_id_created_at_idx" ON "export_file"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "export_file_expires_at_idx" ON "export_file"("expires_at");

-- AddForeignKey
ALTER TABLE "export_file" ADD CONSTRAINT "export_file_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

