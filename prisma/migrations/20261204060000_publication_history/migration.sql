-- Publication history (issue #17): when each record and list entry became public, when and why it stopped, kept as
-- data. publication_interval answers "what was public on day D" (the as-of credit check); publication_event is the
-- public changes feed (its id is the feed cursor). Both are written by triggers, in the same transaction as the
-- change of publicity, so no writer, job or case effect (imports, corrections, revocations, repairs, the expiry and
-- archive jobs, list publication and exits) can change what is public without leaving its trace.

CREATE TYPE "PublicationItemKind" AS ENUM ('penalty', 'permit', 'list_entry', 'commitment');

CREATE TABLE "publication_interval" (
    "id" BIGSERIAL NOT NULL,
    "item_kind" "PublicationItemKind" NOT NULL,
    "item_id" INTEGER NOT NULL,
    "legal_person_id" INTEGER,
    "public_from" DATE NOT NULL,
    "public_until" DATE,
    "stop_reason" VARCHAR(20),
    "payload" JSONB NOT NULL,

    CONSTRAINT "publication_interval_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "publication_event" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "effective_on" DATE NOT NULL,
    "item_kind" "PublicationItemKind" NOT NULL,
    "item_id" INTEGER NOT NULL,
    "subject_key" VARCHAR(18),
    "event" VARCHAR(20) NOT NULL,
    "reason" TEXT,
    "payload" JSONB,

    CONSTRAINT "publication_event_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "publication_interval_open_key" ON "publication_interval"("item_kind", "item_id") WHERE "stop_reason" IS NULL;
CREATE INDEX "publication_interval_item_kind_item_id_idx" ON "publication_interval"("item_kind", "item_id");
CREATE INDEX "publication_interval_legal_person_id_item_kind_idx" ON "publication_interval"("legal_person_id", "item_kind");
CREATE INDEX "publication_event_item_kind_item_id_idx" ON "publication_event"("item_kind", "item_id");

-- The Beijing day a change takes effect: the statement's day in Beijing, or app.publication_day when a replay or a
-- test sets it for its transaction (SET LOCAL).
CREATE FUNCTION publication_today() RETURNS date LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('app.publication_day', true), '')::date,
                  (statement_timestamp() AT TIME ZONE 'Asia/Shanghai')::date)
$$;

-- maskIdNumber of src/domain/identifiers.ts: the first 6 and last 4 characters.
CREATE FUNCTION publication_mask(doc text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN doc IS NULL OR doc = '' THEN NULL
              WHEN length(doc) >= 11 THEN left(doc, 6) || repeat('*', length(doc) - 10) || right(doc, 4)
              WHEN length(doc) >= 3 THEN left(doc, 1) || repeat('*', length(doc) - 2) || right(doc, 1)
              ELSE repeat('*', length(doc)) END
$$;

-- The public fields of a record as the public pages show them (src/domain/publicity/fields.ts without the private
-- 法定代表人证件 fields; 证件号码 masked; a penalty's 公示截止期 is the day it leaves publication as applied).
CREATE FUNCTION publication_payload_penalty(p penalty) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'subjectName', p.subject_name, 'subjectCategory', p.subject_category, 'uscc', p.uscc, 'regNo', p.reg_no,
    'orgCode', p.org_code, 'taxRegNo', p.tax_reg_no, 'institutionCertNo', p.institution_cert_no,
    'socialOrgCertNo', p.social_org_cert_no, 'legalRepresentative', p.legal_representative, 'docType', p.doc_type,
    'docNumber', publication_mask(p.doc_number), 'documentNo', p.document_no, 'violationType', p.violation_type,
    'facts', p.facts, 'basis', p.basis, 'penaltyCategories', to_jsonb(p.penalty_categories), 'content', p.content,
    'fineAmount', trim_scale(p.fine_amount)::text, 'confiscatedAmount', trim_scale(p.confiscated_amount)::text,
    'licenceAffected', p.licence_affected, 'decisionDate', p.decision_date, 'validUntil', p.valid_until,
    'publicityEndDate', p.public_until, 'authority', p.authority, 'authorityCode', p.authority_code,
    'sourceName', p.source_name, 'sourceCode', p.source_code, 'remark', p.remark, 'tier', p.tier))
