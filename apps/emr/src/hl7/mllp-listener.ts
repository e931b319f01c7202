import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { TlsOptions } from 'node:tls';
import { Counter } from 'prom-client';
import { metricsRegistry, SERVICE_CONFIG } from '@suite/platform';
import { MllpServer, tlsMllpServer, type MllpPeer } from '@suite/hl7';
import type { EmrConfig } from '../app/emr-config';
import { Hl7IntakeService, rejectUnreadable } from './hl7-intake.service';
import { listenerTls } from './mllp-tls';

const refusedConnections = new Counter({
  name: 'emr_mllp_connections_refused_total',
  help: 'MLLP connections closed unread because the source address is not in MLLP_ALLOW',
  registers: [metricsRegistry],
});

/**
 * The HL7 v2 MLLP listener on MLLP_PORT (over TLS when MLLP_TLS_CERT/KEY are set). Connections
 * from addresses outside MLLP_ALLOW are closed before anything is read. Each frame goes through
 * Hl7IntakeService; the ACK is written only once the intake has committed. Oversize frames get an
 * AR; partial frames that stall past MLLP_READ_TIMEOUT_MS close the connection; nothing a peer
 * sends can stop the listener.
 */
@Injectable()
export class MllpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('mllp');
  private readonly tls?: TlsOptions;
  private server?: MllpServer;
  /** The bound port (differs from MLLP_PORT when that is 0). */
  port = 0;

  constructor(
    private readonly intake: Hl7IntakeService,
    @Inject(SERVICE_CONFIG) private readonly config: EmrConfig,
  ) {
    // read at construction so a half TLS configuration stops the service before it serves anything
    this.tls = listenerTls(config);
  }

  async onApplicationBootstrap() {
    if (process.env.SUITE_ROLE === 'worker') return;
    const allow = this.config.MLLP_ALLOW;
    if (!allow && this.config.NODE_ENV === 'production') {
      this.log.warn('MLLP_ALLOW is unset: the MLLP listener accepts connections from any address');
    }
    const admit = allow
      ? (peer: MllpPeer) => {
          if (allow.allows(peer.remoteAddress)) return true;
          refusedConnections.inc();
          this.log.warn(`MLLP connection from ${peer.remoteAddress}:${peer.remotePort} refused: not in MLLP_ALLOW`);
          return false;
        }
      : undefined;
    this.server = new MllpServer(
      (payload, peer) => this.intake.receive(payload, { channel: 'mllp', actor: `mllp:${peer.remoteAddress}:${peer.remotePort}` }).then((a) => a.ack),
      { maxFrameBytes: this.config.MLLP_MAX_FRAME_BYTES, readTimeoutMs: this.config.MLLP_READ_TIMEOUT_MS, idleTimeoutMs: 10 * 60_000 },
      (bytes) => rejectUnreadable('', `message of ${bytes}+ bytes exceeds the ${this.config.MLLP_MAX_FRAME_BYTES}-byte limit`),
      (msg, err) => this.log.error(`${msg}: ${(err as Error)?.message ?? err}`),
      { createServer: this.tls ? tlsMllpServer(this.tls) : undefined, admit },
    );
    this.port = await this.server.listen(this.config.MLLP_PORT, this.config.MLLP_HOST);
    const mode = this.tls ? (this.tls.requestCert ? 'TLS, client certificates required' : 'TLS') : 'plain TCP';
    this.log.log(`MLLP listener on ${this.config.MLLP_HOST}:${this.port} (${mode}; ${allow ? `allowed: ${allow}` : 'any source address'})`);
  }

  async onApplicationShutdown() {
    await this.server?.close();
  }
}
