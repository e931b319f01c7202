import type { CaseFile } from '../api/aml-types';

/** Runs one case action: busy while it runs, its failure shown to the user. */
export type RunAction = (fn: () => Promise<void>) => Promise<void>;
export type CaseUpdate = (f: (old: CaseFile | null) => CaseFile | null) => void;
