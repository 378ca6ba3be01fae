-- 关注名单 (issue #17): watch lists, snapshots of watched subjects' public views, notices with their evidence, API keys' webhooks and deliveries.
-- CreateTable
CREATE TABLE "watch_list" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "department_id" INTEGER,
    "api_key_id" INTEGER,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watch_list_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watch_list_item" (
    "list_id" INTEGER NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watch_list_item_pkey" PRIMARY KEY ("list_id","uscc")
);

-- CreateTable
CREATE TABLE "watch_snapshot" (
    "uscc" CHAR(18) NOT NULL,
    "content" TEXT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "watch_snapshot_pkey" PRIMARY KEY ("uscc")
);

-- CreateTable
CREATE TABLE "watch_evidence" (
    "hash" CHAR(64) NOT NULL,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watch_evidence_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "watch_notice" (
    "id" SERIAL NOT NULL,
    "list_id" INTEGER NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "subject_name" TEXT,
    "types" TEXT[],
    "changes" JSONB NOT NULL,
    "evidence_hash" CHAR(64) NOT NULL,
    "previous_hash" CHAR(64),
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "watch_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_webhook" (
    "api_key_id" INTEGER NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_webhook_pkey" PRIMARY KEY ("api_key_id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL,
    "api_key_id" INTEGER NOT NULL,
    "notice_id" INTEGER NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "body" TEXT NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" VARCHAR(500),
    "response_excerpt" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "watch_list_department_id_name_key" ON "watch_list"("department_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "watch_list_api_key_id_name_key" ON "watch_list"("api_key_id", "name");

-- CreateIndex
CREATE INDEX "watch_list_item_uscc_idx" ON "watch_list_item"("uscc");

-- CreateIndex
CREATE INDEX "watch_notice_list_id_detected_at_idx" ON "watch_notice"("list_id", "detected_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_api_key_id_created_at_idx" ON "webhook_delivery"("api_key_id", "created_at");

-- AddForeignKey
ALTER TABLE "watch_list" ADD CONSTRAINT "watch_list_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watch_list" ADD CONSTRAINT "watch_list_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watch_list_item" ADD CONSTRAINT "watch_list_item_list_id_fkey" FOREIGN KEY ("list_id") REFERENCES "watch_list"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watch_notice" ADD CONSTRAINT "watch_notice_list_id_fkey" FOREIGN KEY ("list_id") REFERENCES "watch_list"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watch_notice" ADD CONSTRAINT "watch_notice_evidence_hash_fkey" FOREIGN KEY ("evidence_hash") REFERENCES "watch_evidence"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_webhook" ADD CONSTRAINT "api_webhook_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "watch_notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

