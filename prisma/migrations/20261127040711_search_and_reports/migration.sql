-- CreateTable
CREATE TABLE "credit_report" (
    "id" SERIAL NOT NULL,
    "report_no" VARCHAR(32) NOT NULL,
    "legal_person_id" INTEGER NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "subject_name" VARCHAR(200) NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sha256" CHAR(64) NOT NULL,
    "bytes" INTEGER NOT NULL,
    "ip" VARCHAR(64),

    CONSTRAINT "credit_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_report_report_no_key" ON "credit_report"("report_no");

-- CreateIndex
CREATE INDEX "credit_report_issued_at_idx" ON "credit_report"("issued_at");

-- CreateIndex
CREATE INDEX "credit_report_legal_person_id_issued_at_idx" ON "credit_report"("legal_person_id", "issued_at");

-- AddForeignKey
ALTER TABLE "credit_report" ADD CONSTRAINT "credit_report_legal_person_id_fkey" FOREIGN KEY ("legal_person_id") REFERENCES "legal_person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (Prisma's schema language has no generated columns): name search for terms of any length.
-- pg_trgm cannot index 1–2 character Chinese terms, so every name carries its single characters and
-- character bigrams; a search asks for all bigrams of the term (or its one character) through a GIN index
-- and rechecks the exact substring. Listed in HAND_WRITTEN of tests/integration/migrations.test.ts.
CREATE FUNCTION xx_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
    FROM (SELECT substr(lower(name), i, 1) AS g FROM generate_series(1, length(name)) AS i
          UNION
          SELECT substr(lower(name), i, 2) FROM generate_series(1, length(name) - 1) AS i) AS grams
$$;

ALTER TABLE "legal_person" ADD COLUMN "name_grams" text[] GENERATED ALWAYS AS (xx_name_grams("name")) STORED;
CREATE INDEX "legal_person_name_grams_idx" ON "legal_person" USING gin ("name_grams");
