import { Router } from 'express';
import type { AppDeps } from '../../deps.js';

export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await deps.stats.ping();
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'up' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'down' });
    }
  });
  return router;
}
