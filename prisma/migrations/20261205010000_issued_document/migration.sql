-- Issue #17: the register of signed 信用核查报告 and 事前告知书 downloads, for the QR check's 有效 / 已被更新 answer.
-- CreateTable
CREATE TABLE "issued_document" (
    "id" SERIAL NOT NULL,
    "doc_no" VARCHAR(32) NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "content_sm3" CHAR(64) NOT NULL,
    "key_id" VARCHAR(16) NOT NULL,
    "signed_sm3" CHAR(64) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "bytes" INTEGER NOT NULL,
    "subject_name" VARCHAR(200),
    "user_id" INTEGER,

    CONSTRAINT "issued_document_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "issued_document_doc_no_issued_at_idx" ON "issued_document"("doc_no", "issued_at");
