/** MLLP (minimal lower layer protocol, HL7 v2.5.1 appendix C) block characters. */
export const MllpByte = {
  /** Start block: vertical tab. */
  VT: 0x0b,
  /** End block: file separator. */
  FS: 0x1c,
  /** Carriage return that must follow FS. */
  CR: 0x0d,
} as const;

/**
 * Wraps a payload in an MLLP block.
 * @param payload - the message text.
 * @returns VT + utf-8 payload + FS CR.
 */
export function mllpFrame(payload: string): Buffer {
  return Buffer.concat([Buffer.from([MllpByte.VT]), Buffer.from(payload, 'utf8'), Buffer.from([MllpByte.FS, MllpByte.CR])]);
}

/** What the decoder hands back for each complete or rejected block. */
export type MllpEvent = { kind: 'frame'; payload: string } | { kind: 'oversize'; bytes: number } | { kind: 'garbage'; bytes: number };

/**
 * Incremental MLLP decoder for one connection. Bytes outside a block are discarded (reported as
 * garbage); a block growing past `maxFrameBytes` is dropped and reported once, and the decoder
 * resynchronises on the next VT, so a hostile or broken peer cannot make it buffer without bound.
 */
export class MllpDecoder {
  private chunks: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private discarding = false;
  private garbage = 0;

  /** @param maxFrameBytes - the largest payload accepted. */
  constructor(readonly maxFrameBytes: number) {}

  /** Whether a block has started and not yet ended (used for the read timeout). */
  get pending(): boolean {
    return this.inFrame;
  }

  /**
   * @param data - bytes just read from the socket.
   * @returns the events completed by these bytes, in order.
   */
  push(data: Buffer): MllpEvent[] {
    const events: MllpEvent[] = [];
    let i = 0;
    while (i < data.length) {
      if (!this.inFrame) {
        const start = data.indexOf(MllpByte.VT, i);
        if (start < 0) {
          this.garbage += data.length - i;
          break;
        }
        this.garbage += start - i;
        if (this.garbage > 0) {
          events.push({ kind: 'garbage', bytes: this.garbage });
          this.garbage = 0;
        }
        this.inFrame = true;
        this.discarding = false;
        this.chunks = [];
        this.size = 0;
        i = start + 1;
        continue;
      }
      const end = data.indexOf(MllpByte.FS, i);
      const stop = end < 0 ? data.length : end;
      if (!this.discarding) {
        if (this.size + (stop - i) > this.maxFrameBytes) {
          this.discarding = true;
          events.push({ kind: 'oversize', bytes: this.size + (stop - i) });
          this.chunks = [];
        } else {
          this.chunks.push(data.subarray(i, stop));
        }
      }
      this.size += stop - i;
      if (end < 0) break;
      // FS found: the block ends here (the CR after it is optional in practice; skip it if present)
      if (!this.discarding) events.push({ kind: 'frame', payload: Buffer.concat(this.chunks).toString('utf8') });
      this.inFrame = false;
      this.discarding = false;
      this.chunks = [];
      this.size = 0;
      i = end + 1;
      if (data[i] === MllpByte.CR) i++;
    }
    return events;
  }

  /** Forget a partial block (after a read timeout). */
  reset(): void {
    this.inFrame = false;
    this.discarding = false;
    this.chunks = [];
    this.size = 0;
  }
}
