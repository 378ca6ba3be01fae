-- CreateEnum
CREATE TYPE "SeverityTier" AS ENUM ('minor', 'general', 'serious');

-- CreateEnum
CREATE TYPE "TierSource" AS ENUM ('rule', 'department');

-- CreateEnum
CREATE TYPE "TierRuleKind" AS ENUM ('simple', 'category', 'fine');

-- AlterTable
ALTER TABLE "penalty" ADD COLUMN     "left_publication_at" TIMESTAMPTZ(3),
ADD COLUMN     "left_reason" VARCHAR(20),
ADD COLUMN     "publicity_necessary" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "publicity_rule" VARCHAR(10) NOT NULL DEFAULT '2026',
ADD COLUMN     "tier" "SeverityTier" NOT NULL DEFAULT 'general',
ADD COLUMN     "tier_reason" TEXT,
ADD COLUMN     "tier_source" "TierSource" NOT NULL DEFAULT 'rule';

-- CreateTable
CREATE TABLE "tier_rule" (
    "id" SERIAL NOT NULL,
    "kind" "TierRuleKind" NOT NULL,
    "penalty_category" VARCHAR(50),
    "department_id" INTEGER,
    "min_fine_amount" DECIMAL(18,6),
    "tier" "SeverityTier" NOT NULL,
    "effective_from" DATE NOT NULL,
    "effective_to" DATE,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tier_rule_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "tier_rule" ADD CONSTRAINT "tier_rule_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written: the default tier rules (the same rows as DEFAULT_TIER_RULES in src/domain/publicity/tiers.ts; a
-- test compares them), in effect from 2026-04-01 when 《信用修复管理办法》 took effect.
INSERT INTO "tier_rule" ("kind", "penalty_category", "department_id", "min_fine_amount", "tier", "effective_from", "note") VALUES
  ('simple', NULL, NULL, NULL, 'minor', '2026-04-01', '适用简易程序的处罚'),
  ('category', '警告', NULL, NULL, 'minor', '2026-04-01', NULL),
  ('category', '通报批评', NULL, NULL, 'minor', '2026-04-01', NULL),
  ('category', '罚款', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '没收违法所得', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '没收非法财物', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '暂扣许可证件', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '降低资质等级', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '限制开展生产经营活动', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '责令停产停业', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '行政拘留', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '暂扣或者吊销许可证、暂扣或者吊销执照', NULL, NULL, 'general', '2026-04-01', NULL),
  ('category', '吊销许可证件', NULL, NULL, 'serious', '2026-04-01', NULL),
  ('category', '责令关闭', NULL, NULL, 'serious', '2026-04-01', NULL),
  ('category', '限制从业', NULL, NULL, 'serious', '2026-04-01', NULL),
  ('fine', NULL, NULL, 100, 'serious', '2026-04-01', '巨额罚款');

-- Hand-written: the tier of every stored penalty, by the same evaluation as defaultTier() — rules in effect on the
-- decision date (the first rules for older decisions); 简易程序 decides alone; otherwise the most severe matching
-- category or fine rule (a department's own fine thresholds replace the general ones); nothing matching: 一般.
UPDATE "penalty" p SET "tier" = t.tier, "tier_source" = 'rule', "tier_reason" = '按认定规则计算（规则启用时）'
  FROM (
    SELECT p2.id,
           COALESCE(
             CASE WHEN p2.simple_procedure THEN
               (SELECT r.tier FROM tier_rule r WHERE r.kind = 'simple'
                   AND r.effective_from <= greatest(p2.decision_date, DATE '2026-04-01')
                   AND (r.effective_to IS NULL OR r.effective_to >= greatest(p2.decision_date, DATE '2026-04-01'))
                 ORDER BY r.id LIMIT 1) END,
             (SELECT max(r.tier) FROM tier_rule r
               WHERE r.effective_from <= greatest(p2.decision_date, DATE '2026-04-01')
                 AND (r.effective_to IS NULL OR r.effective_to >= greatest(p2.decision_date, DATE '2026-04-01'))
                 AND ((r.kind = 'category' AND r.penalty_category = ANY (p2.penalty_categories))
                   OR (r.kind = 'fine' AND p2.fine_amount IS NOT NULL AND p2.fine_amount >= r.min_fine_amount
                       AND r.department_id IS NOT DISTINCT FROM (
                         CASE WHEN EXISTS (SELECT 1 FROM tier_rule o WHERE o.kind = 'fine' AND o.department_id = p2.department_id
                                             AND o.effective_from <= greatest(p2.decision_date, DATE '2026-04-01')
                                             AND (o.effective_to IS NULL OR o.effective_to >= greatest(p2.decision_date, DATE '2026-04-01')))
                              THEN p2.department_id END)))),
             'general') AS tier
      FROM "penalty" p2
  ) t
 WHERE t.id = p.id;

-- Hand-written: the publicity period of every penalty not ended by a repair (publicityPeriod() with clamp):
-- the tier's window from the decision date (轻微 not marked necessary: not published); for decisions before
-- 2026-04-01 the shorter of that and Order 58's period (CF_GSJZQ within 3 months–3 years, else 3 years), naming the
-- rule; never beyond 5 years (条例 Art. 19). PostgreSQL's date + interval 'n months' keeps to the month's end, as
-- addMonths() does.
WITH w AS (
  SELECT p.id, p.decision_date AS d, p.publicity_end_date AS req, p.tier,
         (p.decision_date + (CASE p.tier WHEN 'minor' THEN 0 WHEN 'general' THEN 3 ELSE 12 END) * interval '1 month')::date AS wmin,
         (p.decision_date + (CASE p.tier WHEN 'minor' THEN 3 WHEN 'general' THEN 12 ELSE 36 END) * interval '1 month')::date AS wmax,
         (p.decision_date + interval '3 months')::date AS omin,
         (p.decision_date + interval '36 months')::date AS omax
    FROM "penalty" p WHERE p.repaired_at IS NULL
), n AS (
  SELECT w.*,
         CASE WHEN w.tier = 'minor' THEN NULL ELSE least(greatest(COALESCE(w.req, w.wmax), w.wmin), w.wmax) END AS new_end,
         least(greatest(COALESCE(w.req, w.omax), w.omin), w.omax) AS old_end
    FROM w
), r AS (
  SELECT n.id, n.d,
         CASE WHEN n.new_end IS NULL THEN n.d
              WHEN n.d >= DATE '2026-04-01' OR n.new_end <= n.old_end THEN n.new_end
              ELSE n.old_end END AS until,
         CASE WHEN n.d < DATE '2026-04-01' AND n.new_end IS NOT NULL AND n.new_end > n.old_end THEN 'order58' ELSE '2026' END AS rule,
         n.new_end IS NULL AS unpublished
    FROM n
)
UPDATE "penalty" p
   SET "public_until" = least(r.until, (r.d + interval '60 months')::date),
       "publicity_rule" = r.rule,
       "is_public" = p.is_public AND NOT r.unpublished,
       "left_publication_at" = CASE WHEN p.is_public AND r.unpublished THEN now() END,
       "left_reason" = CASE WHEN p.is_public AND r.unpublished THEN 'minor' END
  FROM r
 WHERE r.id = p.id;
