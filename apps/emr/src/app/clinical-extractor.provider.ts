import type { Provider } from '@nestjs/common';
import { ModelRegistry } from '@suite/inference';
import { ClinicalExtractor } from '@suite/clinical-nlp';

/** Loads clinical-ner once at start (card and checksums checked), so a bad model stops the service. */
export const clinicalExtractorProvider: Provider = {
  provide: ClinicalExtractor,
  inject: [ModelRegistry],
  useFactory: (registry: ModelRegistry) => ClinicalExtractor.fromRegistry(registry),
};
