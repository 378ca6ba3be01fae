-- Publication history of 信用承诺 (issue #17): the same intervals and feed events as penalties, permits and list
-- entries, written by triggers in the writing transaction. A commitment is public while its 公开类型 is
-- 可向社会公开, and a broken one (违诺) only until 5 years after its breach was established (条例 Art. 19, the rule of
-- src/platform/database/commitment-disclosure.ts). That end is stored as the interval's public_until and the
-- payload's publicityEndDate, so "public on D" and a mirror are right although no job writes when the 5 years end.

-- The last public day of a commitment: none while it is not broken; publicCommitmentSql's bound when it is.
CREATE FUNCTION publication_commitment_until(breached date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT (breached + interval '60 months')::date
$$;

-- The public fields as /commitments/:id shows them; 承诺人代码 of a natural person masked like maskIdNumber.
CREATE FUNCTION publication_payload_commitment(c commitment) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'code', c.code, 'promisorName', c.promisor_name, 'promisorCategory', c.promisor_category,
    'promisorCode', CASE WHEN c.promisor_category = 'natural' THEN publication_mask(c.promisor_code) ELSE c.promisor_code END,
    'commitmentType', c.commitment_type, 'matter', c.matter, 'content', c.content, 'liability', c.liability,
    'madeOn', c.made_on, 'validUntil', c.valid_until, 'fulfilment', c.fulfilment,
    'unfulfilledContent', c.unfulfilled_content, 'liabilityPursued', c.liability_pursued,
    'department', (SELECT d.name FROM department d WHERE d.id = c.department_id),
    'publicityEndDate', publication_commitment_until(c.breached_on)))
$$;

-- The feed's subject key: the USCC of an organisation or 个体工商户 (a natural person's number never leaves).
CREATE FUNCTION publication_commitment_subject(c commitment) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN c.promisor_category <> 'natural' AND length(c.promisor_code) = 18 THEN c.promisor_code END
$$;

-- Every change of a commitment (fulfilment and breach, 公开类型, a correction by SQL or a future form) row by row.
CREATE FUNCTION publication_commitment_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('commitment', NEW.id, NEW.legal_person_id, publication_commitment_subject(NEW),
    NEW.disclosure = '可向社会公开'
      AND (NEW.breached_on IS NULL OR publication_commitment_until(NEW.breached_on) >= publication_today()),
    NULL, publication_commitment_until(NEW.breached_on),
    -- no longer 可向社会公开: withdrawn; still allowed but its 5 years of 违诺 disclosure are over: archived (Art. 19)
    CASE WHEN NEW.disclosure = '可向社会公开' THEN 'archived' ELSE 'withdrawn' END,
    NULL, publication_payload_commitment(NEW));
  RETURN NULL;
END
$$;

-- New commitments arrive by the thousand (imports): one set-based statement per INSERT statement.
CREATE FUNCTION publication_commitment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := publication_today();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.disclosure = '可向社会公开'
                   AND (n.breached_on IS NULL OR publication_commitment_until(n.breached_on) >= today)) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1717001);
  WITH pub AS MATERIALIZED (
    SELECT n.id, n.legal_person_id, publication_commitment_subject(n) AS subject_key,
           publication_commitment_until(n.breached_on) AS public_until, publication_payload_commitment(n) AS payload
      FROM new_rows n
     WHERE n.disclosure = '可向社会公开' AND (n.breached_on IS NULL OR publication_commitment_until(n.breached_on) >= today)
  ), iv AS (
    INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
    SELECT 'commitment', id, legal_person_id, today, public_until, payload FROM pub
  )
  INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, payload)
  SELECT today, 'commitment', id, subject_key, 'published', payload FROM pub ORDER BY id;
  RETURN NULL;
END
$$;

-- Backfill: a commitment 可向社会公开 has been public since the day it was recorded, until its 5 years of 违诺
-- disclosure ended. A commitment not public today leaves no history (whether it ever was is not known).
INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, stop_reason, payload)
SELECT 'commitment', c.id, c.legal_person_id,
       LEAST((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, COALESCE(publication_commitment_until(c.breached_on), 'infinity')),
       publication_commitment_until(c.breached_on),
       CASE WHEN publication_commitment_until(c.breached_on) < (now() AT TIME ZONE 'Asia/Shanghai')::date THEN 'archived' END,
       publication_payload_commitment(c)
  FROM commitment c WHERE c.disclosure = '可向社会公开';

INSERT INTO publication_event (occurred_at, effective_on, item_kind, item_id, subject_key, event, reason, payload)
SELECT x.occurred_at, x.effective_on, 'commitment', x.item_id, x.subject_key, x.event, NULL, x.payload FROM (
  SELECT c.created_at AS occurred_at, v.public_from AS effective_on, v.item_id, publication_commitment_subject(c) AS subject_key,
         'published' AS event, v.payload, 0 AS ord
    FROM publication_interval v JOIN commitment c ON c.id = v.item_id WHERE v.item_kind = 'commitment'
  UNION ALL
  SELECT (v.public_until + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', v.public_until + 1, v.item_id, NULL, v.stop_reason, NULL, 1
    FROM publication_interval v WHERE v.item_kind = 'commitment' AND v.stop_reason IS NOT NULL
) x ORDER BY x.occurred_at, x.ord, x.item_id;

CREATE TRIGGER publication_commitment_insert AFTER INSERT ON commitment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_commitment_insert();
CREATE TRIGGER publication_commitment AFTER UPDATE ON commitment FOR EACH ROW EXECUTE FUNCTION publication_commitment_trigger();
