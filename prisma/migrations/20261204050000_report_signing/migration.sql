-- CreateEnum
CREATE TYPE "SigningKeyStatus" AS ENUM ('active', 'retired', 'revoked');

-- AlterTable
ALTER TABLE "credit_report" ADD COLUMN     "content_sm3" CHAR(64),
ADD COLUMN     "key_id" VARCHAR(16),
ADD COLUMN     "signed_sm3" CHAR(64);

-- CreateTable
CREATE TABLE "report_signing_key" (
    "key_id" VARCHAR(16) NOT NULL,
    "public_key" CHAR(130) NOT NULL,
    "private_key" TEXT NOT NULL,
    "status" "SigningKeyStatus" NOT NULL DEFAULT 'active',
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_signing_key_pkey" PRIMARY KEY ("key_id")
);
