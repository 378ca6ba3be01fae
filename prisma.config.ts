import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env; the CLI (migrate status/deploy where the engine can be fetched) uses DATABASE_URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/credit_xinxiang' },
});
