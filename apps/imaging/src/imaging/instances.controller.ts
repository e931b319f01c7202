import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { parseContentType } from '@suite/dicom';
import { Roles, UnprocessableError, ValidationError } from '@suite/platform';
import type { HttpRequest as Request, HttpResponse as Response } from './http-types';
import { rawBody } from './dicomweb.controller';
import { DicomwebPull, PullInput } from './dicomweb-pull';
import { IngestFailure, IngestService } from './ingest.service';

/** Plain REST ingest: one DICOM object per request, and pulling a study from a DICOMweb server. */
@ApiTags('instances')
@Controller('api')
export class InstancesController {
  constructor(
    private readonly ingest: IngestService,
    private readonly pullService: DicomwebPull,
  ) {}

  /** `POST /api/instances` with `Content-Type: application/dicom`: 201 stored, 200 already stored. */
  @Post('instances')
  @Roles('integration', 'clinician', 'service')
  async store(@Req() req: Request, @Res() res: Response) {
    const type = parseContentType(req.headers['content-type']).mediaType;
    if (type !== 'application/dicom' && type !== 'application/octet-stream') {
      throw new ValidationError(`send one DICOM object with Content-Type: application/dicom (got ${type || 'none'})`);
    }
    const body = rawBody(req);
    try {
      const r = await this.ingest.ingest(body);
      res.status(r.outcome === 'stored' ? 201 : 200).json(r);
    } catch (e) {
      if (e instanceof IngestFailure) {
        throw new UnprocessableError(e.message, { failureReason: `0x${e.reason.toString(16).toUpperCase().padStart(4, '0')}` });
      }
      throw e;
    }
  }

  /** `POST /api/pull { url, studyInstanceUid }`: import a study from a DICOMweb server, as a job. */
  @Post('pull')
  @HttpCode(202)
  @Roles('integration', 'clinician', 'service')
  pull(@Body() body: PullInput) {
    return this.pullService.enqueue(body);
  }
}
