import { z } from 'zod';
import { ConfigError, loadServiceConfig } from './service-config';

describe('loadServiceConfig', () => {
  it('applies defaults and the per-service port', () => {
    const cfg = loadServiceConfig('aml', 3000, undefined, { AML_PORT: '4100' });
    expect(cfg.port).toBe(4100);
    expect(cfg.INFERENCE_DEVICE).toBe('auto');
    expect(cfg.DATABASE_URL).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => loadServiceConfig('emr', 3002, undefined, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgresql/);
    expect(() => loadServiceConfig('emr', 3002, undefined, { EMR_PORT: '99999' })).toThrow(/EMR_PORT must be a port/);
    expect(() => loadServiceConfig('emr', 3002, undefined, { INFERENCE_DEVICE: 'tpu' })).toThrow(ConfigError);
  });

  it('validates service-specific variables', () => {
    const extra = { MLLP_PORT: z.coerce.number().int().min(1).max(65535).default(2575) };
    expect(loadServiceConfig('emr', 3002, extra, {}).MLLP_PORT).toBe(2575);
    expect(() => loadServiceConfig('emr', 3002, extra, { MLLP_PORT: 'abc' })).toThrow(/MLLP_PORT/);
  });
});