$$;

CREATE FUNCTION publication_payload_permit(p permit) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'subjectName', p.subject_name, 'subjectCategory', p.subject_category, 'uscc', p.uscc, 'regNo', p.reg_no,
    'orgCode', p.org_code, 'taxRegNo', p.tax_reg_no, 'institutionCertNo', p.institution_cert_no,
    'socialOrgCertNo', p.social_org_cert_no, 'legalRepresentative', p.legal_representative, 'docType', p.doc_type,
    'docNumber', publication_mask(p.doc_number), 'documentName', p.document_name, 'documentNo', p.document_no,
    'permitCategory', p.permit_category, 'certificateName', p.certificate_name, 'permitNo', p.permit_no,
    'decisionDate', p.decision_date, 'validFrom', p.valid_from, 'validTo', p.valid_to, 'content', p.content,
    'authority', p.authority, 'authorityCode', p.authority_code, 'permitState', p.permit_state,
    'sourceName', p.source_name, 'sourceCode', p.source_code, 'remark', p.remark))
$$;

CREATE FUNCTION publication_payload_list_entry(e list_entry, issue_title text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'listType', e.list_type, 'issue', issue_title, 'subjectName', e.subject_name, 'subjectCategory', e.subject_category,
    'uscc', e.uscc, 'docNumber', publication_mask(e.doc_number), 'basisDocNo', e.basis_doc_no,
    'basisAuthority', e.basis_authority, 'basisDate', e.basis_date, 'validUntil', e.valid_until, 'reason', e.reason,
    'department', e.department))
$$;

-- Brings an item's history up to its current state. `public_now`: the item is public (today or from `from_day`);
-- `sched_until`: the last public day the rules already fix (a penalty's period, an entry's 有效期至), so "public on
-- D" is right for days past it before the nightly job has run; `stop_reason`: why it stopped when it is not public.
CREATE FUNCTION publication_sync(
  kind "PublicationItemKind", item integer, lp integer, subject_key text, public_now boolean, from_day date,
  sched_until date, stop_reason text, reason_text text, payload jsonb
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  today date := publication_today();
  cur publication_interval%ROWTYPE;
  until_day date;
  start_day date := GREATEST(today, COALESCE(from_day, today));
BEGIN
  SELECT * INTO cur FROM publication_interval WHERE item_kind = kind AND item_id = item AND publication_interval.stop_reason IS NULL FOR UPDATE;
  IF public_now THEN
    IF cur.id IS NULL THEN
      PERFORM pg_advisory_xact_lock_shared(1717001);
      INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
        VALUES (kind, item, lp, start_day, sched_until, payload);
      INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, payload)
        VALUES (start_day, kind, item, subject_key, CASE WHEN kind = 'list_entry' THEN 'listed' ELSE 'published' END, payload);
    ELSIF cur.payload IS DISTINCT FROM payload OR cur.public_until IS DISTINCT FROM sched_until OR cur.public_from > start_day THEN
      PERFORM pg_advisory_xact_lock_shared(1717001);
      IF cur.public_from >= today THEN
        -- not yet public on any past day: the day's last state is what that day showed
        UPDATE publication_interval SET payload = publication_sync.payload, public_until = sched_until,
               public_from = start_day, legal_person_id = lp WHERE id = cur.id;
      ELSE
        UPDATE publication_interval SET public_until = LEAST(COALESCE(cur.public_until, today - 1), today - 1),
               stop_reason = 'updated' WHERE id = cur.id;
        INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
          VALUES (kind, item, lp, start_day, sched_until, payload);
      END IF;
      INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, payload)
        VALUES (start_day, kind, item, subject_key, 'updated', payload);
    END IF;
  ELSIF cur.id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock_shared(1717001);
    -- Never earlier than what the days before today already showed: a correction that moves the period's end into
    -- the past does not unpublish days that were shown (a repair's or the job's end is already before today).
    until_day := LEAST(COALESCE(cur.public_until, today - 1), today - 1);
    UPDATE publication_interval SET public_until = until_day, stop_reason = COALESCE(publication_sync.stop_reason, 'withdrawn')
      WHERE id = cur.id;
    -- a tombstone: the item, the event, the day and why; no personal data
    INSERT INTO publication_event (effective_on, item_kind, item_id, event, reason)
      VALUES (GREATEST(until_day + 1, cur.public_from), kind, item, COALESCE(publication_sync.stop_reason, 'withdrawn'), reason_text);
  END IF;
