/**
 * The public read API's part of /api/v1/openapi.json (src/features/api/openapi.ts merges it): no key (`security: []`),
 * limited per IP. Kept beside the routes it describes so both change together.
 */
const problem = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } } as const;

export const PUBLIC_API_SCHEMAS = {
  PublicSubject: {
    type: 'object',
    description: '信用主体的公开信息，与信用信息页面一致；公共信用信息目录中共享属性不是“社会公开”的基础信息项不提供',
    required: ['uscc', 'name', 'tags', 'counts', 'asOf', 'sections'],
    properties: {
      uscc: { type: 'string', description: '统一社会信用代码' },
      name: { type: 'string' },
      legalRepresentative: { type: 'string' },
      subjectType: { type: 'string' },
      status: { type: 'string', description: '登记状态（存续、吊销、注销、迁出）' },
      address: { type: 'string' },
      establishedOn: { type: 'string', format: 'date' },
      orgCode: { type: 'string' },
      regNo: { type: 'string' },
      county: { type: 'string', nullable: true },
      tags: { type: 'array', items: { type: 'string' } },
      counts: {
        type: 'object',
        required: ['permits', 'penalties', 'red', 'black', 'commitments'],
        properties: {
          permits: { type: 'integer' },
          penalties: { type: 'integer' },
          red: { type: 'integer' },
          black: { type: 'integer' },
          commitments: { type: 'integer' },
        },
      },
      asOf: { type: 'string', format: 'date', description: '数据对应的日期（北京时间）' },
      sections: {
        type: 'array',
        items: {
          type: 'object',
          required: ['key', 'title', 'notPublic', 'records'],
          properties: {
            key: { type: 'string', enum: ['permits', 'penalties', 'red', 'black', 'commitments'] },
            title: { type: 'string' },
            notPublic: { type: 'boolean', description: '该类信息不向社会公开（目录项的共享属性不是“社会公开”）' },
            records: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kind', 'id', 'href', 'title', 'documentNo', 'decisionDate', 'authority', 'summary', 'disputed'],
                properties: {
                  kind: { type: 'string', enum: ['permit', 'penalty', 'red', 'black', 'commitment'] },
                  id: { type: 'integer' },
                  href: { type: 'string', description: '公示页面地址' },
                  title: { type: 'string' },
                  documentNo: { type: 'string', description: '不公开的信息项为空字符串' },
                  decisionDate: { type: 'string' },
                  authority: { type: 'string' },
                  summary: { type: 'string' },
                  disputed: { type: 'boolean', description: '异议处理中' },
                },
              },
            },
          },
        },
      },
    },
  },
  PublicRecord: {
    type: 'object',
    description: '一条公示中的行政许可或行政处罚，与公示页面一致：自然人证件号码只显示前 6 位和后 4 位，法定代表人证件号码和目录中不公开的信息项不提供',
    required: ['kind', 'id', 'href', 'subjectName', 'uscc', 'department', 'disputed', 'fields'],
    properties: {
      kind: { type: 'string', enum: ['permit', 'penalty'] },
      id: { type: 'integer' },
      href: { type: 'string' },
      subjectName: { type: 'string', nullable: true },
      uscc: { type: 'string', nullable: true, description: '自然人为 null' },
      department: { type: 'string', nullable: true, description: '报送部门' },
      disputed: { type: 'boolean', description: '异议处理中' },
      fields: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'label', 'value'],
          properties: {
            code: { type: 'string', description: '2019 年全国“双公示”数据标准的字段代码' },
            label: { type: 'string' },
            value: { type: 'string' },
          },
        },
      },
    },
  },
} as const;

export const PUBLIC_API_PATHS = {
  '/public/subjects/{code}': {
    get: {
      summary: '查询一个法人或非法人组织的公开信用信息',
      description: '无需密钥；按访问者 IP 限制调用频率。答复与信用信息页面一致。',
      security: [],
      parameters: [{ name: 'code', in: 'path', required: true, description: '统一社会信用代码（18 位）', schema: { type: 'string' } }],
      responses: {
        '200': { description: '公开信用信息', content: { 'application/json': { schema: { $ref: '#/components/schemas/PublicSubject' } } } },
        '400': { description: '代码无效（reason 说明原因）', ...problem },
        '404': { description: '未找到该主体', ...problem },
        '429': { description: '调用过于频繁', ...problem },
      },
    },
  },
  '/public/records/{kind}/{id}': {
    get: {
      summary: '查询一条公示中的行政许可或行政处罚',
      description: '无需密钥；按访问者 IP 限制调用频率。答复与公示页面一致。',
      security: [],
      parameters: [
        { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['permits', 'penalties'] } },
        {
          name: 'id',
          in: 'path',
          required: true,
          description: '记录编号（公示页面地址中的编号）',
          schema: { type: 'integer', minimum: 1, maximum: 2147483647 },
        },
      ],
      responses: {
        '200': { description: '记录的公开信息', content: { 'application/json': { schema: { $ref: '#/components/schemas/PublicRecord' } } } },
        '400': { description: '类别或编号无效', ...problem },
        '404': { description: '记录不存在、已撤回、已过公示期或该类信息不向社会公开', ...problem },
        '410': { description: '决定已被依法撤销，信息已停止公示', ...problem },
        '429': { description: '调用过于频繁', ...problem },
      },
    },
  },
} as const;
