import type { NoduleType } from './phantom';

/**
 * Lung-RADS v2022 categories for lung cancer screening CT (ACR), from nodule type and mean diameter
 * (mean of long and short axis, rounded to 0.1 mm). Only what image measurements can decide is
 * implemented: categories 1, 2, 3, 4A and 4B; 4X needs a radiologist's view of suspicious features,
 * and "S" findings are outside the nodule model.
 */
export const LungRadsCategory = {
  '1': 'Negative: no lung nodules',
  '2': 'Benign appearance or behaviour',
  '3': 'Probably benign',
  '4A': 'Suspicious',
  '4B': 'Very suspicious',
} as const;
export type LungRadsCategory = keyof typeof LungRadsCategory;
export const LUNG_RADS_ORDER: LungRadsCategory[] = ['1', '2', '3', '4A', '4B'];

/** Management recommended by v2022 for each category. */
export const LUNG_RADS_MANAGEMENT: Record<LungRadsCategory, string> = {
  '1': '12-month screening low-dose CT',
  '2': '12-month screening low-dose CT',
  '3': '6-month low-dose CT',
  '4A': '3-month low-dose CT; PET/CT may be considered if there is a solid component of 8 mm or more',
  '4B': 'Diagnostic chest CT with or without contrast; PET/CT; tissue sampling as appropriate',
};

export interface LungRadsInput {
  type: NoduleType;
  diameterMm: number;
  /** mean diameter of the solid component (part-solid nodules) */
  solidComponentMm?: number;
  juxtapleural?: boolean;
  /** follow-up context; omitted at baseline */
  prior?: { status: 'new' | 'growing' | 'stable'; priorDiameterMm?: number };
}

/** Category of one nodule. */
export function lungRadsCategory(n: LungRadsInput): LungRadsCategory {
  const d = Math.round(n.diameterMm * 10) / 10;
  const status = n.prior?.status ?? 'baseline';
  if (n.type === 'solid') {
    // v2022: juxtapleural (including perifissural) solid nodules < 10 mm are benign in appearance
    if (n.juxtapleural && d < 10 && status !== 'growing') return '2';
    if (status === 'new') {
      if (d < 4) return '2';
      if (d < 6) return '3';
      if (d < 8) return '4A';
      return '4B';
    }
    if (status === 'growing') return d < 8 ? '4A' : '4B';
    if (d < 6) return '2';
    if (d < 8) return '3';
    if (d < 15) return '4A';
    return '4B';
  }
  if (n.type === 'part-solid') {
    const s = Math.round((n.solidComponentMm ?? 0) * 10) / 10;
    if (status === 'new' || status === 'growing') {
      if (s >= 4) return '4B';
      if (s > 0 && (status === 'growing' || d >= 6)) return '4A';
      return '3';
    }
    if (d < 6) return '2';
    if (s < 6) return '3';
    if (s < 8) return '4A';
    return '4B';
  }
  // ground glass (non-solid)
  if (d < 30) return '2';
  return status === 'stable' ? '2' : '3';
}

/** Study category: the most suspicious nodule decides; no nodules is category 1. */
export function studyLungRads(categories: LungRadsCategory[]): LungRadsCategory {
  return categories.reduce<LungRadsCategory>((worst, c) => (LUNG_RADS_ORDER.indexOf(c) > LUNG_RADS_ORDER.indexOf(worst) ? c : worst), '1');
}

/** v2022 growth: mean diameter up by more than 1.5 mm within 12 months. */
export function isGrowth(priorDiameterMm: number, currentDiameterMm: number): boolean {
  return currentDiameterMm - priorDiameterMm > 1.5;
}
