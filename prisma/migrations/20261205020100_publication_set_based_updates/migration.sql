-- Publication history (issue #17): the UPDATE triggers of penalty, permit, list_entry and commitment become
-- statement-level triggers over the transition table. One generic function (driven by TG_TABLE_NAME) turns the
-- changed rows into the state each item should have, and publication_sync_many brings every item's interval and
-- event in line in a few set-based statements, with the same intervals and events publication_sync wrote row by row
-- (a bulk correction or the nightly expiry job called it once per row; figures in docs/performance.md).

-- What an item's row says about its publication (publication_sync's arguments): `public_now` it is public (today
-- or from `from_day`); `sched_until` the last public day the rules already fix; `stop_reason` / `reason_text` why
-- it stopped when it is not public; `payload` its public fields, without the 异议处理中 mark (added by the sync).
CREATE TYPE publication_want AS (
  item integer, lp integer, subject_key text, public_now boolean, from_day date, sched_until date,
  stop_reason text, reason_text text, payload jsonb
);

-- One change to write: `action` open (no open interval yet), replace (the open interval has not been public on a
-- past day: rewritten in place), split (closed yesterday, a new one opened), stop (closed, tombstone).
CREATE TYPE publication_step AS (
  item integer, lp integer, subject_key text, action text, start_day date, sched_until date,
  stop_reason text, reason_text text, payload jsonb, cur_id bigint, cur_from date, cur_until date
);

CREATE FUNCTION publication_want_penalty(p penalty) RETURNS publication_want LANGUAGE sql STABLE AS $$
  SELECT ROW(p.id, p.legal_person_id, CASE WHEN p.subject_category = 'natural' THEN NULL ELSE p.uscc::text END,
    p.is_public AND p.archived_at IS NULL AND p.public_until >= publication_today(), NULL::date, p.public_until,
    -- still flagged public but past its last public day: the job has not run yet, the period has ended anyway
    CASE WHEN p.is_public AND p.archived_at IS NULL THEN 'expired'
         ELSE publication_stop_reason(p.archived_at, p.revoked_on, p.withdrawn_at, p.repaired_at, p.left_reason) END,
    p.withdraw_reason::text, publication_payload_penalty(p))::publication_want
$$;

CREATE FUNCTION publication_want_permit(p permit) RETURNS publication_want LANGUAGE sql STABLE AS $$
  SELECT ROW(p.id, p.legal_person_id, CASE WHEN p.subject_category = 'natural' THEN NULL ELSE p.uscc::text END,
    p.is_public, NULL::date, NULL::date, publication_stop_reason(NULL, p.revoked_on, p.withdrawn_at, NULL, NULL),
    p.withdraw_reason::text, publication_payload_permit(p))::publication_want
$$;

-- A list entry is public (in force) from the day after its 公示期, or its issue's publication day, until its 有效期至,
-- its exit, its withdrawal or its archiving. An objection still open at the end of the 公示期 is not followed here.
CREATE FUNCTION publication_want_list_entry(e list_entry) RETURNS publication_want LANGUAGE sql STABLE AS $$
  SELECT ROW(e.id, e.legal_person_id, CASE WHEN e.subject_category = 'natural' THEN NULL ELSE e.uscc::text END,
    i.published_at IS NOT NULL AND e.exited_at IS NULL AND e.withdrawn_at IS NULL AND e.archived_at IS NULL
      AND e.valid_until >= publication_today(),
    GREATEST((i.published_at AT TIME ZONE 'Asia/Shanghai')::date, e.notice_ends_on + 1), e.valid_until,
    CASE WHEN e.archived_at IS NOT NULL THEN 'archived' WHEN e.withdrawn_at IS NOT NULL THEN 'withdrawn'
         WHEN e.exited_at IS NOT NULL THEN 'exited' ELSE 'expired' END,
    COALESCE(e.exit_reason, e.withdraw_reason)::text, publication_payload_list_entry(e, i.title))::publication_want
    FROM (SELECT 1) one LEFT JOIN list_issue i ON i.id = e.issue_id
$$;

CREATE FUNCTION publication_want_commitment(c commitment) RETURNS publication_want LANGUAGE sql STABLE AS $$
  SELECT ROW(c.id, c.legal_person_id, publication_commitment_subject(c),
    c.disclosure = '可向社会公开'
      AND (c.breached_on IS NULL OR publication_commitment_until(c.breached_on) >= publication_today()),
    NULL::date, publication_commitment_until(c.breached_on),
    -- no longer 可向社会公开: withdrawn; still allowed but its 5 years of 违诺 disclosure are over: archived (Art. 19)
    CASE WHEN c.disclosure = '可向社会公开' THEN 'archived' ELSE 'withdrawn' END,
    NULL::text, publication_payload_commitment(c))::publication_want
