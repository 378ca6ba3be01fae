-- AlterTable
ALTER TABLE "import" ADD COLUMN     "unchanged_rows" INTEGER NOT NULL DEFAULT 0;

