import { Injectable, type OnModuleInit } from '@nestjs/common';
import { parseMultipartRelated } from '@suite/dicom';
import { JobQueue, UnprocessableError, ValidationError } from '@suite/platform';
import { IngestFailure, IngestService } from './ingest.service';

export const PULL_JOB = 'imaging.pull';

export interface PullInput {
  /** DICOMweb root, e.g. http://orthanc:8042/dicom-web */
  url: string;
  studyInstanceUid: string;
  /** optional Authorization header value for the remote server */
  authorization?: string;
}

/**
 * Import a study from a PACS speaking DICOMweb (Orthanc's plugin, dcm4chee, another instance of
 * this service): WADO-RS retrieve of the whole study as multipart/related, then the same ingest as
 * STOW. Runs as a job; the result counts stored, already stored and failed objects.
 */
@Injectable()
export class DicomwebPull implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly ingest: IngestService,
  ) {}

  onModuleInit() {
    this.jobs.register<PullInput, unknown>(PULL_JOB, (input, ctx) => this.pull(input, (f) => ctx.progress(f)));
  }

  async enqueue(input: PullInput): Promise<{ jobId: string }> {
    validate(input);
    const job = await this.jobs.enqueue(PULL_JOB, input);
    return { jobId: job.id };
  }

  async pull(input: PullInput, progress: (f: number) => Promise<void> = async () => undefined) {
    validate(input);
    const root = input.url.replace(/\/+$/, '');
    const url = `${root}/studies/${encodeURIComponent(input.studyInstanceUid)}`;
    const res = await fetch(url, {
      headers: { Accept: 'multipart/related; type="application/dicom"', ...(input.authorization ? { Authorization: input.authorization } : {}) },
    });
    if (!res.ok) throw new UnprocessableError(`the DICOMweb server answered ${res.status} ${res.statusText} for ${url}`);
    const body = Buffer.from(await res.arrayBuffer());
    const parts = parseMultipartRelated(body, res.headers.get('content-type') ?? undefined);
    await progress(0.3);
    const result = { url, studyInstanceUid: input.studyInstanceUid, received: parts.length, stored: 0, alreadyStored: 0, failed: [] as { sopInstanceUid?: string; reason: string }[] };
    for (let i = 0; i < parts.length; i++) {
      try {
        const r = await this.ingest.ingest(parts[i].body, { expectStudyUid: input.studyInstanceUid });
        if (r.outcome === 'stored') result.stored++;
        else result.alreadyStored++;
      } catch (e) {
        result.failed.push({ sopInstanceUid: e instanceof IngestFailure ? e.sopInstanceUid : undefined, reason: (e as Error).message });
      }
      if (i % 10 === 9) await progress(0.3 + (0.7 * (i + 1)) / parts.length);
    }
    return result;
  }
}

function validate(input: PullInput) {
  if (!input || typeof input.url !== 'string' || !/^https?:\/\//.test(input.url)) throw new ValidationError('url must be the http(s) root of a DICOMweb server');
  if (typeof input.studyInstanceUid !== 'string' || !/^[0-9.]{1,64}$/.test(input.studyInstanceUid)) throw new ValidationError('studyInstanceUid must be a DICOM UID');
}
