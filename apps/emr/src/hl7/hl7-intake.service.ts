import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService, DATABASE, SERVICE_CONFIG, type Database, type Prisma } from '@suite/platform';
import {
  AckCode,
  buildOruR01,
  DocumentDecodeError,
  ErrorCondition,
  extractClinicalDocument,
  Hl7Message,
  Hl7ParseError,
  Hl7Segment,
  hl7Timestamp,
  readPatientDemographics,
  type AckError,
} from '@suite/hl7';
import type { Extraction } from '@suite/clinical-nlp';
import { SENDING_APPLICATION, type EmrConfig } from '../app/emr-config';
import { NoteStructuringService } from '../notes/note-structuring.service';
import { extractionToObservations } from './oru-observations';

/** HL7 versions this receiver accepts (MSH-12). */
export const SUPPORTED_VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1'];
/** Message types whose OBX narrative is structured. */
const NOTE_EVENTS: Record<string, string[]> = { ORU: ['R01'], MDM: ['T02'] };

/** Where a message came from. */
export interface Hl7Origin {
  channel: 'mllp' | 'http';
  /** "mllp:10.0.0.5:51234" or "apiKey:lab-interface". */
  actor: string;
}

/** The answer to one message: the ACK text and its code. */
export interface Hl7Answer {
  ack: string;
  ackCode: AckCode;
  duplicate: boolean;
}

/**
 * Receives HL7 v2 messages (from MLLP or HTTP) and answers each in original mode:
 * AA only after the message, its note and its extraction are committed in one transaction;
 * AE for a message that parses but cannot be processed (stored, so a retransmission gets the same
 * answer; transient failures are not stored so a retransmission is processed again);
 * AR for unreadable headers, unsupported types or versions. A control id (MSH-10) seen before is
 * answered with the stored ACK without processing it again.
 */
