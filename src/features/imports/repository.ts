import type { Db } from '../../platform/database/client.js';
import { departmentScope } from '../../platform/access.js';

/** The back office's reads of import records (the imports themselves run in ImportService). */
export class ImportRepository {
  constructor(private readonly db: Db) {}

  /** One page of the imports the user may see, latest first, with who made them, and how many there are. */
  async page(user: Express.User, page: number, pageSize: number) {
    const where = departmentScope(user);
    const [rows, total] = await Promise.all([
      this.db.import.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: (page - 1) * pageSize,
        take: pageSize,
        include: { user: { select: { username: true } }, department: { select: { name: true } } },
      }),
      this.db.import.count({ where }),
    ]);
    return { rows, total };
  }

  /** One import with its user and department, or null. */
  byId(id: number) {
    return this.db.import.findUnique({
      where: { id },
      include: { user: { select: { username: true, displayName: true } }, department: { select: { name: true } } },
    });
  }
}
