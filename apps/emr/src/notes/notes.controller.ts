import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { buildFhirBundle, deidentify, MAX_NOTE_CHARS } from '@suite/clinical-nlp';
import { CurrentPrincipal, NotFoundError, Roles, SERVICE_CONFIG, ValidationError, type Principal } from '@suite/platform';
import type { EmrConfig } from '../app/emr-config';
import { accessOf, PURPOSE_HEADER } from './access-reason';
import { NoteStructuringService, type StoredNote } from './note-structuring.service';

const NoteInput = z.object({
  text: z.string().min(1).max(MAX_NOTE_CHARS),
  patientId: z.string().min(1).max(128).optional(),
  encounterId: z.string().min(1).max(128).optional(),
});

const DeidInput = z.object({
  text: z.string().min(1).max(MAX_NOTE_CHARS),
  /** Surrogates are consistent per patient key (e.g. the MRN). */
  patientId: z.string().min(1).max(128),
  /** Names known from the record, replaced wherever they appear. */
  names: z.array(z.string().min(1).max(200)).max(20).optional(),
});

function parseFormat(format: string | undefined): 'json' | 'fhir' {
  if (format === undefined || format === 'json') return 'json';
  if (format === 'fhir') return 'fhir';
  throw new ValidationError(`format must be json or fhir, not ${format}`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError('invalid request', r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

/** REST surface: structure a note, read it back (JSON or FHIR R4), de-identify text. */
@ApiTags('notes')
@ApiBearerAuth()
@Controller('api')
export class NotesController {
  constructor(
    private readonly notes: NoteStructuringService,
    @Inject(SERVICE_CONFIG) private readonly config: EmrConfig,
  ) {}

  /** Extracts entities and relations from a note; `?format=fhir` answers a FHIR R4 Bundle. */
  @Post('notes')
  @HttpCode(200)
  @Roles('clinician', 'integration', 'service', 'researcher')
  async structure(@Body() body: unknown, @Query('format') format: string | undefined, @Headers(PURPOSE_HEADER) purpose: string | undefined, @CurrentPrincipal() who: Principal) {
    const input = parse(NoteInput, body);
    const fmt = parseFormat(format);
    const note = await this.notes.structure(input, accessOf(who, purpose, 'note structuring request'));
    return present(note, fmt);
  }

  /** A stored note and its extraction (audited; needs X-Purpose-Of-Use). */
  @Get('notes/:id')
  @Roles('clinician', 'integration', 'researcher')
  async read(@Param('id') id: string, @Query('format') format: string | undefined, @Headers(PURPOSE_HEADER) purpose: string | undefined, @CurrentPrincipal() who: Principal) {
    const fmt = parseFormat(format);
    const note = await this.notes.read(id, accessOf(who, purpose));
    if (!note) throw new NotFoundError(`no note ${id}`);
    return present(note, fmt);
  }

  /** Masks HIPAA Safe Harbor identifiers with surrogates that are consistent per patient. */
  @Post('deidentify')
  @HttpCode(200)
  @Roles('clinician', 'integration', 'researcher', 'service')
  deidentify(@Body() body: unknown) {
    const input = parse(DeidInput, body);
    const secret = this.config.EMR_DEID_SECRET ?? `development-only:${this.config.service}`;
    return deidentify(input.text, { secret, patientKey: input.patientId, knownNames: input.names });
  }
}

function present(note: StoredNote, format: 'json' | 'fhir') {
  if (format === 'fhir') {
    return buildFhirBundle({ noteId: note.id, text: note.text, patientId: note.patientId ?? undefined, encounterId: note.encounterId ?? undefined, createdAt: note.createdAt }, note.result);
  }
  return { id: note.id, modelVersion: note.modelVersion, entities: note.result.entities, relations: note.result.relations };
}