@Injectable()
export class Hl7IntakeService {
  private readonly log = new Logger('hl7-intake');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: EmrConfig,
    private readonly notes: NoteStructuringService,
    private readonly audit: AuditService,
  ) {}

  /**
   * @param raw - the message text.
   * @param origin - channel and actor for storage and audit.
   * @returns the ACK to send.
   */
  async receive(raw: string, origin: Hl7Origin): Promise<Hl7Answer> {
    let message: Hl7Message;
    try {
      message = Hl7Message.parse(raw);
    } catch (err) {
      const reason = err instanceof Hl7ParseError ? err.message : 'unreadable message';
      return { ack: rejectUnreadable(raw, reason), ackCode: 'AR', duplicate: false };
    }
    const controlId = message.controlId;
    if (!controlId) return this.answer(message, 'AR', [{ condition: ErrorCondition.RequiredFieldMissing, location: ['MSH', 1, 10], detail: 'MSH-10 (message control id) is empty' }]);
    if (controlId.length > 199) return this.answer(message, 'AR', [{ condition: ErrorCondition.DataType, location: ['MSH', 1, 10], detail: 'MSH-10 is too long' }]);

    const stored = await this.db.prisma.emrMessage.findUnique({ where: { controlId } });
    if (stored) return { ack: stored.ack, ackCode: stored.ackCode as AckCode, duplicate: true };

    const type = message.messageType;
    const version = message.version;
    let rejection: AckError | undefined;
    if (!type.code) rejection = { condition: ErrorCondition.RequiredFieldMissing, location: ['MSH', 1, 9], detail: 'MSH-9 (message type) is empty' };
    else if (!SUPPORTED_VERSIONS.includes(version)) rejection = { condition: ErrorCondition.UnsupportedVersion, location: ['MSH', 1, 12], detail: `version ${version || '(none)'} is not one of ${SUPPORTED_VERSIONS.join(', ')}` };
    else if (type.code !== 'ADT' && !(type.code in NOTE_EVENTS)) rejection = { condition: ErrorCondition.UnsupportedMessageType, location: ['MSH', 1, 9], detail: `${type.code}^${type.event} is not accepted (ORU^R01, MDM^T02, ADT)` };
    else if (type.code in NOTE_EVENTS && !NOTE_EVENTS[type.code].includes(type.event)) rejection = { condition: ErrorCondition.UnsupportedEvent, location: ['MSH', 1, 9], detail: `${type.code}^${type.event} is not accepted` };
    if (rejection) return this.store(message, raw, origin, 'AR', [rejection]);
    if (message.problems.length) return this.store(message, raw, origin, 'AE', [{ condition: ErrorCondition.SegmentSequence, detail: message.problems[0] }]);

    if (type.code === 'ADT') return this.receiveAdt(message, raw, origin);
    return this.receiveNote(message, raw, origin);
  }

  private async receiveAdt(message: Hl7Message, raw: string, origin: Hl7Origin): Promise<Hl7Answer> {
    const patient = readPatientDemographics(message);
    if (!patient) return this.store(message, raw, origin, 'AE', [{ condition: ErrorCondition.RequiredFieldMissing, location: ['PID', 1, 3], detail: 'ADT without a PID-3 patient identifier' }]);
    const { identifier, address, ...rest } = patient;
    const data = { ...rest, address: (address ?? undefined) as Prisma.InputJsonValue | undefined, lastControlId: message.controlId };
    return this.store(message, raw, origin, 'AA', [], async (tx) => {
      await tx.emrPatient.upsert({ where: { identifier }, create: { identifier, ...data }, update: data });
      return { patientId: identifier };
    });
  }

  private async receiveNote(message: Hl7Message, raw: string, origin: Hl7Origin): Promise<Hl7Answer> {
    let doc;
    try {
      doc = extractClinicalDocument(message);
    } catch (err) {
      if (err instanceof DocumentDecodeError) return this.store(message, raw, origin, 'AE', [{ condition: ErrorCondition.DataType, location: ['OBX', 1, 5], detail: err.message }]);
      throw err;
    }
    if (doc.text.trim() === '') {
      return this.store(message, raw, origin, 'AE', [{ condition: ErrorCondition.RequiredFieldMissing, location: ['OBX', 1, 5], detail: 'no OBX with a TX, FT, ST or ED value carries note text' }]);
    }
    let result: Extraction;
    try {
      result = await this.notes.extract(doc.text);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === 'UNPROCESSABLE' || e.code === 'VALIDATION') {
        return this.store(message, raw, origin, 'AE', [{ condition: ErrorCondition.DataType, location: ['OBX', 1, 5], detail: e.message }]);
      }
      // transient (overload, deadline, runtime): answer AE without storing, so a retransmission is processed
      this.log.warn(`extraction failed for ${message.controlId}: ${e.message}`);
      return this.answer(message, 'AE', [{ condition: ErrorCondition.InternalError, detail: 'temporarily unable to process; retransmit later' }]);
    }
    const downstream = this.config.EMR_DOWNSTREAM;
    return this.store(message, raw, origin, 'AA', [], async (tx) => {
      const note = await tx.emrNote.create({
        data: {
          text: doc.text,
          patientId: doc.patientId ?? null,
          encounterId: doc.encounterId ?? null,
          source: origin.channel === 'mllp' ? 'mllp' : 'http-hl7',
          controlId: message.controlId,
          result: result as unknown as Prisma.InputJsonValue,
          modelVersion: this.notes.modelVersion,
          createdBy: origin.actor,
        },
      });
      if (downstream) {
        const outControlId = `R${note.id.replace(/-/g, '').slice(0, 19)}`;
        const oru = buildOruR01(
          {
            controlId: outControlId,
            sendingApplication: SENDING_APPLICATION,
            receivingApplication: message.header.getComponent(3),
            receivingFacility: message.header.getComponent(4),
            patientId: doc.patientId,
            encounterId: doc.encounterId,
            fillerOrderNumber: note.id,
            service: { id: 'NLP-STRUCT', text: 'Structured clinical note', system: 'L' },
          },
          extractionToObservations(result),
        );
        await tx.emrOutbound.create({ data: { controlId: outControlId, sourceControlId: message.controlId, noteId: note.id, payload: oru.toString() } });
      }
      return { noteId: note.id, patientId: doc.patientId ?? null };
    });
  }

  /**
   * Stores the message with the ACK it gets (plus whatever `work` writes) in one transaction, then
   * audits and returns the ACK. A concurrent twin with the same MSH-10 loses the insert race and
   * is answered with the winner's ACK.
   */
  private async store(
    message: Hl7Message,
    raw: string,
    origin: Hl7Origin,
    ackCode: AckCode,
    errors: AckError[],
    work?: (tx: Prisma.TransactionClient) => Promise<{ noteId?: string; patientId?: string | null }>,
  ): Promise<Hl7Answer> {
    const ack = message.buildAck({ ackCode, errors, text: errors[0]?.detail, sendingApplication: SENDING_APPLICATION }).toString();
    const h = message.header;
    try {
      await this.db.prisma.$transaction(async (tx) => {
        const linked = work ? await work(tx) : {};
        await tx.emrMessage.create({
          data: {
            controlId: message.controlId,
            messageType: [message.messageType.code, message.messageType.event].filter(Boolean).join('^'),
            triggerEvent: message.messageType.event,
            version: message.version,
            sendingApplication: h.getComponent(3),
            sendingFacility: h.getComponent(4),
            channel: origin.channel,
            raw,
            ackCode,
            ack,
            error: errors.map((e) => `${e.condition.code} ${e.condition.text}${e.detail ? `: ${e.detail}` : ''}`).join('; ') || null,
            noteId: linked.noteId ?? null,
            patientId: linked.patientId ?? null,
          },
        });
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        const winner = await this.db.prisma.emrMessage.findUnique({ where: { controlId: message.controlId } });
        if (winner) return { ack: winner.ack, ackCode: winner.ackCode as AckCode, duplicate: true };
      }
      throw err;
    }
    await this.audit
      .append({ actor: origin.actor, action: 'hl7.receive', subject: `hl7:${message.controlId}`, reason: 'interface', detail: { type: `${message.messageType.code}^${message.messageType.event}`, ackCode } })
      .catch((err) => this.log.error(`audit append failed for ${message.controlId}: ${(err as Error).message}`));
    return { ack, ackCode, duplicate: false };
  }

  private answer(message: Hl7Message, ackCode: AckCode, errors: AckError[]): Hl7Answer {
    return { ack: message.buildAck({ ackCode, errors, text: errors[0]?.detail, sendingApplication: SENDING_APPLICATION }).toString(), ackCode, duplicate: false };
  }
}

