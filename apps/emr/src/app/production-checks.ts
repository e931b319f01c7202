import type { Provider } from '@nestjs/common';
import { ConfigError, SERVICE_CONFIG } from '@suite/platform';
import type { EmrConfig } from './emr-config';

/** Surrogates derived from a known development key would be reversible: refuse to run so in production. */
export const requireDeidSecretInProduction: Provider = {
  provide: 'EMR_PRODUCTION_CHECKS',
  inject: [SERVICE_CONFIG],
  useFactory: (config: EmrConfig) => {
    if (config.NODE_ENV === 'production' && !config.EMR_DEID_SECRET) {
      throw new ConfigError([{ variable: 'EMR_DEID_SECRET', message: 'is required in production' }]);
    }
    return true;
  },
};
