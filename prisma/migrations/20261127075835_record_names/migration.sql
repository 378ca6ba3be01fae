-- CreateTable
CREATE TABLE "record_name" (
    "name" VARCHAR(200) NOT NULL,
    "grams" TEXT[],

    CONSTRAINT "record_name_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "record_name_grams_idx" ON "record_name" USING GIN ("grams");

-- CreateIndex
CREATE INDEX "permit_subject_name_is_public_idx" ON "permit"("subject_name", "is_public");

-- CreateIndex
CREATE INDEX "penalty_subject_name_is_public_public_until_idx" ON "penalty"("subject_name", "is_public", "public_until");


-- Data: the names of the records already stored (the writers keep it up to date from here on).
INSERT INTO "record_name" ("name", "grams")
SELECT n, xx_name_grams(n) FROM (SELECT "subject_name" AS n FROM "permit" UNION SELECT "subject_name" FROM "penalty") t
ON CONFLICT DO NOTHING;
