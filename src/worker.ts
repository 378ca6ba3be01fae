/**
 * `npm run worker`: a process that only runs background jobs (imports, large exports, sweeps), beside web
 * processes started with ROLES=web that share its database. Same start-up as the server (configuration,
 * migrations, queue); no HTTP port. See docs/jobs.md.
 */
process.env.ROLES = 'worker';
await import('./server.js');
