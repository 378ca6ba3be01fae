import type { Db } from '../../platform/database/client.js';
import type { ArticleCategory } from '../../generated/prisma/enums.js';
import type { StoredFile } from '../../platform/attachments.js';

const attachmentSelect = { id: true, fileName: true, bytes: true, mime: true } as const;

export interface ArticleFields {
  category: ArticleCategory;
  title: string;
  source: string | null;
  bodyHtml: string;
}

/** 政策法规 / 信用动态 / 通知公告 and their attachments. */
export class ArticleRepository {
  constructor(private readonly db: Db) {}

  /** One page of a category's published articles, newest first, and how many there are. */
  async published(category: ArticleCategory, page: number, pageSize: number) {
    const where = { category, publishedAt: { not: null } };
    const [rows, total] = await Promise.all([
      this.db.article.findMany({ where, orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
      this.db.article.count({ where }),
    ]);
    return { rows, total };
  }

  /** The newest published articles (the home page). */
  latest(take: number) {
    return this.db.article.findMany({
      where: { publishedAt: { not: null } },
      orderBy: { publishedAt: 'desc' },
      take,
      select: { id: true, title: true, category: true, publishedAt: true },
    });
  }

  /** A published article with its attachments; null for a draft or no such article. */
  publishedById(id: number) {
    return this.db.article.findFirst({
      where: { id, publishedAt: { not: null } },
      include: { attachments: { select: attachmentSelect, orderBy: { id: 'asc' } } },
    });
  }

  /** An attachment of a published article. */
  publishedAttachment(articleId: number, attachmentId: number) {
    return this.db.articleAttachment.findFirst({ where: { id: attachmentId, articleId, article: { publishedAt: { not: null } } } });
  }

  /** The back office's list: the latest 200, drafts included. */
  recent(take = 200) {
    return this.db.article.findMany({ orderBy: { id: 'desc' }, take, select: { id: true, title: true, category: true, publishedAt: true } });
  }

  byId(id: number) {
    return this.db.article.findUnique({ where: { id } });
  }

  create(data: ArticleFields, createdById: number, publish: boolean): Promise<number> {
    return this.db.article.create({ data: { ...data, createdById, publishedAt: publish ? new Date() : null }, select: { id: true } }).then((a) => a.id);
  }

  /**
   * Rewrites an article; publishing keeps the first publication date, unpublishing makes it a draft again.
   * Returns false when no such article exists, so the caller can answer 404.
   */
  async update(id: number, data: ArticleFields, publish: boolean): Promise<boolean> {
    const found = await this.db.article.findUnique({ where: { id }, select: { publishedAt: true } });
    if (!found) return false;
    await this.db.article.update({ where: { id }, data: { ...data, publishedAt: publish ? (found.publishedAt ?? new Date()) : null } });
    return true;
  }

  attachments(articleId: number) {
    return this.db.articleAttachment.findMany({ where: { articleId }, select: attachmentSelect, orderBy: { id: 'asc' } });
  }

  /** Records stored files as the article's attachments, all or none; returns their ids in order. */
  addAttachments(articleId: number, stored: StoredFile[], createdById: number): Promise<{ id: number }[]> {
    return this.db.$transaction(stored.map((s) => this.db.articleAttachment.create({ data: { ...s, articleId, createdById }, select: { id: true } })));
  }

  /** An attachment of the article, published or not. */
  attachment(articleId: number, attachmentId: number) {
    return this.db.articleAttachment.findFirst({ where: { id: attachmentId, articleId } });
  }

  async deleteAttachment(id: number): Promise<void> {
    await this.db.articleAttachment.delete({ where: { id } });
  }
}
