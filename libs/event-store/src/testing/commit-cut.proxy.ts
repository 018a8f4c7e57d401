// Test support: a loopback TCP proxy in front of PostgreSQL that can lose a COMMIT's reply.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/** Simple-protocol `Query` message carrying exactly `COMMIT`: 'Q', int32 length 11, "COMMIT\0". */
const COMMIT_QUERY = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')]);

export interface CommitCutProxy {
  /** Connection string that goes through the proxy. */
  readonly url: string;
  /**
   * The next COMMIT is forwarded to the server; as soon as the server answers, both sides of that
   * connection are closed and the answer is dropped: the transaction is committed, the client only
   * sees a broken connection.
   */
  cutAfterNextCommit(): void;
  /** How many connections were cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startCommitCutProxy(targetUrl: string): Promise<CommitCutProxy> {
  const target = new URL(targetUrl);
  let armed = false;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let cutOnReply = false;
    const cut = (): void => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(COMMIT_QUERY)) {
        armed = false;
        cutOnReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnReply) return cut();
      client.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    cutAfterNextCommit: () => {
      armed = true;
    },
    get cuts() {
      return cuts;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
