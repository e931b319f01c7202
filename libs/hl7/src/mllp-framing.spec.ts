import { MllpDecoder, mllpFrame } from './mllp-framing';

describe('MllpDecoder', () => {
  it('reassembles a frame split across many reads, byte by byte', () => {
    const d = new MllpDecoder(1024);
    const bytes = mllpFrame('MSH|^~\\&|A\rPID|1|é');
    const events = [...bytes].flatMap((b) => d.push(Buffer.from([b])));
    expect(events).toEqual([{ kind: 'frame', payload: 'MSH|^~\\&|A\rPID|1|é' }]);
  });

  it('splits two frames arriving in one read and reports bytes outside blocks', () => {
    const d = new MllpDecoder(1024);
    const events = d.push(Buffer.concat([Buffer.from('junk'), mllpFrame('one'), mllpFrame('two')]));
    expect(events).toEqual([{ kind: 'garbage', bytes: 4 }, { kind: 'frame', payload: 'one' }, { kind: 'frame', payload: 'two' }]);
  });

  it('drops an oversize frame once, without buffering it, and resynchronises on the next block', () => {
    const d = new MllpDecoder(10);
    const big = mllpFrame('x'.repeat(5000));
    const events = [...d.push(big.subarray(0, 2000)), ...d.push(big.subarray(2000)), ...d.push(mllpFrame('ok'))];
    expect(events.filter((e) => e.kind === 'oversize')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ kind: 'frame', payload: 'ok' });
  });

  it('reports a started but unfinished block as pending', () => {
    const d = new MllpDecoder(100);
    d.push(Buffer.from([0x0b, 0x41]));
    expect(d.pending).toBe(true);
    d.reset();
    expect(d.pending).toBe(false);
  });
});
