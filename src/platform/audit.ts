import type { Request } from 'express';
import type { Db } from './database/client.js';
import { redact } from './logger.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface AuditEntry {
  action: string;
  userId?: number | null;
  username?: string | null;
  targetType?: string;
  targetId?: string | number;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

/** Known actions, with the Chinese label the audit page shows. */
export const AUDIT_ACTIONS: Record<string, string> = {
  'watchlist.create': '创建关注名单',
  'watchlist.add': '添加关注代码',
  'watchlist.remove': '移除关注代码',
  'watchlist.delete': '删除关注名单',
  'watchlist.scan': '立即检查关注名单',
  'watchnotice.read': '关注动态标为已读',
  'api.watchlist.put': '接口设置关注名单',
  'api.webhook.set': '接口设置推送地址',
  'login.success': '登录成功',
  'login.failure': '登录失败',
  'login.locked': '账号锁定',
  logout: '退出登录',
  'user.create': '创建用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.unlock': '解除锁定',
  'user.password': '修改密码',
  'user.password.reset': '重置用户密码',
  'access.denied': '拒绝越权访问',
  'authority.add': '添加可报送机关',
  'authority.update': '修改可报送机关',
  'authority.remove': '移除可报送机关',
  'permit.create': '报送行政许可',
  'permit.update': '更正行政许可',
  'permit.withdraw': '撤回行政许可',
  'permit.revoke': '登记行政许可决定撤销',
  'penalty.create': '报送行政处罚',
  'penalty.update': '更正行政处罚',
  'penalty.withdraw': '撤回行政处罚',
  'penalty.revoke': '登记行政处罚决定撤销',
  'penalty.challenge': '登记复议或诉讼',
  'penalty.challenge.outcome': '登记复议或诉讼结果',
  'import.run': '批量导入',
  'person.search': '自然人信息查询',
  'list.nominate': '推荐红黑名单',
  'list.accept': '推荐审核通过',
  'list.reject': '推荐审核不通过',
  'list.issue.create': '新建榜单',
  'list.issue.add': '编入榜单',
  'list.issue.remove': '移出榜单草稿',
  'list.issue.publish': '发布榜单',
  'list.notice.correction': '发布更正公告',
  'list.exit': '退出名单',
  'list.entry.archive': '名单条目披露期满归档',
  'measure.create': '添加奖惩措施',
  'measure.deactivate': '停用奖惩措施',
  'measure.feedback': '反馈措施实施情况',
  'apikey.create': '创建接口密钥',
  'apikey.revoke': '吊销接口密钥',
  'api.credit-check': '接口信用核查',
  'credit-check.run': '批量信用核查',
  'article.create': '发布文章',
  'commitment.create': '录入信用承诺',
  'commitment.fulfilment': '更新承诺履行状态',
  'article.update': '修改文章',
  'article.attachment.add': '上传文章附件',
  'article.attachment.delete': '删除文章附件',
  'export.run': '导出数据',
  'objection.submit': '提交异议',
  'objection.accept': '受理异议',
  'objection.refuse': '不予受理异议',
  'objection.answer': '答复异议',
  'objection.settle': '办结异议',
  'objection.pause': '异议暂停计时',
  'objection.resume': '异议恢复计时',
  'repair.submit': '申请信用修复',
  'archive.submit': '申请信用信息归档',
  'archive.office': '信用办审核档案化申请',
  'repair.department': '部门审核信用修复',
  'repair.office': '信用办审核信用修复',
  'repair.rule': '修改信用修复规则',
  'holiday.save': '录入节假日安排',
  'tier-rule.add': '添加严重程度认定规则',
  'tier-rule.end': '停用严重程度认定规则',
  'feedback.answer': '答复网站找错',
  'signing-key.rotate': '轮换报告签名密钥',
  'signing-key.revoke': '吊销报告签名密钥',
};

export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    // Details are free-form; a clerk may paste an ID number into one, so it is masked before storage.
    const detail = entry.detail ? (JSON.parse(redact(JSON.stringify(entry.detail))) as Prisma.InputJsonValue) : undefined;
    await this.db.auditLog.create({
      data: {
        action: entry.action,
        userId: entry.userId ?? null,
        username: entry.username ?? null,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId === undefined ? null : String(entry.targetId),
        ip: entry.ip ?? null,
        ...(detail === undefined ? {} : { detail }),
      },
    });
  }

  /** Shorthand for a back-office write by the signed-in user. */
  async byRequest(req: Request, entry: Omit<AuditEntry, 'userId' | 'username' | 'ip'>): Promise<void> {
    await this.record({ ...entry, userId: req.user?.id ?? null, username: req.user?.username ?? null, ip: req.ip ?? null });
  }
}