$$;

-- publication_sync for many items of one kind at once. Per item, as before: public and no open interval → opened
-- (published / listed); public with other fields, another last day or an earlier start → the open interval is
-- rewritten when no past day showed it, else closed yesterday and a new one opened (updated); not public with an
-- open interval → closed at yesterday at the latest (never earlier than the days already shown), tombstone.
-- jit off: compiling these statements took longer than running them (seconds for 100,000 rows); work_mem: a bulk
-- correction's rows and payloads stay in memory instead of spilling to disk.
CREATE FUNCTION publication_sync_many(kind "PublicationItemKind", wants publication_want[]) RETURNS void LANGUAGE plpgsql
SET jit = off SET work_mem = '64MB' AS $$
DECLARE
  today date := publication_today();
  steps publication_step[];
BEGIN
  IF wants IS NULL OR cardinality(wants) = 0 THEN
    RETURN;
  END IF;
  SELECT array_agg(ROW(s.item, s.lp, s.subject_key, s.action, s.start_day, s.sched_until, s.stop_reason, s.reason_text,
                       s.payload, s.cur_id, s.cur_from, s.cur_until)::publication_step)
    INTO steps
    FROM (
      SELECT w.*, c.id AS cur_id, c.public_from AS cur_from, c.public_until AS cur_until,
             CASE WHEN w.public_now AND c.id IS NULL THEN 'open'
                  WHEN w.public_now AND (c.payload IS DISTINCT FROM w.payload OR c.public_until IS DISTINCT FROM w.sched_until
                                         OR c.public_from > w.start_day)
                    THEN CASE WHEN c.public_from >= today THEN 'replace' ELSE 'split' END
                  WHEN NOT w.public_now AND c.id IS NOT NULL THEN 'stop' END AS action
        FROM (
          SELECT w.item, w.lp, w.subject_key, COALESCE(w.public_now, false) AS public_now,
                 GREATEST(today, COALESCE(w.from_day, today)) AS start_day, w.sched_until, w.stop_reason, w.reason_text,
                 -- 异议处理中 (条例 Art. 41) while an objection is handled: OPEN_OBJECTION_STATUSES, src/domain/objections.ts
                 CASE WHEN COALESCE(w.public_now, false) AND CASE kind
                        WHEN 'penalty' THEN EXISTS (SELECT 1 FROM objection o WHERE o.penalty_id = w.item AND o.status IN ('submitted', 'accepted', 'answered'))
                        WHEN 'permit' THEN EXISTS (SELECT 1 FROM objection o WHERE o.permit_id = w.item AND o.status IN ('submitted', 'accepted', 'answered'))
                        WHEN 'list_entry' THEN EXISTS (SELECT 1 FROM objection o WHERE o.list_entry_id = w.item AND o.status IN ('submitted', 'accepted', 'answered'))
                        ELSE EXISTS (SELECT 1 FROM objection o WHERE o.commitment_id = w.item AND o.status IN ('submitted', 'accepted', 'answered')) END
                      THEN w.payload || '{"objectionPending": true}'::jsonb ELSE w.payload END AS payload
            FROM unnest(wants) w
        ) w
        -- publication_sync's FOR UPDATE of the item's open interval
        LEFT JOIN LATERAL (SELECT c.id, c.public_from, c.public_until, c.payload FROM publication_interval c
                            WHERE c.item_kind = kind AND c.item_id = w.item AND c.stop_reason IS NULL FOR UPDATE) c ON true
    ) s
   WHERE s.action IS NOT NULL;
  IF steps IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1717001);
  -- the open intervals first: a new open interval of the same item would collide with the partial unique index
  UPDATE publication_interval v
     SET payload = CASE WHEN s.action = 'replace' THEN s.payload ELSE v.payload END,
         public_from = CASE WHEN s.action = 'replace' THEN s.start_day ELSE v.public_from END,
         legal_person_id = CASE WHEN s.action = 'replace' THEN s.lp ELSE v.legal_person_id END,
         public_until = CASE WHEN s.action = 'replace' THEN s.sched_until ELSE LEAST(COALESCE(s.cur_until, today - 1), today - 1) END,
         stop_reason = CASE s.action WHEN 'replace' THEN NULL WHEN 'split' THEN 'updated' ELSE COALESCE(s.stop_reason, 'withdrawn') END
    FROM unnest(steps) s
   WHERE v.id = s.cur_id AND s.action IN ('replace', 'split', 'stop');
  INSERT INTO publication_interval (item_kind, item_id, legal_person_id, public_from, public_until, payload)
  SELECT kind, s.item, s.lp, s.start_day, s.sched_until, s.payload FROM unnest(steps) s WHERE s.action IN ('open', 'split');
  -- a tombstone carries the item, the event, the day and why; no personal data
  INSERT INTO publication_event (effective_on, item_kind, item_id, subject_key, event, reason, payload)
  SELECT CASE WHEN s.action = 'stop' THEN GREATEST(LEAST(COALESCE(s.cur_until, today - 1), today - 1) + 1, s.cur_from) ELSE s.start_day END,
         kind, s.item,
         CASE WHEN s.action <> 'stop' THEN s.subject_key END,
         CASE s.action WHEN 'open' THEN CASE WHEN kind = 'list_entry' THEN 'listed' ELSE 'published' END
                       WHEN 'stop' THEN COALESCE(s.stop_reason, 'withdrawn') ELSE 'updated' END,
         CASE WHEN s.action = 'stop' THEN s.reason_text END,
         CASE WHEN s.action <> 'stop' THEN s.payload END
    FROM unnest(steps) s ORDER BY s.item;
