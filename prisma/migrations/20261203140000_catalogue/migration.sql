-- 公共信用信息目录 (条例 Art. 11): the items the platform holds and each field's 共享属性 (条例 Art. 18). The rows
-- themselves are written by the reference seed (src/seed/catalogue.ts), which production runs too.

-- CreateEnum
CREATE TYPE "SharingLevel" AS ENUM ('public', 'government', 'authorised');

-- CreateTable
CREATE TABLE "catalogue_item" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "format" VARCHAR(100) NOT NULL,
    "provider" VARCHAR(300) NOT NULL,
    "subject_types" VARCHAR(200) NOT NULL,
    "nature" VARCHAR(50) NOT NULL,
    "sharing" "SharingLevel" NOT NULL,
    "coverage" VARCHAR(200) NOT NULL,
    "update_cycle" VARCHAR(50) NOT NULL,
    "sort_order" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalogue_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalogue_field" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "sharing" "SharingLevel" NOT NULL,
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "catalogue_field_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "catalogue_item_code_key" ON "catalogue_item"("code");

-- CreateIndex
CREATE UNIQUE INDEX "catalogue_field_item_id_code_key" ON "catalogue_field"("item_id", "code");

-- AddForeignKey
ALTER TABLE "catalogue_field" ADD CONSTRAINT "catalogue_field_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "catalogue_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;