END
$$;

CREATE FUNCTION publication_stop_reason(archived timestamptz, revoked date, withdrawn timestamptz, repaired timestamptz, left_reason text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN archived IS NOT NULL THEN 'archived' WHEN revoked IS NOT NULL THEN 'revoked'
              WHEN withdrawn IS NOT NULL THEN 'withdrawn' WHEN repaired IS NOT NULL THEN 'repaired'
              WHEN left_reason = 'expired' THEN 'expired' WHEN left_reason = 'repaired' THEN 'repaired'
              WHEN left_reason IS NOT NULL THEN 'unpublished' ELSE 'unpublished' END
$$;

CREATE FUNCTION publication_penalty_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('penalty', NEW.id, NEW.legal_person_id,
    CASE WHEN NEW.subject_category = 'natural' THEN NULL ELSE NEW.uscc END,
    NEW.is_public AND NEW.archived_at IS NULL AND NEW.public_until >= publication_today(), NULL, NEW.public_until,
    -- still flagged public but past its last public day: the job has not run yet, the period has ended anyway
    CASE WHEN NEW.is_public AND NEW.archived_at IS NULL THEN 'expired'
         ELSE publication_stop_reason(NEW.archived_at, NEW.revoked_on, NEW.withdrawn_at, NEW.repaired_at, NEW.left_reason) END,
    NEW.withdraw_reason, publication_payload_penalty(NEW));
  -- archiving a record that had already left still tells mirrors it is gone for good
  IF TG_OP = 'UPDATE' AND OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL AND NOT OLD.is_public THEN
    PERFORM pg_advisory_xact_lock_shared(1717001);
    INSERT INTO publication_event (effective_on, item_kind, item_id, event, reason)
      VALUES (publication_today(), 'penalty', NEW.id, 'archived', NEW.archive_reason);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION publication_permit_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('permit', NEW.id, NEW.legal_person_id,
    CASE WHEN NEW.subject_category = 'natural' THEN NULL ELSE NEW.uscc END,
    NEW.is_public, NULL, NULL,
    publication_stop_reason(NULL, NEW.revoked_on, NEW.withdrawn_at, NULL, NULL),
    NEW.withdraw_reason, publication_payload_permit(NEW));
  RETURN NULL;
END
$$;

-- A list entry is public (in force) from the day after its 公示期, or its issue's publication day, until its 有效期至,
-- its exit, its withdrawal or its archiving. An objection still open at the end of the 公示期 is not followed here.
CREATE FUNCTION publication_list_entry_sync(e list_entry) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  i list_issue%ROWTYPE;
BEGIN
  SELECT * INTO i FROM list_issue WHERE id = e.issue_id;
  PERFORM publication_sync('list_entry', e.id, e.legal_person_id,
    CASE WHEN e.subject_category = 'natural' THEN NULL ELSE e.uscc END,
    i.published_at IS NOT NULL AND e.exited_at IS NULL AND e.withdrawn_at IS NULL AND e.archived_at IS NULL
      AND e.valid_until >= publication_today(),
    GREATEST((i.published_at AT TIME ZONE 'Asia/Shanghai')::date, e.notice_ends_on + 1), e.valid_until,
    CASE WHEN e.archived_at IS NOT NULL THEN 'archived' WHEN e.withdrawn_at IS NOT NULL THEN 'withdrawn'
         WHEN e.exited_at IS NOT NULL THEN 'exited' ELSE 'expired' END,
    COALESCE(e.exit_reason, e.withdraw_reason), publication_payload_list_entry(e, i.title));
END
$$;

CREATE FUNCTION publication_list_entry_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_list_entry_sync(NEW);
  RETURN NULL;
END
$$;

CREATE FUNCTION publication_list_issue_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e list_entry%ROWTYPE;
BEGIN
  FOR e IN SELECT * FROM list_entry WHERE issue_id = NEW.id LOOP
    PERFORM publication_list_entry_sync(e);
  END LOOP;
  RETURN NULL;
END
$$;

-- Backfill from the columns the records already have, oldest change first, so the demo data and existing databases
-- have a history. Intervals first, then events in the order the changes happened.
INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, stop_reason, payload)
SELECT 'penalty', p.id, p.legal_person_id, (COALESCE(p.published_at, p.reported_at) AT TIME ZONE 'Asia/Shanghai')::date,
       CASE WHEN p.is_public AND p.archived_at IS NULL THEN p.public_until
            ELSE LEAST(p.public_until, (COALESCE(p.withdrawn_at, p.repaired_at, p.left_publication_at, p.archived_at) AT TIME ZONE 'Asia/Shanghai')::date - 1) END,
       CASE WHEN p.is_public AND p.archived_at IS NULL THEN NULL
            ELSE publication_stop_reason(p.archived_at, p.revoked_on, p.withdrawn_at, p.repaired_at, p.left_reason) END,
       publication_payload_penalty(p)
  FROM penalty p WHERE p.published_at IS NOT NULL;

INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, stop_reason, payload)
SELECT 'permit', p.id, p.legal_person_id, (p.published_at AT TIME ZONE 'Asia/Shanghai')::date,
       CASE WHEN p.is_public THEN NULL ELSE (COALESCE(p.withdrawn_at, p.updated_at) AT TIME ZONE 'Asia/Shanghai')::date - 1 END,
       CASE WHEN p.is_public THEN NULL ELSE publication_stop_reason(NULL, p.revoked_on, p.withdrawn_at, NULL, NULL) END,
       publication_payload_permit(p)
  FROM permit p WHERE p.published_at IS NOT NULL;

INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, stop_reason, payload)
SELECT 'list_entry', e.id, e.legal_person_id,
       GREATEST((i.published_at AT TIME ZONE 'Asia/Shanghai')::date, e.notice_ends_on + 1),
       LEAST(e.valid_until, (COALESCE(e.exited_at, e.withdrawn_at, e.archived_at) AT TIME ZONE 'Asia/Shanghai')::date - 1),
       CASE WHEN e.archived_at IS NOT NULL THEN 'archived' WHEN e.withdrawn_at IS NOT NULL THEN 'withdrawn'
            WHEN e.exited_at IS NOT NULL THEN 'exited'
            WHEN e.valid_until < (now() AT TIME ZONE 'Asia/Shanghai')::date THEN 'expired' END,
       publication_payload_list_entry(e, i.title)
  FROM list_entry e JOIN list_issue i ON i.id = e.issue_id WHERE i.published_at IS NOT NULL;

