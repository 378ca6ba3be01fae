-- CreateEnum
CREATE TYPE "FeedbackType" AS ENUM ('brokenLink', 'wrongContent', 'outdated', 'accessibility', 'other');

-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('open', 'processing', 'answered');

-- CreateTable
CREATE TABLE "site_feedback" (
    "id" SERIAL NOT NULL,
    "ref_no" VARCHAR(20) NOT NULL,
    "page_url" VARCHAR(500) NOT NULL,
    "problem_type" "FeedbackType" NOT NULL,
    "description" TEXT NOT NULL,
    "contact" VARCHAR(100),
    "status" "FeedbackStatus" NOT NULL DEFAULT 'open',
    "reply" TEXT,
    "replied_at" TIMESTAMPTZ(3),
    "replied_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "site_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "site_feedback_ref_no_key" ON "site_feedback"("ref_no");

-- CreateIndex
CREATE INDEX "site_feedback_status_created_at_idx" ON "site_feedback"("status", "created_at");
