import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@suite/platform';
import { MllpServer } from '@suite/hl7';
import type { EmrConfig } from '../app/emr-config';
import { Hl7IntakeService, rejectUnreadable } from './hl7-intake.service';

/**
 * The HL7 v2 MLLP listener on MLLP_PORT. Each frame goes through Hl7IntakeService; the ACK is
 * written only once the intake has committed. Oversize frames get an AR; partial frames that stall
 * past MLLP_READ_TIMEOUT_MS close the connection; nothing a peer sends can stop the listener.
 */
@Injectable()
export class MllpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('mllp');
  private server?: MllpServer;
  /** The bound port (differs from MLLP_PORT when that is 0). */
  port = 0;

  constructor(
    private readonly intake: Hl7IntakeService,
    @Inject(SERVICE_CONFIG) private readonly config: EmrConfig,
  ) {}

  async onApplicationBootstrap() {
    this.server = new MllpServer(
      (payload, peer) => this.intake.receive(payload, { channel: 'mllp', actor: `mllp:${peer.remoteAddress}:${peer.remotePort}` }).then((a) => a.ack),
      { maxFrameBytes: this.config.MLLP_MAX_FRAME_BYTES, readTimeoutMs: this.config.MLLP_READ_TIMEOUT_MS, idleTimeoutMs: 10 * 60_000 },
      (bytes) => rejectUnreadable('', `message of ${bytes}+ bytes exceeds the ${this.config.MLLP_MAX_FRAME_BYTES}-byte limit`),
      (msg, err) => this.log.error(`${msg}: ${(err as Error)?.message ?? err}`),
    );
    this.port = await this.server.listen(this.config.MLLP_PORT, this.config.MLLP_HOST);
    this.log.log(`MLLP listener on ${this.config.MLLP_HOST}:${this.port}`);
  }

  async onApplicationShutdown() {
    await this.server?.close();
  }
}
