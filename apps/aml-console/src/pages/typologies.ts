import { api } from '../api/api-client';
import type { AmlRule, Page } from '../api/aml-types';
import { useApi } from '../layout/use-api';

/** Typologies of the starter rule set plus "model" (model-only alerts), until the rules are read. */
export const TYPOLOGIES = ['fan-out', 'fan-in', 'cycle', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack', 'random', 'structuring', 'pass-through', 'sanctions', 'model'];

/** The typologies the active rule set can raise, plus "model"; the fixed list if the rules cannot be read. */
export function useTypologies(): string[] {
  const rules = useApi(() => api.get<Page<AmlRule>>('/api/rules', { pageSize: 500 }), []);
  if (!rules.data) return TYPOLOGIES;
  return [...new Set([...rules.data.items.map((r) => r.typology), 'model'])].sort();
}
