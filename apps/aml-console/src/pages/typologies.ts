/** Typologies an alert or case can carry (the rule set's, plus "model" for model-only alerts). */
export const TYPOLOGIES = ['fan-out', 'fan-in', 'cycle', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack', 'random', 'structuring', 'pass-through', 'sanctions', 'model'];
