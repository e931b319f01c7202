export const Role = {
  /** Works alerts and cases. */
  analyst: 'analyst',
  /** Approves (four eyes), escalations, rule activation. */
  supervisor: 'supervisor',
  /** Users, keys, configuration. */
  admin: 'admin',
  /** Quant researcher (trading). */
  researcher: 'researcher',
  /** Reads structured notes and imaging findings. */
  clinician: 'clinician',
  /** A hospital or bank system integrating over the APIs. */
  integration: 'integration',
  /** Another service of the suite. */
  service: 'service',
} as const;
export type Role = keyof typeof Role;
export const ROLES = Object.keys(Role) as Role[];

/** Who is calling: a logged-in user or an API key. */
export interface Principal {
  id: string;
  kind: 'user' | 'apiKey';
  name: string;
  role: Role;
}
