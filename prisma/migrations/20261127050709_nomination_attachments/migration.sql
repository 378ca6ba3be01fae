-- CreateTable
CREATE TABLE "nomination_attachment" (
    "id" SERIAL NOT NULL,
    "nomination_id" INTEGER NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "mime" VARCHAR(64) NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "stored_as" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "nomination_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "nomination_attachment_nomination_id_idx" ON "nomination_attachment"("nomination_id");

-- AddForeignKey
ALTER TABLE "nomination_attachment" ADD CONSTRAINT "nomination_attachment_nomination_id_fkey" FOREIGN KEY ("nomination_id") REFERENCES "list_nomination"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

