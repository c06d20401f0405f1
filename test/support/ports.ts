/**
 * A free TCP port: bound, read and released. Only for what must be told its port before it starts (a child
 * process, `redis-server`, a client-app restarted behind the same URL); in-process servers listen on port 0.
 */
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
