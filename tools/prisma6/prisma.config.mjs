// Prisma 6 with its wasm schema engine (engine: 'js'), so `migrate diff` runs offline.
// Even a schema-to-schema diff connects through the adapter, so DATABASE_URL must name a reachable server;
// a short idle timeout lets the CLI exit at once instead of holding the pool open for pg's default 10 s.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', idleTimeoutMillis: 50 }),
});
