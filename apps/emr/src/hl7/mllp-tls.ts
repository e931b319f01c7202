import { readFileSync } from 'node:fs';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { ConfigError } from '@suite/platform';
import type { EmrConfig } from '../app/emr-config';

/**
 * TLS options of the MLLP listener from MLLP_TLS_*, or undefined for plain TCP. Half a
 * configuration (a certificate without its key, mutual TLS without a CA) stops the service:
 * silently falling back to plain TCP would put PHI on the wire unencrypted.
 */
export function listenerTls(config: EmrConfig): TlsOptions | undefined {
  const problems: { variable: string; message: string }[] = [];
  const { MLLP_TLS_CERT: cert, MLLP_TLS_KEY: key, MLLP_TLS_CA: ca, MLLP_TLS_REQUIRE_CLIENT_CERT: requireClient } = config;
  if (cert && !key) problems.push({ variable: 'MLLP_TLS_KEY', message: 'is required with MLLP_TLS_CERT' });
  if (key && !cert) problems.push({ variable: 'MLLP_TLS_CERT', message: 'is required with MLLP_TLS_KEY' });
  if ((ca || requireClient) && !(cert && key)) problems.push({ variable: ca ? 'MLLP_TLS_CA' : 'MLLP_TLS_REQUIRE_CLIENT_CERT', message: 'needs MLLP_TLS_CERT and MLLP_TLS_KEY' });
  if (requireClient && !ca) problems.push({ variable: 'MLLP_TLS_CA', message: 'is required with MLLP_TLS_REQUIRE_CLIENT_CERT=true' });
  if (problems.length) throw new ConfigError(problems);
  if (!cert || !key) return undefined;
  return {
    cert: readFileSync(cert),
    key: readFileSync(key),
    ca: ca ? readFileSync(ca) : undefined,
    requestCert: requireClient,
    rejectUnauthorized: requireClient,
    minVersion: 'TLSv1.2',
    handshakeTimeout: config.MLLP_READ_TIMEOUT_MS,
  };
}

/** TLS options for the outbound MLLP client from EMR_DOWNSTREAM_TLS_*, or undefined for plain TCP. */
export function downstreamTls(config: EmrConfig): ConnectionOptions | undefined {
  const { EMR_DOWNSTREAM_TLS_CA: ca, EMR_DOWNSTREAM_TLS_CERT: cert, EMR_DOWNSTREAM_TLS_KEY: key } = config;
  const problems: { variable: string; message: string }[] = [];
  if ((cert || key) && !ca) problems.push({ variable: 'EMR_DOWNSTREAM_TLS_CA', message: 'is required with EMR_DOWNSTREAM_TLS_CERT/KEY' });
  if (cert && !key) problems.push({ variable: 'EMR_DOWNSTREAM_TLS_KEY', message: 'is required with EMR_DOWNSTREAM_TLS_CERT' });
  if (key && !cert) problems.push({ variable: 'EMR_DOWNSTREAM_TLS_CERT', message: 'is required with EMR_DOWNSTREAM_TLS_KEY' });
  if (problems.length) throw new ConfigError(problems);
  if (!ca) return undefined;
  return { ca: readFileSync(ca), cert: cert ? readFileSync(cert) : undefined, key: key ? readFileSync(key) : undefined, minVersion: 'TLSv1.2' };
}
