import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRegistry, ServedModel } from '@suite/inference';
import { AtcNormaliser } from './atc-normalisation';
import { argmaxRows, decodeBio, type DecodedSpan } from './bio-decoding';
import type { ClinicalEntity, ClinicalRelation, EntityType, Extraction, RelationType } from './clinical-entity';
import { assertProblem } from './context-assertion';
import { relationCandidates, type RelationCandidate } from './relation-candidates';
import { detectSections, sectionAt } from './sections';
import { NerVocabulary, segmentNote, type NerVocabularyFile, type TokenSpan } from './tokenizer';

/** What the extractor needs from a served model: single-row inference, batched by the server. */
export type NerModel = Pick<ServedModel, 'infer'>;

/** The model name in models/. */
export const CLINICAL_NER_MODEL = 'clinical-ner';

/** Serving options for clinical-ner: every input is padded along its variable axis. */
export const CLINICAL_NER_SERVE_OPTIONS = {
  pad: { word_ids: 0n, shape_ids: 0n, prefix_ids: 0n, suffix_ids: 0n, pairs: 0n },
  trimOutputs: { tags: 'word_ids', relations: 'pairs' },
};

/** Largest note accepted (characters); bigger notes are a client error, not a slow request. */
export const MAX_NOTE_CHARS = 200_000;

/**
 * The structuring pipeline: tokenize -> tag (BIO) -> decode entities -> relation head over
 * candidate pairs -> sections -> ConText assertion -> ATC codes. Offsets are exact by
 * construction: every entity is a slice of the input.
 */
export class ClinicalExtractor {
  private readonly dummyPair = new BigInt64Array(4);

  constructor(
    private readonly model: NerModel,
    readonly vocabulary: NerVocabulary,
    private readonly atc: AtcNormaliser = new AtcNormaliser(),
    readonly modelVersion = 'unknown',
  ) {}

  /**
   * @param registry - the inference registry.
   * @returns an extractor serving clinical-ner through the registry's batcher.
   */
  static async fromRegistry(registry: ModelRegistry): Promise<ClinicalExtractor> {
    const model = await registry.get(CLINICAL_NER_MODEL, CLINICAL_NER_SERVE_OPTIONS);
    const vocabFile = String((model.card.preprocessing as Record<string, unknown>)?.vocab ?? 'vocab.json');
    const vocab = JSON.parse(readFileSync(join(registry.folder(CLINICAL_NER_MODEL), vocabFile), 'utf8')) as NerVocabularyFile;
    return new ClinicalExtractor(model, new NerVocabulary(vocab), new AtcNormaliser(), model.card.version);
  }

  /**
   * @param text - the note.
   * @returns entities (ids T1.. in text order) and relations.
   */
  async extract(text: string): Promise<Extraction> {
    const v = this.vocabulary.file;
    const segments = segmentNote(text, v.maxSegmentTokens);
    const feats = segments.map((seg) => this.vocabulary.features(text, seg));
    // pass 1: tags (relations output ignored; one dummy pair keeps the graph's shape)
    const tagged = await Promise.all(feats.map((f) => this.model.infer({ ...f, pairs: this.dummyPair })));
    const perSegment: DecodedSpan[][] = tagged.map((out, i) => decodeBio(argmaxRows(out.tags as Float32Array, v.tags.length), segments[i], v.tags));
    // pass 2: relation head over candidate pairs, only for segments that have any
    const candidates: RelationCandidate[][] = perSegment.map((ents) => relationCandidates(ents, v.entityTypes, v.signatures, v.maxPairs));
    const relOut = await Promise.all(
      candidates.map((cands, i) => {
        if (cands.length === 0) return undefined;
        const pairs = new BigInt64Array(cands.length * 4);
        cands.forEach((c, k) => c.features.forEach((x, j) => (pairs[k * 4 + j] = BigInt(x))));
        return this.model.infer({ ...feats[i], pairs });
      }),
    );
    return this.assemble(text, perSegment, candidates, relOut.map((o) => o?.relations as Float32Array | undefined));
  }

  private assemble(text: string, perSegment: DecodedSpan[][], candidates: RelationCandidate[][], relLogits: Array<Float32Array | undefined>): Extraction {
    const v = this.vocabulary.file;
    const sections = detectSections(text);
    const flat = perSegment.flatMap((ents, si) => ents.map((e, ei) => ({ e, si, ei })));
    flat.sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end);
    const idOf = new Map<string, string>();
    const entities: ClinicalEntity[] = flat.map(({ e, si, ei }, k) => {
      const id = `T${k + 1}`;
      idOf.set(`${si}:${ei}`, id);
      const entity: ClinicalEntity = { id, type: e.type as EntityType, start: e.start, end: e.end, text: text.slice(e.start, e.end) };
      const section = sectionAt(sections, e.start);
      if (section) entity.section = section;
      if (entity.type === 'PROBLEM') entity.assertion = assertProblem(text, entity, section);
      if (entity.type === 'DRUG') {
        const code = this.atc.normalise(entity.text);
        if (code) entity.code = code;
      }
      return entity;
    });
    const relations: ClinicalRelation[] = [];
    candidates.forEach((cands, si) => {
      const logits = relLogits[si];
      if (!logits) return;
      const cls = argmaxRows(logits, v.relations.length);
      cands.forEach((c, k) => {
        if (cls[k] === 0) return;
        relations.push({ type: v.relations[cls[k]] as RelationType, head: idOf.get(`${si}:${c.head}`)!, tail: idOf.get(`${si}:${c.tail}`)! });
      });
    });
    relations.sort((a, b) => Number(a.head.slice(1)) - Number(b.head.slice(1)) || Number(a.tail.slice(1)) - Number(b.tail.slice(1)));
    return { entities, relations };
  }
}

export type { TokenSpan };
