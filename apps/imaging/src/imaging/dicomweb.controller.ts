import { Controller, Get, NotAcceptableException, Param, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { attr, buildMultipartRelated, DicomError, DicomJson, instanceMetadata, parseContentType, parseInstance, parseMultipartRelated, renderFramePng } from '@suite/dicom';
import { NotFoundError, Roles, UnprocessableError, ValidationError } from '@suite/platform';
import type { HttpRequest as Request, HttpResponse as Response } from './http-types';
import { IngestFailure, IngestService, StoredInstance } from './ingest.service';
import { QidoService } from './qido.service';
import { StudyFiles } from './study-files';

/**
 * DICOMweb (PS3.18): STOW-RS, QIDO-RS and WADO-RS under /dicomweb, so PACS, viewers and
 * dcmtk/Orthanc-style tools talk to the service in the standard's own terms.
 */
@ApiTags('dicomweb')
@Controller('dicomweb')
export class DicomwebController {
  constructor(
    private readonly ingest: IngestService,
    private readonly qido: QidoService,
    private readonly files: StudyFiles,
  ) {}

  @Post('studies')
  @Roles('integration', 'clinician', 'service')
  async stow(@Req() req: Request, @Res() res: Response) {
    return this.store(req, res);
  }

  @Post('studies/:study')
  @Roles('integration', 'clinician', 'service')
  async stowToStudy(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    return this.store(req, res, study);
  }

  private async store(req: Request, res: Response, study?: string) {
    const ct = parseContentType(req.headers['content-type']);
    if (ct.mediaType !== 'multipart/related') {
      throw new UnsupportedMediaTypeException(`STOW-RS needs multipart/related; type="application/dicom", got ${ct.mediaType || 'no Content-Type'}`);
    }
    const type = (ct.params.type ?? 'application/dicom').toLowerCase();
    if (type !== 'application/dicom') throw new UnsupportedMediaTypeException(`only type="application/dicom" is accepted (got ${type}); metadata+bulkdata uploads are not supported`);
    const body = rawBody(req);
    let parts;
    try {
      parts = parseMultipartRelated(body, req.headers['content-type']);
    } catch (e) {
      throw new ValidationError(`cannot read the multipart body: ${(e as Error).message}`);
    }
    if (!parts.length) throw new ValidationError('the multipart body has no parts');
    const base = baseUrl(req);
    const stored: StoredInstance[] = [];
    const failed: { sopClassUid?: string; sopInstanceUid?: string; reason: number; message: string }[] = [];
    for (const part of parts) {
      const partType = (part.headers['content-type'] ?? 'application/dicom').split(';')[0].trim().toLowerCase();
      if (partType !== 'application/dicom') {
        failed.push({ reason: 0xc000, message: `part of type ${partType} is not application/dicom` });
        continue;
      }
      try {
        stored.push(await this.ingest.ingest(part.body, { expectStudyUid: study }));
      } catch (e) {
        if (e instanceof IngestFailure) failed.push({ sopClassUid: e.sopClassUid, sopInstanceUid: e.sopInstanceUid, reason: e.reason, message: e.message });
        else failed.push({ reason: 0x0110, message: `processing failure: ${(e as Error).message}` });
      }
    }
    const response: DicomJson = {};
    const studyUid = study ?? stored[0]?.studyInstanceUid;
    if (studyUid) response['00081190'] = attr('UR', `${base}/studies/${studyUid}`);
    if (stored.length) {
      response['00081199'] = {
        vr: 'SQ',
        Value: stored.map((s) => ({
          '00081150': attr('UI', s.sopClassUid),
          '00081155': attr('UI', s.sopInstanceUid),
          '00081190': attr('UR', `${base}/studies/${s.studyInstanceUid}/series/${s.seriesInstanceUid}/instances/${s.sopInstanceUid}`),
          ...(s.warning ? { '00081196': attr('US', 0xb000), '00000902': attr('LO', s.warning.slice(0, 64)) } : {}),
        })),
      };
    }
    if (failed.length) {
      response['00081198'] = {
        vr: 'SQ',
        Value: failed.map((f) => ({
          '00081150': attr('UI', f.sopClassUid),
          '00081155': attr('UI', f.sopInstanceUid),
          '00081197': attr('US', f.reason),
          // the reason in words (Error Comment), for people reading the response
          '00000902': attr('LO', f.message.slice(0, 64)),
        })),
      };
    }
    // 200 all stored, 202 stored with failures or warnings, 409 nothing stored
    const status = !stored.length ? 409 : failed.length || stored.some((s) => s.warning) ? 202 : 200;
    res.status(status).type('application/dicom+json').send(JSON.stringify(response));
  }

  @Get('studies')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchStudies(@Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.studies(q, baseUrl(req)));
  }

  @Get('series')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchAllSeries(@Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.series(q, baseUrl(req)));
  }

  @Get('instances')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchAllInstances(@Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.instances(q, baseUrl(req)));
  }

  @Get('studies/:study/series')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchSeries(@Param('study') study: string, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.series(q, baseUrl(req), study));
  }

  @Get('studies/:study/instances')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchStudyInstances(@Param('study') study: string, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.instances(q, baseUrl(req), study));
  }

  @Get('studies/:study/series/:series/instances')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async searchSeriesInstances(@Param('study') study: string, @Param('series') series: string, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    sendJson(res, await this.qido.instances(q, baseUrl(req), study, series));
  }

  // ---- WADO-RS ----

  @Get('studies/:study')
  @Roles('integration', 'clinician', 'service')
  async retrieveStudy(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    await this.sendInstances(res, req, await this.files.instanceUids({ studyInstanceUid: study }));
  }

  @Get('studies/:study/series/:series')
  @Roles('integration', 'clinician', 'service')
  async retrieveSeries(@Param('study') study: string, @Param('series') series: string, @Req() req: Request, @Res() res: Response) {
    await this.sendInstances(res, req, await this.files.instanceUids({ studyInstanceUid: study, seriesInstanceUid: series }));
  }

  @Get('studies/:study/series/:series/instances/:sop')
  @Roles('integration', 'clinician', 'service')
  async retrieveInstance(@Param('study') study: string, @Param('series') series: string, @Param('sop') sop: string, @Req() req: Request, @Res() res: Response) {
    await this.sendInstances(res, req, await this.files.instanceUids({ studyInstanceUid: study, seriesInstanceUid: series, sopInstanceUid: sop }));
  }

  @Get('studies/:study/metadata')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async studyMetadata(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    await this.sendMetadata(res, req, await this.files.instanceUids({ studyInstanceUid: study }));
  }

  @Get('studies/:study/series/:series/metadata')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async seriesMetadata(@Param('study') study: string, @Param('series') series: string, @Req() req: Request, @Res() res: Response) {
    await this.sendMetadata(res, req, await this.files.instanceUids({ studyInstanceUid: study, seriesInstanceUid: series }));
  }

  @Get('studies/:study/series/:series/instances/:sop/rendered')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async renderedInstance(@Param('sop') sop: string, @Query('window') window: string | undefined, @Res() res: Response) {
    await this.sendRendered(res, sop, 1, window);
  }

  @Get('studies/:study/series/:series/instances/:sop/frames/:frames/rendered')
  @Roles('integration', 'clinician', 'service', 'researcher')
  async renderedFrame(@Param('sop') sop: string, @Param('frames') frames: string, @Query('window') window: string | undefined, @Res() res: Response) {
    const frame = Number(frames.split(',')[0]);
    if (!Number.isInteger(frame) || frame < 1) throw new ValidationError(`frame numbers start at 1; got ${frames}`);
    await this.sendRendered(res, sop, frame, window);
  }

  private async sendInstances(res: Response, req: Request, uids: string[]) {
    if (!uids.length) throw new NotFoundError('no such study, series or instance');
    const accept = String(req.headers.accept ?? '');
    if (accept && !/multipart\/related|\*\/\*|application\/dicom/.test(accept)) {
      throw new NotAcceptableException(`WADO-RS retrieve answers multipart/related; type="application/dicom"; Accept was ${accept}`);
    }
    const parts = [];
    for (const uid of uids) {
      const f = await this.ingest.read(uid);
      if (f) parts.push({ contentType: `application/dicom; transfer-syntax=${f.row.transferSyntaxUid}`, body: f.bytes });
    }
    const mp = buildMultipartRelated(parts, 'application/dicom');
    res.status(200).setHeader('Content-Type', mp.contentType);
    res.send(mp.body);
  }

  private async sendMetadata(res: Response, req: Request, uids: string[]) {
    if (!uids.length) throw new NotFoundError('no such study or series');
    const base = baseUrl(req);
    const out: DicomJson[] = [];
    for (const uid of uids) {
      const f = await this.ingest.read(uid);
      if (!f) continue;
      const inst = parseInstance(f.bytes);
      out.push(instanceMetadata(inst, `${base}/studies/${inst.studyInstanceUid}/series/${inst.seriesInstanceUid}/instances/${inst.sopInstanceUid}`));
    }
    sendJson(res, out);
  }

  private async sendRendered(res: Response, sop: string, frame: number, window: string | undefined) {
    const f = await this.ingest.read(sop);
    if (!f) throw new NotFoundError(`no instance ${sop}`);
    let win: { center: number; width: number } | undefined;
    if (window) {
      const [c, w] = window.split(',').map(Number);
      if (!Number.isFinite(c) || !Number.isFinite(w) || w < 1) throw new ValidationError(`window must be center,width[,function] with width >= 1; got ${window}`);
      win = { center: c, width: w };
    }
    try {
      const png = renderFramePng(parseInstance(f.bytes), frame - 1, win);
      res.status(200).type('image/png').send(png);
    } catch (e) {
      if (e instanceof DicomError) throw new UnprocessableError(`cannot render: ${e.message}`);
      throw e;
    }
  }
}


export function rawBody(req: Request): Buffer {
  const b = (req as { body?: unknown }).body;
  if (Buffer.isBuffer(b) && b.length > 0) return b;
  throw new ValidationError('empty body: send the DICOM data as the request body');
}

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}/dicomweb`;
}

function sendJson(res: Response, body: unknown) {
  res.status(200).type('application/dicom+json').send(JSON.stringify(body));
}