/**
 * An AR for text that is not a readable message: echo MSH-10 when it can be found at all.
 * @param raw - what was received.
 * @param reason - why it cannot be read.
 * @returns the ACK text.
 */
export function rejectUnreadable(raw: string, reason: string): string {
  const firstLine = raw.replace(String.fromCharCode(0x0b), '').trimStart().split(/\r\n|\r|\n/)[0] ?? '';
  const fields = firstLine.startsWith('MSH') && firstLine.length > 3 ? firstLine.split(firstLine[3]) : [];
  const controlId = (fields[9] ?? '').replace(/[|^~\\&\r\n]/g, '').slice(0, 50);
  const version = /^2\.\d(\.\d)?$/.test(fields[11] ?? '') ? fields[11] : '2.5.1';
  const clean = (x: string) => x.replace(/[|^~\\&]/g, ' ');
  return new Hl7Message([
    new Hl7Segment(['MSH', '^~\\&', SENDING_APPLICATION, '', '', '', hl7Timestamp(new Date()), '', 'ACK', `AR${Date.now()}`, 'P', version]),
    new Hl7Segment(['MSA', 'AR', controlId, clean(reason.slice(0, 80))]),
    new Hl7Segment(['ERR', '', 'MSH^1', `${ErrorCondition.RequiredFieldMissing.code}^${ErrorCondition.RequiredFieldMissing.text}^HL70357`, 'E', '', '', '', clean(reason)]),
  ]).toString();
}
