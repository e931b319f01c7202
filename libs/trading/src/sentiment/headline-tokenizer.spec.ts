import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadlineTokenizer, fnv1a32 } from './headline-tokenizer';

const folder = join(__dirname, '../../../../models/news-sentiment');
const params = JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8'));
const fixture: { text: string; features: string[]; ids: number[] }[] = JSON.parse(
  readFileSync(join(folder, 'tokenizer-fixture.json'), 'utf8'),
);

describe('HeadlineTokenizer', () => {
  const tokenizer = new HeadlineTokenizer(params);

  it('hashes like the reference FNV-1a', () => {
    // published FNV-1a 32 test vectors
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it.each(fixture.map((f) => [f.text, f] as const))('matches Python on %j', (_text, f) => {
    expect(tokenizer.features(f.text)).toEqual(f.features);
    expect(tokenizer.encode(f.text)).toEqual(f.ids);
  });

  it('marks negation for three words and stops at a clause break', () => {
    expect(tokenizer.features("Acme doesn't raise guidance, shares fall").filter((x) => x.startsWith('u:'))).toEqual([
      'u:acme', 'u:does', 'u:not', 'u:neg_raise', 'u:neg_guidance', 'u:shares', 'u:fall',
    ]);
  });

  it('encodes a batch as int64 ids equal to encode()', () => {
    const texts = fixture.slice(0, 5).map((f) => f.text);
    const batch = tokenizer.encodeBatch(texts);
    expect(Array.from(batch, Number)).toEqual(texts.flatMap((t) => tokenizer.encode(t)));
  });

  it('collapses numbers', () => {
    expect(tokenizer.tokens('Profit up 12.5% to 1,234')).toEqual(['profit', 'up', '<pct>', 'to', '<num>']);
  });
});

describe('fnv1a32 on non-ASCII input', () => {
  it('hashes the UTF-8 bytes', () => {
    // FNV-1a of the UTF-8 bytes c3 a9 ("é"), computed by hand from the definition
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(h);
  });
});
