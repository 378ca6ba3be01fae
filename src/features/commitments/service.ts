import type { CommitmentRepository } from './repository.js';
import { beijingToday } from '../../domain/dates.js';
import type { CommitmentInput } from './schemas.js';
import type { CommitmentContext, CommitmentWriter } from './writer.js';

/** The city's region code, used for 市直 departments (no county). */
const CITY_REGION = '410700';

export class CommitmentService {
  constructor(
    private readonly repo: CommitmentRepository,
    private readonly writer: CommitmentWriter,
  ) {}

  /** Where and by whom commitments are accepted: the region part of 承诺编码 comes from the department's county. */
  async writeContext(departmentId: number, userId: number, importId: number | null): Promise<CommitmentContext> {
    const region = await this.repo.departmentRegion(departmentId);
    return { departmentId, region: region ?? CITY_REGION, today: beijingToday(), userId, importId };
  }

  /** One commitment from the form, through the same writer as a batch (same code sequence and lock). */
  async createOne(input: CommitmentInput, departmentId: number, userId: number): Promise<{ id: number; code: string }> {
    const ctx = await this.writeContext(departmentId, userId, null);
    return this.writer.writeOne(input, ctx);
  }
}
