-- CreateIndex
CREATE INDEX "permit_timeliness_idx" ON "permit"("decision_date", "department_id", "county_id", "report_workdays");

-- CreateIndex
CREATE INDEX "penalty_timeliness_idx" ON "penalty"("decision_date", "department_id", "county_id", "report_workdays");

