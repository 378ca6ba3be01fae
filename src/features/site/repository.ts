import type { Db } from '../../platform/database/client.js';
import type { FeedbackInput, FeedbackStatusKey } from './feedback.js';

/** 「我为政府网站找错」: the visitors' reports and the credit office's answers (table site_feedback). */
export class FeedbackRepository {
  constructor(private readonly db: Db) {}

  async create(input: FeedbackInput, refNo: string): Promise<{ id: number; refNo: string }> {
    return this.db.siteFeedback.create({
      data: { refNo, pageUrl: input.pageUrl, problemType: input.problemType, description: input.content, contact: input.contact },
      select: { id: true, refNo: true },
    });
  }

  /** What the submitter may see by reference number: never the contact they left. */
  byRefNo(refNo: string) {
    return this.db.siteFeedback.findUnique({
      where: { refNo },
      select: { refNo: true, pageUrl: true, problemType: true, description: true, status: true, reply: true, repliedAt: true, createdAt: true },
    });
  }

  /** Newest first, open ones by default; at most 200 (the queue of a site's corrections stays short). */
  list(status: FeedbackStatusKey | '') {
    return this.db.siteFeedback.findMany({
      where: status ? { status } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 200,
    });
  }

  byId(id: number) {
    return this.db.siteFeedback.findUnique({ where: { id } });
  }

  async answer(id: number, data: { status: 'processing' | 'answered'; answer: string }, userId: number): Promise<void> {
    await this.db.siteFeedback.update({
      where: { id },
      data: { status: data.status, reply: data.answer || null, repliedAt: new Date(), repliedById: userId },
    });
  }
}
