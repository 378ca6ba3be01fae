import { PUBLIC_API_PATHS, PUBLIC_API_SCHEMAS } from '../open-data/openapi.js';

const PROBLEM = { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } as const;

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
      ...PUBLIC_API_SCHEMAS,
      Change: {
        type: 'object',
        required: ['cursor', 'occurredAt', 'effectiveOn', 'kind', 'id', 'event'],
        properties: {
          cursor: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          effectiveOn: { type: 'string', format: 'date', description: '公示状态变化生效的日期（北京时间）' },
          kind: { type: 'string', enum: ['penalty', 'permit', 'list_entry', 'commitment'] },
          id: { type: 'integer' },
          subjectKey: { type: 'string', nullable: true, description: '法人及非法人组织的统一社会信用代码；自然人及删除标记为 null' },
          event: {
            type: 'string',
            enum: ['published', 'updated', 'listed', 'withdrawn', 'revoked', 'repaired', 'expired', 'archived', 'exited', 'unpublished'],
          },
          reason: { type: 'string', nullable: true },
          payload: {
            type: 'object',
            nullable: true,
            description: '公开字段（删除标记为 null）',
            properties: {
              objectionPending: { type: 'boolean', description: '异议处理中（《河南省社会信用条例》第四十一条）；无异议在处理时不出现' },
            },
            additionalProperties: true,
          },
        },
      },
      Problem: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, reason: { type: 'string' }, details: { type: 'array', items: { type: 'string' } } },
      },
      WatchList: {
        type: 'object',
        required: ['name', 'codes'],
        properties: { name: { type: 'string' }, codes: { type: 'array', items: { type: 'string' }, maxItems: 10000 } },
      },
      WatchChange: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['新增处罚', '新增许可', '列入名单', '移出名单', '信用修复', '撤销或撤回', '异议标注', '其他变更'] },
          label: { type: 'string' },
          before: { type: 'string', nullable: true },
          after: { type: 'string', nullable: true },
        },
      },
      Notice: {
        type: 'object',
        description: '关注动态：一个关注主体的公示信息变化；evidenceHash 是当时公示内容（RFC 8785 规范化 JSON）的 SHA-256',
        properties: {
          id: { type: 'integer' },
          watchList: { type: 'string' },
          uscc: { type: 'string' },
          subjectName: { type: 'string', nullable: true },
          types: { type: 'array', items: { type: 'string' } },
          changes: { type: 'array', items: { $ref: '#/components/schemas/WatchChange' } },
          evidenceHash: { type: 'string' },
          detectedAt: { type: 'string', format: 'date-time' },
        },
      },
      CreditCheck: {
        type: 'object',
        required: ['subject', 'checkedAt', 'asOf', 'redList', 'blackList', 'listEntries', 'measures', 'seriousPenalties'],
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
          asOf: { type: 'string', format: 'date', description: '核查所依据的日期（北京时间）：截至该日公开的信息' },
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
    '/public/changes': {
      get: {
        summary: '公示信息变更流（无需密钥）',
        description:
          '按游标顺序返回行政许可、行政处罚和红黑名单条目的公示变化：published/updated/listed 带公开字段（与公示页面一致，证件号码已脱敏）；' +
          'withdrawn、revoked、repaired、expired、archived、exited 等为删除标记（tombstone），只有类别、编号、事件、生效日期和原因，不含个人信息。' +
          '镜像站点按 next 继续读取，收到删除标记即停止公示该条目；effectiveOn 晚于当日的条目（公示期内的红名单）及已过 publicityEndDate / validUntil 的条目不应展示。按 IP 限制调用频率。',
        security: [],
        parameters: [
          {
            name: 'since',
            in: 'query',
            required: true,
            description: '上次读取返回的 next；首次读取（全量重放）为 0',
            schema: { type: 'string', pattern: '^[0-9]{1,18}$' },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: '每次最多返回的条数，1–1000，默认 100',
            schema: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        ],
        responses: {
          '200': {
            description: '变更列表',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'next', 'hasMore'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/Change' } },
                    next: { type: 'string', description: '下次读取的 since' },
                    hasMore: { type: 'boolean' },
                  },
                },
              },
            },
          },
          '400': {
            description: 'since 或 limit 无效（reason 说明原因）',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
          '429': { description: '调用过于频繁', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '503': {
            description: '变更正在写入，稍后重试（Retry-After）',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
    },
    '/subjects/{code}/credit-check': {
      get: {
        summary: '核查一个信用主体',
        parameters: [
          { name: 'code', in: 'path', required: true, description: '统一社会信用代码（或组织机构代码、工商注册号）', schema: { type: 'string' } },
          {
            name: 'asOf',
            in: 'query',
            required: false,
            description:
              '核查日期 YYYY-MM-DD（北京时间）：回答该日公开的情况——当日已公布且尚未撤回、撤销、到期、修复或归档的处罚，当日有效的名单条目。不能晚于今天，不能早于平台公示历史的起始日；省略即今天。历史中不含当日的异议状态。',
            schema: { type: 'string', format: 'date' },
          },
        ],
        responses: {
          '200': {
            description: '主体、有效期内的红黑名单条目和适用的措施',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreditCheck' } } },
          },
          '400': {
            description: '代码或核查日期无效（reason 说明原因）',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
          '401': { description: '缺少或无效的接口密钥', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '403': { description: '接口密钥已吊销', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '404': { description: '未找到该主体', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '429': { description: '调用过于频繁', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
    ...PUBLIC_API_PATHS,
    '/watchlists/{name}': {
      put: {
        summary: '设置一个关注名单（整体替换）',
        description: '名单属于本密钥；每个名单最多 10,000 个统一社会信用代码（校验位检查）。任何一个代码有误则名单不作修改，details 逐一列出。',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } }],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { type: 'object', required: ['codes'], properties: { codes: { type: 'array', items: { type: 'string' } } } } },
          },
        },
        responses: {
          '200': {
            description: '已替换',
            content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, codes: { type: 'integer' } } } } },
          },
          '201': {
            description: '已创建',
            content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, codes: { type: 'integer' } } } } },
          },
          '400': { description: '代码有误或超过上限（details 说明）', content: PROBLEM },
          '401': { description: '缺少或无效的接口密钥', content: PROBLEM },
        },
      },
      get: {
        summary: '读取一个关注名单',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } }],
        responses: {
          '200': { description: '名单及其代码', content: { 'application/json': { schema: { $ref: '#/components/schemas/WatchList' } } } },
          '404': { description: '没有这个名单', content: PROBLEM },
        },
      },
    },
    '/webhook': {
      put: {
        summary: '设置关注动态的推送地址',
        description:
          '每条关注动态以 POST JSON 推送到该地址，请求头 X-Signature: sha256=<以密钥对原始请求体计算的 HMAC-SHA256 十六进制>、X-Delivery-Id、X-Timestamp（Unix 秒）。返回 2xx 即为成功；失败后 1 分钟、5 分钟、30 分钟、2 小时、12 小时各重试一次。不跟随重定向，超时 5 秒。密钥 secret 只在本次响应中出现，每次设置都会生成新密钥。',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' } } } } },
        },
        responses: {
          '200': {
            description: '已设置',
            content: { 'application/json': { schema: { type: 'object', properties: { url: { type: 'string' }, secret: { type: 'string' } } } } },
          },
          '400': { description: '地址无效', content: PROBLEM },
        },
      },
    },
    '/notices': {
      get: {
        summary: '最近 100 条关注动态',
        responses: {
          '200': {
            description: '按发现时间倒序',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { notices: { type: 'array', items: { $ref: '#/components/schemas/Notice' } } } },
              },
            },
          },
        },
      },
    },
  },
} as const;
