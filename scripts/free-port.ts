import net from 'node:net';

/** The first port from `start` that nothing listens on (TCP on 127.0.0.1). */
export async function freePortNear(start: number): Promise<number> {
  for (let port = start; port < start + 1000; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${start}`);
}
