/**
 * The code's shape (README "Code map"), checked by dependency-cruiser in `npm test` (npm run lint:deps).
 * dependency-cruiser rather than eslint-plugin-boundaries: it sees the whole import graph, so it can forbid cycles
 * between feature folders, which a per-file lint rule cannot. tests/boundaries.test.ts shows each rule failing.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-feature-folder-cycles',
      comment: 'Features depend on each other in one direction only; shared code moves to platform/ or domain/.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/features/[^/]+' },
      to: { path: '^src/features/[^/]+', circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'platform-and-domain-below-features',
      comment: 'platform/ (infrastructure) and domain/ (rules) know nothing of the features built on them.',
      severity: 'error',
      from: { path: '^src/(platform|domain)/' },
      to: { path: '^src/(features|seed|cli)/|^src/(app|deps|server|worker|jobs)\\.ts$' },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is rules and data: no database, no HTTP, no files.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/platform/|^node_modules/(pg|pg-[^/]+|@prisma|express|multer)/|^src/generated/' },
    },
    {
      name: 'app-does-not-load-seeds',
      comment: 'Demo and scale generators are loaded only to fill a demo database (dynamically, in server.ts).',
      severity: 'error',
      from: { path: '^src/(features|platform|domain)/|^src/(app|deps|jobs)\\.ts$' },
      to: { path: '^src/seed/' },
    },
    {
      name: 'routes-do-not-query',
      comment: 'A route parses input and calls services or repositories; it imports no database client, pool or driver.',
      severity: 'error',
      from: { path: '^src/features/.+routes\\.ts$' },
      to: {
        path: '^src/platform/database/(client|pool|copy|embedded|migrate)\\.ts$|^node_modules/(pg|pg-copy-streams|@prisma/adapter-pg)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'only-repositories-query',
      comment:
        'Only repositories (*repository.ts) and the bulk writers touch the database: routes and services receive repositories and ' +
        'services (src/services.ts), so they import no database client, pool, driver or Prisma client, not even its types.',
      severity: 'error',
      from: {
        path: '^src/features/',
        pathNot: [
          'repository\\.ts$',
          // the bulk writers: COPY and set-based SQL on a client whose transaction the caller owns
          '^src/features/(publicity|commitments)/writer\\.ts$',
          '^src/features/imports/',
        ],
      },
      to: {
        path: '^src/platform/database/(client|pool|copy|embedded|migrate)\\.ts$|^src/generated/prisma/(client|internal|models)|^node_modules/(pg|pg-copy-streams|@prisma/[^/]+)/',
      },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/|\\.test\\.ts$' },
  },
};
