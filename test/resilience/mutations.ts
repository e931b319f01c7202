import fc from 'fast-check';

/**
 * Malformed variants of a valid sample: truncation, byte flips, insertions of hostile bytes,
 * duplicated and dropped slices. Mutating real input reaches deeper parser states than noise.
 */
export function mutated(sample: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = sample.length;
  const hostile = fc.constantFrom(0x00, 0x0b, 0x1c, 0x0d, 0x0a, 0x7c, 0x5e, 0x26, 0x5c, 0x7e, 0x22, 0x2c, 0x3c, 0x26, 0xff, 0xfe);
  const op = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(n) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(Math.max(0, n - 1)), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(n), bytes: fc.array(fc.oneof(hostile, fc.nat(255)), { minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat(n), len: fc.nat(64) }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(n), len: fc.nat(64), times: fc.integer({ min: 2, max: 50 }) }),
  );
  return fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => {
    let b = Buffer.from(sample);
    for (const o of ops) {
      const at = Math.min(o.at, b.length);
      if (o.kind === 'truncate') b = b.subarray(0, at);
      else if (o.kind === 'flip' && b.length) b[Math.min(at, b.length - 1)] = o.byte;
      else if (o.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(o.bytes), b.subarray(at)]);
      else if (o.kind === 'drop') b = Buffer.concat([b.subarray(0, at), b.subarray(at + o.len)]);
      else if (o.kind === 'repeat') b = Buffer.concat([b.subarray(0, at), ...Array(o.times).fill(b.subarray(at, at + o.len)), b.subarray(at)]);
    }
    return new Uint8Array(b);
  });
}

/** Runs `fn` and classifies the outcome: accepted, refused with one of `expected` error classes, or a crash. */
export async function outcome(fn: () => unknown | Promise<unknown>, expected: (new (...a: never[]) => Error)[]): Promise<'accepted' | 'refused' | string> {
  try {
    await fn();
    return 'accepted';
  } catch (err) {
    if (expected.some((E) => err instanceof E)) return 'refused';
    return `CRASH ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`;
  }
}
