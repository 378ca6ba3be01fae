-- Bulk UPDATE cost of the publication-history triggers (docs/performance.md, "Set-based UPDATE triggers tried"):
-- 100,000 public penalties and 20,000 public commitments, each UPDATE timed with the history's trigger and with it
-- disabled, in one run. Truncates the publication history: a scratch database only.
-- psql -h 127.0.0.1 -U postgres -d <scratch database with every migration applied> -f scripts/bench-publication-update.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT set_config('bench.dept', (SELECT id FROM department WHERE name = '基准测试局')::text, false);
INSERT INTO department (name, level) SELECT '基准测试局', 'city' WHERE current_setting('bench.dept') = '';
SELECT set_config('bench.dept', (SELECT id FROM department WHERE name = '基准测试局')::text, false);
INSERT INTO app_user (username, display_name, role, department_id, password_hash, updated_at)
  SELECT 'bench', '基准', 'clerk', current_setting('bench.dept')::int, 'x', now() WHERE NOT EXISTS (SELECT 1 FROM app_user WHERE username = 'bench');
TRUNCATE publication_event, publication_interval;
DELETE FROM penalty WHERE department_id = current_setting('bench.dept')::int;
DELETE FROM commitment WHERE department_id = current_setting('bench.dept')::int;
INSERT INTO penalty (subject_name, subject_category, uscc, document_no, violation_type, facts, basis, content, decision_date,
                     valid_until, public_until, authority, authority_code, source_name, source_code, department_id,
                     is_public, published_at, updated_at, tier)
SELECT '新乡市基准样本' || g || '有限公司', 'legal', '91410700' || lpad(g::text, 10, '0'), '新基罚〔2026〕' || g || '号',
       '违反食品安全法', '经营超过保质期的食品', '《中华人民共和国食品安全法》第一百二十四条', '警告并处罚款', current_date - 10,
       current_date + 365, current_date + 365, '新乡市市场监督管理局', '11410700MB1234567X', '新乡市市场监督管理局',
       '11410700MB1234567X', current_setting('bench.dept')::int, true, now(), now(), 'general'
  FROM generate_series(1, 100000) g;
INSERT INTO commitment (code, promisor_name, promisor_category, promisor_code, commitment_type, matter, content, liability,
                        made_on, disclosure, department_id, created_by_id, updated_at)
SELECT 'JZ' || lpad(g::text, 12, '0'), '新乡市基准承诺' || g || '有限公司', 'legal', '91410700' || lpad(g::text, 10, '0'),
       '容缺受理型', '食品经营许可容缺受理', '30 日内补齐材料', '撤销许可', current_date - 10, '可向社会公开',
       current_setting('bench.dept')::int, (SELECT id FROM app_user WHERE username = 'bench'), now()
  FROM generate_series(1, 20000) g;
VACUUM ANALYZE penalty;
VACUUM ANALYZE commitment;
VACUUM ANALYZE publication_interval;
\timing on
-- an update that changes nothing public (the history only compares): no event
UPDATE penalty SET updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE penalty DISABLE TRIGGER publication_penalty;
UPDATE penalty SET updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE penalty ENABLE TRIGGER publication_penalty;
-- a correction of every penalty: 100,000 `updated` events
UPDATE penalty SET content = content || '（更正）', updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE penalty DISABLE TRIGGER publication_penalty;
UPDATE penalty SET content = content || '（更正）', updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE penalty ENABLE TRIGGER publication_penalty;
-- every commitment broken: 20,000 `updated` events
UPDATE commitment SET fulfilment = '全部未履行', breached_on = current_date - 1, updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE commitment DISABLE TRIGGER publication_commitment;
UPDATE commitment SET fulfilment = '全部未履行', breached_on = current_date - 2, updated_at = now() WHERE department_id = current_setting('bench.dept')::int;
ALTER TABLE commitment ENABLE TRIGGER publication_commitment;
\timing off
SELECT event, count(*) FROM publication_event GROUP BY event ORDER BY event;
