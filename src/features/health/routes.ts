import { Router } from 'express';
import type { Services } from '../../services.js';

export function healthRoutes(deps: Services): Router {
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
