-- CreateTable
CREATE TABLE "holiday_override" (
    "day" DATE NOT NULL,
    "kind" VARCHAR(4) NOT NULL,
    "note" VARCHAR(50),
    "updated_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "holiday_override_pkey" PRIMARY KEY ("day")
);

