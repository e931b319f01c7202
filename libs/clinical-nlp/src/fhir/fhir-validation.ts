import Ajv from 'ajv';
import { FHIR_R4_SUBSET_SCHEMA } from './fhir-r4-subset-schema';

let validate: ReturnType<Ajv['compile']> | undefined;

/**
 * Validates a Bundle (and every resource in it) against the R4 subset schema.
 * @param bundle - a Bundle as JSON.
 * @returns the ajv errors, empty when valid.
 */
export function validateFhirBundle(bundle: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(FHIR_R4_SUBSET_SCHEMA);
  if (validate(bundle)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`.trim());
}
