-- AlterTable
ALTER TABLE "commitment" ADD COLUMN     "import_id" INTEGER;

-- CreateTable
CREATE TABLE "article_attachment" (
    "id" SERIAL NOT NULL,
    "article_id" INTEGER NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "mime" VARCHAR(128) NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "stored_as" VARCHAR(255) NOT NULL,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "article_attachment_article_id_idx" ON "article_attachment"("article_id");

-- AddForeignKey
ALTER TABLE "article_attachment" ADD CONSTRAINT "article_attachment_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment" ADD CONSTRAINT "commitment_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "import"("id") ON DELETE SET NULL ON UPDATE CASCADE;

