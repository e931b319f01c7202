import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { mllpFrame, MllpDecoder } from './mllp-framing';

/** Limits that keep one connection from exhausting the listener. */
export interface MllpServerOptions {
  /** Largest message accepted (bytes); bigger blocks are dropped and answered with AR. */
  maxFrameBytes: number;
  /** A started block must complete within this many ms, else the connection is closed. */
  readTimeoutMs: number;
  /** An idle connection (no bytes at all) is closed after this many ms. */
  idleTimeoutMs: number;
}

export const DEFAULT_MLLP_OPTIONS: MllpServerOptions = { maxFrameBytes: 4 * 1024 * 1024, readTimeoutMs: 30_000, idleTimeoutMs: 300_000 };

/** Where a frame came from, for audit and logs. */
export interface MllpPeer {
  remoteAddress: string;
  remotePort: number;
}

/**
 * Handles one message: returns the ACK text to send back. It must not resolve before the
 * message is committed; it should never throw (a throw is logged and the frame left unanswered,
 * so the sender retransmits).
 */
export type MllpHandler = (payload: string, peer: MllpPeer) => Promise<string>;
/** Answers a block that was too large to read (the payload is gone; only a reject is possible). */
export type MllpOversizeHandler = (bytes: number, peer: MllpPeer) => string | undefined;

/** Makes the listening server; the framing and ACK logic are the same over TCP and TLS. */
export type MllpServerFactory = (onConnection: (socket: Socket) => void) => Server;

/** Plain TCP (the default). */
export const plainMllpServer: MllpServerFactory = (onConnection) => createServer(onConnection);

/**
 * MLLP over TLS: frames are read from the decrypted stream, after the handshake. With
 * `requestCert` and `rejectUnauthorized` a sender without a certificate from `ca` never gets one.
 */
export function tlsMllpServer(options: TlsOptions): MllpServerFactory {
  return (onConnection) => createTlsServer(options, onConnection);
}

/** Who may connect and over what. */
export interface MllpConnectionOptions {
  createServer?: MllpServerFactory;
  /**
   * Decides from the source address alone, before the TLS handshake and before any byte is read;
   * a refused connection is closed at once.
   */
  admit?: (peer: MllpPeer) => boolean;
}

/**
 * A TCP (or TLS) listener speaking MLLP. Messages on one connection are handled strictly in order, one at a
 * time (HL7 original mode is request/response), while connections proceed in parallel.
 */
export class MllpServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handler: MllpHandler,
    private readonly options: MllpServerOptions = DEFAULT_MLLP_OPTIONS,
    private readonly onOversize?: MllpOversizeHandler,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
    private readonly connection: MllpConnectionOptions = {},
  ) {}

  /**
   * @param port - TCP port (0 for any free one).
   * @param host - interface to bind.
   * @returns the bound port.
   */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = (this.connection.createServer ?? plainMllpServer)((socket) => this.accept(socket));
    this.server = server;
    const admit = this.connection.admit;
    if (admit) {
      // first 'connection' listener: runs on the raw socket before the server's own (TLS handshake, accept)
      server.prependListener('connection', (raw: Socket) => {
        if (!admit({ remoteAddress: raw.remoteAddress ?? '', remotePort: raw.remotePort ?? 0 })) raw.destroy();
      });
    }
    server.on('tlsClientError', (err: Error, socket: Socket) => {
      if (!socket.destroyed) socket.destroy();
      this.log(`mllp TLS handshake from ${socket.remoteAddress ?? '?'} failed`, err);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log('mllp server error', err));
    return (server.address() as AddressInfo).port;
  }

  /** Stops accepting, closes open connections, waits for the server to close. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private accept(socket: Socket): void {
    if (socket.destroyed) return; // refused by admit()
    this.sockets.add(socket);
    const peer: MllpPeer = { remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 };
    const decoder = new MllpDecoder(this.options.maxFrameBytes);
    let chain = Promise.resolve();
    let readTimer: NodeJS.Timeout | undefined;
    socket.setTimeout(this.options.idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (readTimer) clearTimeout(readTimer);
    });
    socket.on('error', () => socket.destroy());
    const armReadTimer = () => {
      if (readTimer) clearTimeout(readTimer);
      readTimer = undefined;
      if (decoder.pending) {
        // a partial frame must finish in time; a stalled sender is cut off rather than held forever
        readTimer = setTimeout(() => {
          decoder.reset();
          socket.destroy();
        }, this.options.readTimeoutMs);
      }
    };
    socket.on('data', (data: Buffer) => {
      for (const ev of decoder.push(data)) {
        if (ev.kind === 'frame') {
          chain = chain.then(async () => {
            try {
              const ack = await this.handler(ev.payload, peer);
              if (!socket.destroyed) socket.write(mllpFrame(ack));
            } catch (err) {
              this.log('mllp handler failed; frame left unanswered', err);
            }
          });
        } else if (ev.kind === 'oversize') {
          const reply = this.onOversize?.(ev.bytes, peer);
          chain = chain.then(() => {
            if (reply && !socket.destroyed) socket.write(mllpFrame(reply));
          });
        }
      }
      armReadTimer();
    });
  }
}