INSERT INTO publication_event (occurred_at, effective_on, item_kind, item_id, subject_key, event, reason, payload)
SELECT x.occurred_at, x.effective_on, x.item_kind, x.item_id, x.subject_key, x.event, x.reason, x.payload FROM (
  SELECT GREATEST(v.public_from::timestamp AT TIME ZONE 'Asia/Shanghai', COALESCE(p.published_at, pm.published_at, i.published_at)) AS occurred_at,
         v.public_from AS effective_on, v.item_kind, v.item_id,
         CASE WHEN v.payload->>'subjectCategory' = 'natural' THEN NULL ELSE v.payload->>'uscc' END AS subject_key,
         CASE WHEN v.item_kind = 'list_entry' THEN 'listed' ELSE 'published' END AS event, NULL AS reason, v.payload, 0 AS ord
    FROM publication_interval v
    LEFT JOIN penalty p ON v.item_kind = 'penalty' AND p.id = v.item_id
    LEFT JOIN permit pm ON v.item_kind = 'permit' AND pm.id = v.item_id
    LEFT JOIN list_entry e ON v.item_kind = 'list_entry' AND e.id = v.item_id
    LEFT JOIN list_issue i ON i.id = e.issue_id
  UNION ALL
  SELECT (v.public_until + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', GREATEST(v.public_until + 1, v.public_from), v.item_kind, v.item_id,
         NULL, v.stop_reason, COALESCE(p.withdraw_reason, pm.withdraw_reason, e.exit_reason, e.withdraw_reason), NULL, 1
    FROM publication_interval v
    LEFT JOIN penalty p ON v.item_kind = 'penalty' AND p.id = v.item_id
    LEFT JOIN permit pm ON v.item_kind = 'permit' AND pm.id = v.item_id
    LEFT JOIN list_entry e ON v.item_kind = 'list_entry' AND e.id = v.item_id
   WHERE v.stop_reason IS NOT NULL
) x ORDER BY x.occurred_at, x.ord, x.item_kind, x.item_id;

-- New records arrive by the thousand (imports): one set-based statement per INSERT statement, not a function call per
-- row. Updates (corrections, withdrawals, jobs) go row by row through publication_sync.
CREATE FUNCTION publication_penalty_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := publication_today();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.is_public AND n.archived_at IS NULL AND n.public_until >= today) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1717001);
  WITH pub AS MATERIALIZED (
    SELECT n.id, n.legal_person_id, CASE WHEN n.subject_category = 'natural' THEN NULL ELSE n.uscc END AS subject_key,
           n.public_until, publication_payload_penalty(n) AS payload
      FROM new_rows n WHERE n.is_public AND n.archived_at IS NULL AND n.public_until >= today
  ), iv AS (
    INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
    SELECT 'penalty', id, legal_person_id, today, public_until, payload FROM pub
  )
  INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, payload)
  SELECT today, 'penalty', id, subject_key, 'published', payload FROM pub ORDER BY id;
  RETURN NULL;
END
$$;

CREATE FUNCTION publication_permit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := publication_today();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.is_public) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1717001);
  WITH pub AS MATERIALIZED (
    SELECT n.id, n.legal_person_id, CASE WHEN n.subject_category = 'natural' THEN NULL ELSE n.uscc END AS subject_key,
           publication_payload_permit(n) AS payload
      FROM new_rows n WHERE n.is_public
  ), iv AS (
    INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
    SELECT 'permit', id, legal_person_id, today, NULL, payload FROM pub
  )
  INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, payload)
  SELECT today, 'permit', id, subject_key, 'published', payload FROM pub ORDER BY id;
  RETURN NULL;
END
$$;

CREATE TRIGGER publication_penalty_insert AFTER INSERT ON penalty REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_penalty_insert();
CREATE TRIGGER publication_permit_insert AFTER INSERT ON permit REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_permit_insert();
CREATE TRIGGER publication_penalty AFTER UPDATE ON penalty FOR EACH ROW EXECUTE FUNCTION publication_penalty_trigger();
CREATE TRIGGER publication_permit AFTER UPDATE ON permit FOR EACH ROW EXECUTE FUNCTION publication_permit_trigger();
CREATE TRIGGER publication_list_entry AFTER INSERT OR UPDATE ON list_entry FOR EACH ROW EXECUTE FUNCTION publication_list_entry_trigger();
CREATE TRIGGER publication_list_issue AFTER UPDATE OF published_at ON list_issue FOR EACH ROW
  WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) EXECUTE FUNCTION publication_list_issue_trigger();
