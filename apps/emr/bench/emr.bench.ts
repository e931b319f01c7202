/**
 * `npm run bench -- emr`: one JSON line. Notes/s and characters/s for a mixed corpus (the
 * hand-written held-out notes + generated notes of every kind) through
 *  (a) REST POST /api/notes (HTTP, auth, validation, extraction, storage, audit),
 *  (b) MLLP ORU^R01 (framing, parsing, note reconstruction, extraction, commit, ACK),
 *  (c) the extraction library alone (tokenize, two model passes through the batcher, assertion),
 * each against the baseline measured in the same run: the raw clinical-ner model on the
 * corpus's pre-featurized segments in batches of 64 (tag pass only), i.e. the ceiling that
 * tokenization, relations, assertion, protocol and storage eat into.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { createTestApp } from '@suite/platform/testing';
import { ClinicalExtractor, CLINICAL_NER_MODEL, CLINICAL_NER_SERVE_OPTIONS, NerVocabulary, segmentNote, type NerVocabularyFile } from '@suite/clinical-nlp';
import { escapeHl7, DEFAULT_ENCODING, sendMllp } from '@suite/hl7';
import { AppModule } from '../src/app/app.module';
import { MllpListener } from '../src/hl7/mllp-listener';

const root = join(__dirname, '../../..');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function corpus(): string[] {
  const hand = JSON.parse(readFileSync(join(root, 'data/emr/heldout/notes.json'), 'utf8')).notes.map((n: { text: string }) => n.text);
  const gen = JSON.parse(readFileSync(join(root, 'data/emr/generated-eval-notes.json'), 'utf8')).notes.slice(0, 46).map((n: { text: string }) => n.text);
  return [...hand, ...gen];
}

async function rawModel(notes: string[]): Promise<number> {
  const registry = new ModelRegistry();
  const model = await registry.get(CLINICAL_NER_MODEL, CLINICAL_NER_SERVE_OPTIONS);
  const vocab = new NerVocabulary(JSON.parse(readFileSync(join(registry.folder(CLINICAL_NER_MODEL), 'vocab.json'), 'utf8')) as NerVocabularyFile);
  const segs = notes.flatMap((text) => segmentNote(text, vocab.file.maxSegmentTokens).map((s) => vocab.features(text, s)));
  segs.sort((a, b) => a.word_ids.length - b.word_ids.length);
  const batches = [];
  for (let i = 0; i < segs.length; i += 64) {
    const group = segs.slice(i, i + 64);
    const T = Math.max(...group.map((g) => g.word_ids.length));
    const feeds: Record<string, { dtype: 'int64'; dims: number[]; data: BigInt64Array }> = {};
    for (const k of ['word_ids', 'shape_ids', 'prefix_ids', 'suffix_ids'] as const) {
      const data = new BigInt64Array(group.length * T);
      group.forEach((g, b) => data.set(g[k], b * T));
      feeds[k] = { dtype: 'int64', dims: [group.length, T], data };
    }
    feeds.pairs = { dtype: 'int64', dims: [group.length, 1, 4], data: new BigInt64Array(group.length * 4) };
    batches.push(feeds);
  }
  for (const b of batches.slice(0, 3)) await model.runRaw(b); // warm-up
  const t0 = performance.now();
  let rounds = 0;
  while (performance.now() - t0 < 3000 || rounds < 2) {
    for (const b of batches) await model.runRaw(b);
    rounds++;
  }
  const seconds = (performance.now() - t0) / 1000;
  await registry.close();
  return seconds / rounds; // seconds per pass over the corpus
}

async function library(notes: string[]): Promise<number> {
  const registry = new ModelRegistry();
  const extractor = await ClinicalExtractor.fromRegistry(registry);
  for (const n of notes.slice(0, 4)) await extractor.extract(n);
  const seconds = await pool(notes, async (text) => {
    await extractor.extract(text);
  });
  await registry.close();
  return seconds;
}

async function pool<T>(items: T[], worker: (item: T, i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        await worker(items[i], i);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

function oru(text: string, id: string): string {
  const obx = text.split('\n').map((line, i) => `OBX|${i + 1}|TX|11506-3^Progress note^LN|1|${escapeHl7(line, DEFAULT_ENCODING)}||||||F`);
  return [`MSH|^~\\&|BENCH|SITE|EMR|SUITE|20260301080000||ORU^R01^ORU_R01|${id}|P|2.5.1`, `PID|1||BENCH-${id}`, 'OBR|1||N1|11506-3^Progress note^LN', ...obx].join('\r');
}

export async function main(): Promise<void> {
  const notes = corpus();
  const chars = notes.reduce((a, n) => a + n.length, 0);
  const rawSeconds = await rawModel(notes);
  const librarySeconds = await library(notes);

  process.env.MLLP_PORT = '0';
  process.env.MLLP_HOST = '127.0.0.1';
  delete process.env.EMR_DOWNSTREAM;
  const t = await createTestApp(AppModule);
  const url = await t.app.getUrl();
  const headers = { ...(await t.bearer('integration')), 'Content-Type': 'application/json' };
  const port = t.app.get(MllpListener).port;
  // warm-up (first session run, JIT)
  for (const n of notes.slice(0, 4)) await fetch(`${url}/api/notes`, { method: 'POST', headers, body: JSON.stringify({ text: n }) });

  const restSeconds = await pool(notes, async (text) => {
    const res = await fetch(`${url}/api/notes`, { method: 'POST', headers, body: JSON.stringify({ text }) });
    if (res.status !== 200) throw new Error(`REST ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  });
  const runId = Date.now().toString(36);
  const mllpSeconds = await pool(notes, async (text, i) => {
    const ack = await sendMllp('127.0.0.1', port, oru(text, `B${runId}-${i}`), 60_000);
    if (!ack.includes('MSA|AA|')) throw new Error(`MLLP answer: ${ack}`);
  });
  await t.close();

  const rate = (s: number) => ({ notesPerSec: +(notes.length / s).toFixed(2), charsPerSec: Math.round(chars / s) });
  const raw = rate(rawSeconds);
  const rest = rate(restSeconds);
  const mllp = rate(mllpSeconds);
  const lib = rate(librarySeconds);
  console.log(
    JSON.stringify({
      bench: 'emr',
      corpus: { notes: notes.length, chars, handWritten: 34, generated: notes.length - 34 },
      concurrency: CONCURRENCY,
      baseline: { name: 'raw clinical-ner tag pass, batches of 64 pre-featurized segments', ...raw },
      library: lib,
      rest,
      mllp,
      ratio: {
        libraryVsRaw: +(lib.notesPerSec / raw.notesPerSec).toFixed(3),
        restVsRaw: +(rest.notesPerSec / raw.notesPerSec).toFixed(3),
        mllpVsRaw: +(mllp.notesPerSec / raw.notesPerSec).toFixed(3),
      },
    }),
  );
}
