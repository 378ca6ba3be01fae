-- Hand-written: the name grams of legal_person stop being a generated column. Computing them in SQL costs
-- ~50 µs per new subject (most of an import's subject creation), so bulk writers (publicity/writer.ts,
-- seed:scale) now send them, computed by nameGrams() in src/features/search/grams.ts, which matches
-- xx_name_grams() exactly (tests/integration/name-grams.test.ts). Any other writer (Prisma's create/upsert,
-- a name correction) leaves them out and the trigger fills them with xx_name_grams(), so a name can never be
-- stored without its grams. DROP EXPRESSION keeps the stored values and does not rewrite the table; the GIN
-- index and the statistics target stay as they are. Listed in HAND_WRITTEN of tests/integration/migrations.test.ts.
ALTER TABLE "legal_person" ALTER COLUMN "name_grams" DROP EXPRESSION;

CREATE FUNCTION xx_legal_person_name_grams() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.name_grams IS NULL THEN
      NEW.name_grams := xx_name_grams(NEW.name);
    END IF;
  ELSIF NEW.name IS DISTINCT FROM OLD.name AND NEW.name_grams IS NOT DISTINCT FROM OLD.name_grams THEN
    -- The name changed and the writer did not send new grams.
    NEW.name_grams := xx_name_grams(NEW.name);
  ELSIF NEW.name_grams IS NULL THEN
    NEW.name_grams := xx_name_grams(NEW.name);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "legal_person_name_grams" BEFORE INSERT OR UPDATE OF "name", "name_grams" ON "legal_person"
  FOR EACH ROW EXECUTE FUNCTION xx_legal_person_name_grams();
