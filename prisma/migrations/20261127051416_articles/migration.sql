-- CreateEnum
CREATE TYPE "ArticleCategory" AS ENUM ('policy', 'news', 'notice');

-- CreateTable
CREATE TABLE "article" (
    "id" SERIAL NOT NULL,
    "category" "ArticleCategory" NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body_html" TEXT NOT NULL,
    "source" VARCHAR(100),
    "published_at" TIMESTAMPTZ(3),
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "article_category_published_at_idx" ON "article"("category", "published_at");

