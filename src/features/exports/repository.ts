import type { Db } from '../../platform/database/client.js';

/** Reads of the export files the back office downloads (the exports themselves are ExportService's). */
export class ExportRepository {
  constructor(private readonly db: Db) {}

  /** One export file's record, or null. */
  file(id: number) {
    return this.db.exportFile.findUnique({ where: { id } });
  }
}
