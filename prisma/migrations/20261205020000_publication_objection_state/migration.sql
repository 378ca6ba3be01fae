-- Publication history keeps the objection state (issue #17, 条例 Art. 41): while an objection to a record or list
-- entry is being handled every public surface marks it 异议处理中, so the mark is part of what was shown. An
-- objection starting or ending closes the item's open interval and opens one whose payload carries
-- "objectionPending": true (or no longer does), with an `updated` event, in the objection's own transaction.

-- The payload with the 异议处理中 mark when an objection to the item is still being handled (the statuses of
-- OPEN_OBJECTION_STATUSES, src/domain/objections.ts). The key is left out when there is none, so the payloads already
-- stored stay equal and no item gets an event for nothing. Volatile (plpgsql): it sees objections committed since
-- the calling statement started, like publication_sync's own reads.
CREATE FUNCTION publication_objection_mark(kind "PublicationItemKind", item integer, payload jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  pending boolean;
BEGIN
  -- one branch per kind, so each probe uses its column's index
  IF kind = 'penalty' THEN
    pending := EXISTS (SELECT 1 FROM objection o WHERE o.penalty_id = item AND o.status IN ('submitted', 'accepted', 'answered'));
  ELSIF kind = 'permit' THEN
    pending := EXISTS (SELECT 1 FROM objection o WHERE o.permit_id = item AND o.status IN ('submitted', 'accepted', 'answered'));
  ELSIF kind = 'list_entry' THEN
    pending := EXISTS (SELECT 1 FROM objection o WHERE o.list_entry_id = item AND o.status IN ('submitted', 'accepted', 'answered'));
  ELSE
    pending := EXISTS (SELECT 1 FROM objection o WHERE o.commitment_id = item AND o.status IN ('submitted', 'accepted', 'answered'));
  END IF;
  RETURN CASE WHEN pending THEN payload || '{"objectionPending": true}'::jsonb ELSE payload END;
END
$$;

-- One function per kind that brings an item's history up to its row, so the item's own triggers and the objection
-- trigger cannot disagree about what was shown.
CREATE FUNCTION publication_penalty_sync(p penalty) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('penalty', p.id, p.legal_person_id,
    CASE WHEN p.subject_category = 'natural' THEN NULL ELSE p.uscc END,
    p.is_public AND p.archived_at IS NULL AND p.public_until >= publication_today(), NULL, p.public_until,
    -- still flagged public but past its last public day: the job has not run yet, the period has ended anyway
    CASE WHEN p.is_public AND p.archived_at IS NULL THEN 'expired'
         ELSE publication_stop_reason(p.archived_at, p.revoked_on, p.withdrawn_at, p.repaired_at, p.left_reason) END,
    p.withdraw_reason, publication_objection_mark('penalty', p.id, publication_payload_penalty(p)));
END
$$;

CREATE FUNCTION publication_permit_sync(p permit) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('permit', p.id, p.legal_person_id,
    CASE WHEN p.subject_category = 'natural' THEN NULL ELSE p.uscc END,
    p.is_public, NULL, NULL,
    publication_stop_reason(NULL, p.revoked_on, p.withdrawn_at, NULL, NULL),
    p.withdraw_reason, publication_objection_mark('permit', p.id, publication_payload_permit(p)));
END
$$;

CREATE OR REPLACE FUNCTION publication_list_entry_sync(e list_entry) RETURNS void LANGUAGE plpgsql AS $$
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
    COALESCE(e.exit_reason, e.withdraw_reason),
    publication_objection_mark('list_entry', e.id, publication_payload_list_entry(e, i.title)));
END
$$;

CREATE FUNCTION publication_commitment_sync(c commitment) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_sync('commitment', c.id, c.legal_person_id, publication_commitment_subject(c),
    c.disclosure = '可向社会公开'
      AND (c.breached_on IS NULL OR publication_commitment_until(c.breached_on) >= publication_today()),
    NULL, publication_commitment_until(c.breached_on),
    -- no longer 可向社会公开: withdrawn; still allowed but its 5 years of 违诺 disclosure are over: archived (Art. 19)
    CASE WHEN c.disclosure = '可向社会公开' THEN 'archived' ELSE 'withdrawn' END,
    NULL, publication_objection_mark('commitment', c.id, publication_payload_commitment(c)));
END
$$;

CREATE OR REPLACE FUNCTION publication_penalty_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_penalty_sync(NEW);
  -- archiving a record that had already left still tells mirrors it is gone for good
  IF TG_OP = 'UPDATE' AND OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL AND NOT OLD.is_public THEN
    PERFORM pg_advisory_xact_lock_shared(1717001);
    INSERT INTO publication_event (effective_on, item_kind, item_id, event, reason)
      VALUES (publication_today(), 'penalty', NEW.id, 'archived', NEW.archive_reason);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION publication_permit_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_permit_sync(NEW);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION publication_commitment_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publication_commitment_sync(NEW);
  RETURN NULL;
END
$$;

-- Re-reads the objection's item (the locked row: a correction committing meanwhile is waited for, not overwritten).
CREATE FUNCTION publication_objection_item_sync(pen integer, per integer, ent integer, com integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pen IS NOT NULL THEN
    PERFORM publication_penalty_sync(p) FROM penalty p WHERE p.id = pen FOR SHARE;
  END IF;
  IF per IS NOT NULL THEN
    PERFORM publication_permit_sync(p) FROM permit p WHERE p.id = per FOR SHARE;
  END IF;
  IF ent IS NOT NULL THEN
    PERFORM publication_list_entry_sync(e) FROM list_entry e WHERE e.id = ent FOR SHARE;
  END IF;
  IF com IS NOT NULL THEN
    PERFORM publication_commitment_sync(c) FROM commitment c WHERE c.id = com FOR SHARE;
  END IF;
END
$$;

-- An objection filed, settled, refused, moved to another record or deleted: its item's mark may have changed.
-- publication_sync writes nothing when the payload is unchanged (a step between two open statuses).
CREATE FUNCTION publication_objection_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM publication_objection_item_sync(OLD.penalty_id, OLD.permit_id, OLD.list_entry_id, OLD.commitment_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND ROW(NEW.penalty_id, NEW.permit_id, NEW.list_entry_id, NEW.commitment_id)
                                               IS DISTINCT FROM ROW(OLD.penalty_id, OLD.permit_id, OLD.list_entry_id, OLD.commitment_id)) THEN
    PERFORM publication_objection_item_sync(NEW.penalty_id, NEW.permit_id, NEW.list_entry_id, NEW.commitment_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER publication_objection AFTER INSERT OR DELETE OR UPDATE OF status, penalty_id, permit_id, list_entry_id, commitment_id
  ON objection FOR EACH ROW EXECUTE FUNCTION publication_objection_trigger();

-- Backfill: items with an objection being handled now are marked from today (when it was filed is not replayed).
DO $$
BEGIN
  PERFORM publication_penalty_sync(p) FROM penalty p
    WHERE EXISTS (SELECT 1 FROM objection o WHERE o.penalty_id = p.id AND o.status IN ('submitted', 'accepted', 'answered')) ORDER BY p.id;
  PERFORM publication_permit_sync(p) FROM permit p
    WHERE EXISTS (SELECT 1 FROM objection o WHERE o.permit_id = p.id AND o.status IN ('submitted', 'accepted', 'answered')) ORDER BY p.id;
  PERFORM publication_list_entry_sync(e) FROM list_entry e
    WHERE EXISTS (SELECT 1 FROM objection o WHERE o.list_entry_id = e.id AND o.status IN ('submitted', 'accepted', 'answered')) ORDER BY e.id;
  PERFORM publication_commitment_sync(c) FROM commitment c
    WHERE EXISTS (SELECT 1 FROM objection o WHERE o.commitment_id = c.id AND o.status IN ('submitted', 'accepted', 'answered')) ORDER BY c.id;
END
$$;
