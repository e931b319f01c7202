import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { SentimentScorer } from './sentiment-scorer';

const root = join(__dirname, '../../../..');

describe('SentimentScorer on the committed news-sentiment model', () => {
  const registry = new ModelRegistry({ modelsDir: join(root, 'models'), device: 'cpu' });
  let scorer: SentimentScorer;
  beforeAll(async () => (scorer = new SentimentScorer((await registry.get('news-sentiment')) as never)));
  afterAll(() => registry.close());

  it('reproduces the card accuracy on the hand-written held-out headlines end to end in TypeScript', async () => {
    const rows = readFileSync(join(root, 'models/news-sentiment/heldout-handwritten.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const scored = await scorer.score(rows.map((r) => r[1]));
    const accuracy = scored.filter((s, i) => s.label === rows[i][0]).length / rows.length;
    const card = JSON.parse(readFileSync(join(root, 'models/news-sentiment/card.json'), 'utf8'));
    expect(accuracy).toBeCloseTo(card.metrics.heldout.accuracy, 6);
  });

  it('returns label, score in [-1, 1] and probabilities that sum to 1', async () => {
    const [s] = await scorer.score(['Acme Corp beats estimates and raises guidance']);
    expect(s.label).toBe('POSITIVE');
    expect(s.score).toBeGreaterThan(0);
    expect(s.score).toBeCloseTo(s.probabilities.positive - s.probabilities.negative, 6);
    expect(s.probabilities.negative + s.probabilities.neutral + s.probabilities.positive).toBeCloseTo(1, 5);
    expect((await scorer.score(['Globex cuts guidance, shares plunge 12%']))[0].label).toBe('NEGATIVE');
    expect(await scorer.score([])).toEqual([]);
  });
});
