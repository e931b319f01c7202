import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService, CurrentPrincipal, DATABASE, NotFoundError, Roles, ValidationError, type Database, type Principal } from '@suite/platform';
import { accessOf, PURPOSE_HEADER } from '../notes/access-reason';
import { Hl7IntakeService } from './hl7-intake.service';

/** HL7 v2 over HTTP for systems without MLLP, and what was received under a control id. */
@ApiTags('hl7')
@ApiBearerAuth()
@Controller('api')
export class MessagesController {
  constructor(
    private readonly intake: Hl7IntakeService,
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /**
   * Accepts one ER7 message (text/plain, application/hl7-v2, or JSON { message }) and answers its
   * ACK (AA/AE/AR) as application/hl7-v2 with status 200; the ACK code is also in X-HL7-Ack-Code.
   */
  @Post('hl7')
  @HttpCode(200)
  @Roles('integration', 'service')
  async receive(@Body() body: unknown, @CurrentPrincipal() who: Principal, @Res() res: { setHeader(name: string, value: string): void; send(body: string): void }) {
    const raw = typeof body === 'string' ? body : typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined;
    if (raw === undefined || raw.trim() === '') throw new ValidationError('send one HL7 v2 message as text/plain or application/hl7-v2 (or JSON { "message": "..." })');
    const answer = await this.intake.receive(raw, { channel: 'http', actor: `${who.kind}:${who.name}` });
    res.setHeader('Content-Type', 'application/hl7-v2; charset=utf-8');
    res.setHeader('X-HL7-Ack-Code', answer.ackCode);
    if (answer.duplicate) res.setHeader('X-HL7-Duplicate', 'true');
    res.send(answer.ack);
  }

  /** What was received under an MSH-10: type, version, ACK sent, the note text and its extraction. */
  @Get('messages/:controlId')
  @Roles('integration', 'clinician')
  async message(@Param('controlId') controlId: string, @Headers(PURPOSE_HEADER) purpose: string | undefined, @CurrentPrincipal() who: Principal) {
    const access = accessOf(who, purpose);
    const msg = await this.db.prisma.emrMessage.findUnique({ where: { controlId } });
    if (!msg) throw new NotFoundError(`no message with control id ${controlId}`);
    const note = msg.noteId ? await this.db.prisma.emrNote.findUnique({ where: { id: msg.noteId } }) : null;
    await this.audit.append({ actor: access.actor, action: 'hl7.message.read', subject: `hl7:${controlId}`, reason: access.reason });
    return {
      controlId: msg.controlId,
      messageType: msg.messageType,
      version: msg.version,
      channel: msg.channel,
      sendingApplication: msg.sendingApplication,
      sendingFacility: msg.sendingFacility,
      receivedAt: msg.receivedAt,
      ackCode: msg.ackCode,
      ack: msg.ack,
      error: msg.error,
      patientId: msg.patientId,
      note: note ? { id: note.id, text: note.text, modelVersion: note.modelVersion } : null,
      extraction: note ? note.result : null,
    };
  }
}
