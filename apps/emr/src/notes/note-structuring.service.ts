import { Inject, Injectable } from '@nestjs/common';
import { AuditService, DATABASE, type Database, UnprocessableError, ValidationError } from '@suite/platform';
import { ClinicalExtractor, MAX_NOTE_CHARS, type Extraction } from '@suite/clinical-nlp';
import type { Prisma } from '@suite/platform';

/** Who is asking and why: written to the audit chain with every access to a note or its result. */
export interface Access {
  actor: string;
  reason: string;
}

/** A stored note with its extraction. */
export interface StoredNote {
  id: string;
  text: string;
  patientId: string | null;
  encounterId: string | null;
  createdAt: Date;
  modelVersion: string;
  result: Extraction;
}

/** Structures notes: extraction, storage and the audit trail of who saw what. */
@Injectable()
export class NoteStructuringService {
  constructor(
    private readonly extractor: ClinicalExtractor,
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /** @returns the model version used for extraction. */
  get modelVersion(): string {
    return this.extractor.modelVersion;
  }

  /**
   * Runs the pipeline without storing anything (HL7 intake stores in its own transaction).
   * @param text - the note.
   * @returns entities and relations.
   */
  async extract(text: string): Promise<Extraction> {
    if (text.length > MAX_NOTE_CHARS) throw new UnprocessableError(`note has ${text.length} characters; the limit is ${MAX_NOTE_CHARS}`);
    if (text.trim() === '') throw new ValidationError('note text is empty');
    return this.extractor.extract(text);
  }

  /**
   * Extracts, stores and audits a note submitted over REST.
   * @param input - the note and optional patient/encounter ids.
   * @param access - who and why.
   * @returns the stored note.
   */
  async structure(input: { text: string; patientId?: string; encounterId?: string }, access: Access): Promise<StoredNote> {
    const result = await this.extract(input.text);
    const note = await this.db.prisma.emrNote.create({
      data: {
        text: input.text,
        patientId: input.patientId ?? null,
        encounterId: input.encounterId ?? null,
        source: 'rest',
        result: result as unknown as Prisma.InputJsonValue,
        modelVersion: this.modelVersion,
        createdBy: access.actor,
      },
    });
    await this.audit.append({ actor: access.actor, action: 'note.structure', subject: `note:${note.id}`, reason: access.reason, detail: { entities: result.entities.length, patientId: input.patientId ?? null } });
    return { ...note, result };
  }

  /**
   * @param id - note id.
   * @param access - who and why (audited).
   * @returns the note, or undefined.
   */
  async read(id: string, access: Access): Promise<StoredNote | undefined> {
    const note = await this.db.prisma.emrNote.findUnique({ where: { id } });
    if (!note) return undefined;
    await this.audit.append({ actor: access.actor, action: 'note.read', subject: `note:${id}`, reason: access.reason });
    return { ...note, result: note.result as unknown as Extraction };
  }
}
