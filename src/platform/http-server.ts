import http, { STATUS_CODES, type RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';

/** A self-contained error page: the app (and its templates) never sees a request node could not parse. */
function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title} - 信用新乡</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${title}</h1><p>${message}</p><p><a href="/">返回首页</a></p></main></body></html>
`;
}

/** What node's parser refused, as a status and a Chinese page. */
export function clientErrorResponse(code: string | undefined): { status: number; body: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, body: page('请求头过大', '请求的网址或请求头过长（如查询条件过多），请缩短后重试。') };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, body: page('请求超时', '请求发送时间过长，请重试。') };
  return { status: 400, body: page('请求有误', '请求格式有误，无法处理。') };
}

/**
 * The web server for an Express app. Node answers a request it cannot parse (an 18,000-byte query string, oversized
 * headers, a malformed request line) itself, with an empty body; here it gets a Chinese page instead.
 */
export function createHttpServer(app: RequestListener): http.Server {
  const server = http.createServer(app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, body } = clientErrorResponse(err.code);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
