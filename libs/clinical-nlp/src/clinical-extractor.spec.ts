import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { ClinicalExtractor, CLINICAL_NER_MODEL } from './clinical-extractor';
import { evaluatePipeline } from './cli/evaluate-pipeline';

jest.setTimeout(180_000);

describe('ClinicalExtractor with the committed clinical-ner model', () => {
  const registry = new ModelRegistry();
  let extractor: ClinicalExtractor;
  beforeAll(async () => {
    extractor = await ClinicalExtractor.fromRegistry(registry);
  });
  afterAll(() => registry.close());

  it('returns entities whose offsets slice the note exactly, through emoji, accents and CRLF', async () => {
    const text = 'Pt 😀😀 Zoë Ødegård, 71F. HPI: c/o chest pain x2d 🙂.\r\nMeds: Metformin 500 mg PO BID; lisinopril 10mg daily\r\nNo fever. Temp 38.9 °C. Mother with breast cancer.';
    const out = await extractor.extract(text);
    expect(out.entities.length).toBeGreaterThan(4);
    for (const e of out.entities) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.text).toBe(e.text.trim());
    }
    const ids = new Set(out.entities.map((e) => e.id));
    for (const r of out.relations) expect(ids.has(r.head) && ids.has(r.tail)).toBe(true);
  });

  it('gives the same result for a note whatever else is in the batch', async () => {
    const text = 'Metformin 500 mg PO BID for DM2. Denies chest pain.';
    const alone = await extractor.extract(text);
    const crowd = await Promise.all([text, 'x '.repeat(90) + 'aspirin 81 mg daily', text, 'CXR showed RLL pneumonia.'].map((t) => extractor.extract(t)));
    expect(crowd[0]).toEqual(alone);
    expect(crowd[2]).toEqual(alone);
  });

  it('still meets the pipeline metrics written in the model card (hand-written and generated notes)', async () => {
    const card = JSON.parse(readFileSync(join(registry.folder(CLINICAL_NER_MODEL), 'card.json'), 'utf8'));
    const recorded = card.metrics.pipeline;
    expect(recorded).toBeDefined();
    const now = await evaluatePipeline(registry);
    for (const split of ['handwritten', 'generated'] as const) {
      expect(now[split].entitiesStrict.micro.f1).toBeGreaterThanOrEqual(recorded[split].entitiesStrict.micro.f1 - 0.01);
      expect(now[split].relations.micro.f1).toBeGreaterThanOrEqual(recorded[split].relations.micro.f1 - 0.01);
      expect(now[split].assertionOnGold.accuracy).toBeGreaterThanOrEqual(recorded[split].assertionOnGold.accuracy - 0.01);
    }
  }, 120_000);
});
