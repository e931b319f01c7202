import type { ServiceConfig } from '@suite/platform';
import { z } from 'zod';

/** Imaging settings on top of the platform's (validated at start; a bad value names the variable). */
export const imagingEnv = {
  /** where DICOM files are kept (default <DATA_DIR>/imaging/instances) */
  IMAGING_STORE_DIR: z.string().optional(),
  /** largest accepted upload (STOW-RS or /api/instances) */
  IMAGING_UPLOAD_LIMIT: z.string().default('512mb'),
  /** the FROC operating point (false positives per scan) that sets the nodule threshold */
  NODULE_FP_PER_SCAN: z.coerce.number().refine((v) => [0.125, 0.25, 0.5, 1, 2, 4, 8].includes(v), 'must be one of 0.125, 0.25, 0.5, 1, 2, 4, 8').default(1),
  /** seed a demo study at start (default on outside production and tests) */
  IMAGING_DEMO: z.enum(['on', 'off']).optional(),
  /** files left by a crash (temporary writes, files no instance row names) are removed at start once older than this */
  IMAGING_ORPHAN_AGE_MINUTES: z.coerce.number().int().min(1).default(60),
};

export type ImagingConfig = ServiceConfig & {
  IMAGING_STORE_DIR?: string;
  IMAGING_UPLOAD_LIMIT: string;
  NODULE_FP_PER_SCAN: number;
  IMAGING_DEMO?: 'on' | 'off';
  IMAGING_ORPHAN_AGE_MINUTES: number;
};
