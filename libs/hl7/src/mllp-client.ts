import { connect } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { MllpDecoder, mllpFrame } from './mllp-framing';

/**
 * Sends one message over a new MLLP connection and waits for the first reply block.
 * @param host - the receiver's host.
 * @param port - the receiver's port.
 * @param message - the message text (segments separated by CR).
 * @param timeoutMs - connect + reply deadline.
 * @param tls - when given, MLLP over TLS with these options (`ca` to trust, `cert`/`key` for mutual TLS);
 *   the server's certificate is always verified.
 * @returns the reply text (usually an ACK).
 */
export function sendMllp(host: string, port: number, message: string, timeoutMs = 10_000, tls?: ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls ? connectTls({ ...tls, host, port, rejectUnauthorized: true }) : connect({ host, port });
    const decoder = new MllpDecoder(16 * 1024 * 1024);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no MLLP reply from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (err?: Error, reply?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply ?? '');
    };
    socket.on(tls ? 'secureConnect' : 'connect', () => socket.write(mllpFrame(message)));
    socket.on('data', (d: Buffer) => {
      const frame = decoder.push(d).find((e) => e.kind === 'frame');
      if (frame && frame.kind === 'frame') done(undefined, frame.payload);
    });
    socket.on('error', (err) => done(err));
    socket.on('close', () => done(new Error(`connection to ${host}:${port} closed before a reply`)));
  });
}
