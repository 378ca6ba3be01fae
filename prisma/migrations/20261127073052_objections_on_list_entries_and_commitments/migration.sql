-- AlterTable
ALTER TABLE "objection" ADD COLUMN     "commitment_id" INTEGER,
ADD COLUMN     "document_no" VARCHAR(100) NOT NULL DEFAULT '',
ADD COLUMN     "list_entry_id" INTEGER;

-- CreateIndex
CREATE INDEX "objection_list_entry_id_idx" ON "objection"("list_entry_id");

-- CreateIndex
CREATE INDEX "objection_commitment_id_idx" ON "objection"("commitment_id");

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_list_entry_id_fkey" FOREIGN KEY ("list_entry_id") REFERENCES "list_entry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "commitment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

