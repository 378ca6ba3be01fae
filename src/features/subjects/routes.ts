import { Router } from 'express';
import type { Services } from '../../services.js';
import { validateUscc } from '../../domain/identifiers.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';

/** The credit profile page, /subjects/:uscc. */
export function subjectRoutes(deps: Services): Router {
  const router = Router();
  router.get('/subjects/:uscc', async (req, res) => {
    const input = String(req.params.uscc);
    const r = validateUscc(input);
    if (!r.ok) throw new BadRequestError(`“${input}”不是有效的统一社会信用代码：${r.reason}`);
    if (r.placeholder) throw new BadRequestError('00000000000000000X 是无代码个体工商户的占位符，不能用于查询');
    if (r.value !== input) return res.redirect(301, `/subjects/${r.value}`);
    const profile = await deps.profiles.byUscc(r.value);
    if (!profile) throw new NotFoundError(`未找到统一社会信用代码为 ${r.value} 的信用主体`);
    // 条例 Art. 40: a view of the public profile is counted for the subject's report.
    await deps.accessLog.portal(r.value);
    res.render('subjects/profile.njk', { title: `${profile.subject.name} - 信用信息`, nav: 'search', p: profile });
  });
  return router;
}
