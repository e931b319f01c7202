import type { Hl7Message } from './hl7-message';

/** What an ADT message says about the patient (PID). */
export interface PatientDemographics {
  /** PID-3.1, the first identifier (MRN). */
  identifier: string;
  /** PID-3.4, the assigning authority. */
  assigningAuthority?: string;
  family?: string;
  given?: string;
  /** PID-7 as sent (YYYYMMDD...). */
  birthDate?: string;
  /** PID-8 administrative sex. */
  sex?: string;
  address?: { street?: string; city?: string; state?: string; postalCode?: string; country?: string };
  phone?: string;
}

/**
 * @param message - an ADT (or any message with a PID).
 * @returns the demographics, or undefined when there is no PID or no PID-3 identifier.
 */
export function readPatientDemographics(message: Hl7Message): PatientDemographics | undefined {
  const pid = message.getSegment('PID');
  if (!pid) return undefined;
  const identifier = pid.getComponent(3, 1) || pid.getComponent(2, 1);
  if (!identifier) return undefined;
  const opt = (s: string) => (s === '' ? undefined : s);
  const address = {
    street: opt(pid.getComponent(11, 1)),
    city: opt(pid.getComponent(11, 3)),
    state: opt(pid.getComponent(11, 4)),
    postalCode: opt(pid.getComponent(11, 5)),
    country: opt(pid.getComponent(11, 6)),
  };
  return {
    identifier,
    assigningAuthority: opt(pid.getComponent(3, 4)),
    family: opt(pid.getComponent(5, 1)),
    given: opt(pid.getComponent(5, 2)),
    birthDate: opt(pid.getComponent(7, 1)),
    sex: opt(pid.getComponent(8, 1)),
    address: Object.values(address).some((v) => v !== undefined) ? address : undefined,
    phone: opt(pid.getComponent(13, 1)),
  };
}