END
$$;

-- The UPDATE (and for list entries INSERT) statement trigger of every kind: the table's name is the item kind.
CREATE FUNCTION publication_rows_trigger() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  kind "PublicationItemKind" := TG_TABLE_NAME::"PublicationItemKind";
  wants publication_want[];
BEGIN
  EXECUTE format('SELECT array_agg(publication_want_%s(n)) FROM new_rows n', kind) INTO wants;
  PERFORM publication_sync_many(kind, wants);
  -- archiving a penalty that had already left still tells mirrors it is gone for good
  IF kind = 'penalty' AND TG_OP = 'UPDATE' THEN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE o.archived_at IS NULL AND n.archived_at IS NOT NULL AND NOT o.is_public) THEN
      PERFORM pg_advisory_xact_lock_shared(1717001);
      INSERT INTO publication_event (effective_on, item_kind, item_id, event, reason)
      SELECT publication_today(), 'penalty', n.id, 'archived', n.archive_reason
        FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE o.archived_at IS NULL AND n.archived_at IS NOT NULL AND NOT o.is_public
       ORDER BY n.id;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- One item's sync (the objection trigger, a list issue's publication) goes the same way as a bulk one.
CREATE OR REPLACE FUNCTION publication_penalty_sync(p penalty) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync_many('penalty', ARRAY[publication_want_penalty(p)]);
END
$$;

CREATE OR REPLACE FUNCTION publication_permit_sync(p permit) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync_many('permit', ARRAY[publication_want_permit(p)]);
END
$$;

CREATE OR REPLACE FUNCTION publication_list_entry_sync(e list_entry) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync_many('list_entry', ARRAY[publication_want_list_entry(e)]);
END
$$;

CREATE OR REPLACE FUNCTION publication_commitment_sync(c commitment) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync_many('commitment', ARRAY[publication_want_commitment(c)]);
END
$$;

-- Publishing an issue brings all its entries in at once.
CREATE OR REPLACE FUNCTION publication_list_issue_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync_many('list_entry',
    (SELECT array_agg(publication_want_list_entry(e)) FROM list_entry e WHERE e.issue_id = NEW.id));
  RETURN NULL;
END
$$;

DROP TRIGGER publication_penalty ON penalty;
DROP TRIGGER publication_permit ON permit;
DROP TRIGGER publication_list_entry ON list_entry;
DROP TRIGGER publication_commitment ON commitment;
DROP FUNCTION publication_penalty_trigger();
DROP FUNCTION publication_permit_trigger();
DROP FUNCTION publication_list_entry_trigger();
DROP FUNCTION publication_commitment_trigger();
DROP FUNCTION publication_objection_mark(kind "PublicationItemKind", item integer, payload jsonb);
DROP FUNCTION publication_sync(kind "PublicationItemKind", item integer, lp integer, subject_key text, public_now boolean,
  from_day date, sched_until date, stop_reason text, reason_text text, payload jsonb);

CREATE TRIGGER publication_penalty AFTER UPDATE ON penalty REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_rows_trigger();
CREATE TRIGGER publication_permit AFTER UPDATE ON permit REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_rows_trigger();
CREATE TRIGGER publication_commitment AFTER UPDATE ON commitment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_rows_trigger();
-- a trigger with a transition table has one event: INSERT and UPDATE of list entries are two
CREATE TRIGGER publication_list_entry_insert AFTER INSERT ON list_entry REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_rows_trigger();
CREATE TRIGGER publication_list_entry AFTER UPDATE ON list_entry REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION publication_rows_trigger();
