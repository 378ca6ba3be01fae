import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/**
 * docker-compose.yml cannot be run here (no Docker engine): at least it parses, and the pieces the scale-out depends
 * on are wired to each other (docs/deploy.md).
 */
const root = path.resolve(import.meta.dirname, '..');

interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
  command?: string[];
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const nginx = readFileSync(path.join(root, 'deploy/nginx/nginx.conf'), 'utf8');

describe('docker-compose.yml', () => {
  it('has two web instances, a worker, a primary, a replica and a proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app1', 'app2', 'db', 'db-replica', 'proxy', 'worker']);
    for (const name of ['app1', 'app2']) expect(compose.services[name]!.environment!.ROLES).toBe('web');
    expect(compose.services.worker!.environment!.ROLES).toBe('worker');
    expect(compose.services.worker!.command).toContain('dist/worker.js');
  });

  it('gives every app process the same database, replica, secret and upload volume', () => {
    const apps = ['app1', 'app2', 'worker'].map((n) => compose.services[n]!);
    for (const key of ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'SESSION_SECRET', 'TRUST_PROXY']) {
      expect(new Set(apps.map((s) => s.environment![key])).size, key).toBe(1);
    }
    expect(apps[0]!.environment!.DATABASE_URL).toContain('@db:5432/');
    expect(apps[0]!.environment!.DATABASE_REPLICA_URL).toContain('@db-replica:5432/');
    for (const s of apps) expect(s.volumes).toContain('uploads:/app/data/uploads');
  });

  it('mounts files that exist, and the proxy sends to the app services by their names', () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        if (v.startsWith('./')) expect(existsSync(path.join(root, v.split(':')[0]!)), v).toBe(true);
      }
    }
    const upstreams = [...nginx.matchAll(/^\s*server (\S+):3000/gm)].map((m) => m[1]);
    expect(upstreams).toEqual(['app1', 'app2']);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
  });
});
