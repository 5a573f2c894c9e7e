import net from 'node:net';

/** A raw TCP connection to a test server, for what fetch cannot do: send nothing, or trickle. */
export interface RawConnection {
  readonly socket: net.Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the connection has closed, with the milliseconds since it was opened. */
  readonly closed: Promise<number>;
  /** Writes `text` one byte at a time, `intervalMs` apart, until it is sent or the connection closes. */
  trickle(text: string, intervalMs: number): Promise<void>;
}

export function openConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const openedAt = Date.now();
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined); // a reset is one way a connection ends; `closed` reports it
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - openedAt)));
  const trickle = async (text: string, intervalMs: number) => {
    for (const byte of Buffer.from(text)) {
      if (socket.destroyed || socket.writableEnded) return;
      socket.write(Buffer.from([byte]));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received: () => received, closed, trickle }));
    socket.once('error', reject);
  });
}

/** Writes `bytes` on a fresh connection and resolves with everything the server sent until it closed. */
export async function rawExchange(url: string, bytes: string): Promise<string> {
  const connection = await openConnection(url);
  connection.socket.write(bytes);
  await connection.closed;
  return connection.received();
}

/** The status and the JSON body of the HTTP answer in `text` (one answer, with a Content-Length). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export function parseAnswer(text: string): { status: number; headers: string; body: any } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0);
  const split = text.indexOf('\r\n\r\n');
  const headers = split === -1 ? text : text.slice(0, split);
  const bodyText = split === -1 ? '' : text.slice(split + 4);
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  return { status, headers, body };
}
