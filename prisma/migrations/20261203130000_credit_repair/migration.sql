-- Credit repair by the rules in force (《信用修复管理办法》, 条例 Art. 43): the minimum publicity period comes from the
-- record's severity tier; the credit office's repair_rule table keeps only what is still lawful, with effective dates.

-- AlterTable
ALTER TABLE "repair_rule" ADD COLUMN     "effective_from" DATE NOT NULL DEFAULT '2019-07-01',
ADD COLUMN     "effective_to" DATE;

-- AlterTable
ALTER TABLE "repair_request" ADD COLUMN     "tier" "SeverityTier",
ADD COLUMN     "effect_by" DATE,
ADD COLUMN     "effective_at" TIMESTAMPTZ(3),
ADD COLUMN     "lifted_entries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lifted_tasks" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "repair_request_commitment_id_idx" ON "repair_request"("commitment_id");

-- Hand-written. The sector minimums of NDRC Order 58 (1 year for 特种设备, 安全生产, 消防; 3 months otherwise) were law
-- from 2023-05-01 to 2026-03-31: they now serve only the 从旧兼从轻 comparison for decisions made in that time.
UPDATE "repair_rule" SET "effective_from" = '2023-05-01', "effective_to" = '2026-03-31' WHERE "repairable";
-- The bars of 《市场监督管理信用修复管理办法》 (2021) are other legal conditions and stay in effect until the office ends them.
UPDATE "repair_rule" SET "effective_from" = '2021-09-01' WHERE NOT "repairable";
-- Approved repairs so far took effect when they were approved.
UPDATE "repair_request" r SET "effect_by" = (r."decided_at" AT TIME ZONE 'Asia/Shanghai')::date, "effective_at" = r."decided_at",
       "tier" = p."tier"
  FROM "penalty" p WHERE p."id" = r."penalty_id" AND r."status" = 'approved';
