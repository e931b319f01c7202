import { Module } from '@nestjs/common';
import { InferenceModule } from '@suite/inference';
import { PlatformModule, RetentionModule } from '@suite/platform';
import { Hl7IntakeService } from '../hl7/hl7-intake.service';
import { MessagesController } from '../hl7/messages.controller';
import { MllpListener } from '../hl7/mllp-listener';
import { OutboundDispatcher } from '../hl7/outbound-dispatcher';
import { NoteStructuringService } from '../notes/note-structuring.service';
import { NotesController } from '../notes/notes.controller';
import { clinicalExtractorProvider } from './clinical-extractor.provider';
import { emrEnv } from './emr-config';
import { emrRetentionPolicies } from './emr-retention';
import { requireDeidSecretInProduction } from './production-checks';

/**
 * EMR structuring: REST (/api/notes, /api/deidentify), HL7 v2 over HTTP (/api/hl7,
 * /api/messages/:controlId) and MLLP (MLLP_PORT), outbound ORU^R01 to EMR_DOWNSTREAM.
 * Flow: controller/listener -> NoteStructuringService / Hl7IntakeService -> @suite/clinical-nlp
 * (extraction over @suite/inference) and @suite/hl7 (parsing, ACKs) -> Prisma.
 */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'emr', defaultPort: 3002, env: emrEnv }),
    RetentionModule.forRoot({ policies: () => emrRetentionPolicies }),
    InferenceModule.forRoot(),
  ],
  controllers: [NotesController, MessagesController],
  providers: [clinicalExtractorProvider, NoteStructuringService, Hl7IntakeService, MllpListener, OutboundDispatcher, requireDeidSecretInProduction],
})
export class AppModule {}
