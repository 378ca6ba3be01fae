import { PUBLIC_API_PATHS, PUBLIC_API_SCHEMAS } from '../open-data/openapi.js';

/** OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json. */
export const OPENAPI = {
  openapi: '3.0.3',
  info: {
    title: '信用新乡 信用核查接口',
    version: '1.0.0',
    description:
      '供各部门业务系统在办理业务时核查信用主体的红黑名单状态和适用的联合奖惩措施（须使用接口密钥，每次调用记入审计日志）；/public/ 下的公共查询接口无需密钥，答复与公示页面一致，使用须遵守开放数据使用协议（/open-data#licence）。',
  },
  servers: [{ url: '/api/v1' }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: '由系统管理员为部门创建的接口密钥' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    },
    schemas: {
      Problem: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, reason: { type: 'string' } } },
      ...PUBLIC_API_SCHEMAS,
      CreditCheck: {
        type: 'object',
        required: ['subject', 'checkedAt', 'redList', 'blackList', 'listEntries', 'measures', 'seriousPenalties'],
        properties: {
          subject: {
            type: 'object',
            properties: {
              uscc: { type: 'string', nullable: true },
              name: { type: 'string' },
              status: { type: 'string', enum: ['active', 'revoked', 'cancelled', 'movedOut'] },
              legalRepresentative: { type: 'string', nullable: true },
            },
          },
          checkedAt: { type: 'string', format: 'date-time' },
          redList: { type: 'boolean' },
          blackList: { type: 'boolean' },
          listEntries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                listType: { type: 'string', enum: ['red', 'black'] },
                issue: { type: 'string' },
                basisDocNo: { type: 'string' },
                basisAuthority: { type: 'string' },
                basisDate: { type: 'string', format: 'date' },
                validUntil: { type: 'string', format: 'date' },
                reason: { type: 'string' },
                objectionPending: { type: 'boolean', description: '异议处理中（《河南省社会信用条例》第四十一条）' },
              },
            },
          },
          measures: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                listType: { type: 'string', enum: ['red', 'black'] },
                department: { type: 'string' },
                text: { type: 'string' },
                legalBasis: { type: 'string' },
              },
            },
          },
          seriousPenalties: {
            type: 'array',
            description: '仍在公示期内的严重失信行政处罚（已信用修复、已到期或已撤回的不再提供）；公共信用信息目录中共享属性不是“社会公开”的字段不提供',
            items: {
              type: 'object',
              properties: {
                documentNo: { type: 'string' },
                decisionDate: { type: 'string', format: 'date' },
                authority: { type: 'string' },
                penaltyCategories: { type: 'array', items: { type: 'string' } },
                tier: { type: 'string', enum: ['serious'] },
                publicUntil: { type: 'string', format: 'date' },
              },
            },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }, { apiKey: [] }],
  paths: {
    '/subjects/{code}/credit-check': {
      get: {
        summary: '核查一个信用主体',
        parameters: [{ name: 'code', in: 'path', required: true, description: '统一社会信用代码（或组织机构代码、工商注册号）', schema: { type: 'string' } }],
        responses: {
          '200': {
            description: '主体、有效期内的红黑名单条目和适用的措施',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreditCheck' } } },
          },
          '400': { description: '代码无效（reason 说明原因）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '401': { description: '缺少或无效的接口密钥', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '403': { description: '接口密钥已吊销', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '404': { description: '未找到该主体', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '429': { description: '调用过于频繁', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
    ...PUBLIC_API_PATHS,
  },
} as const;
