import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_COMPLEXITY = 50_000;
/**
 * Tokens per document, checked by the parser before anything else: graphql-js validation and the
 * complexity estimator recurse through fragment spreads, and a chain of a few thousand fragments
 * overflows the stack (a 500) before the depth and complexity limits are reached. Large inputs go
 * in variables, which do not count.
 */
export const MAX_QUERY_TOKENS = 10_000;

function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, seen) : 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    } else {
      const name = sel.name.value;
      if (seen.has(name) || !fragments[name]) continue; // cycles are reported by graphql's own rule
      max = Math.max(max, depthOf(fragments[name].selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

/** Depth of the deepest field path of each operation in a document (fragments followed). */
export function operationDepths(doc: DocumentNode): { name: string | null; depth: number }[] {
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return doc.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => ({ name: d.name?.value ?? null, depth: depthOf(d.selectionSet, fragments, new Set()) }));
}

/**
 * Apollo plugin: refuses, before anything executes, operations nested deeper than `maxDepth` and
 * operations whose estimated cost exceeds `maxComplexity` (field `complexity` settings: list fields
 * cost their page size times their children).
 */
export function queryLimits(schemaOf: () => GraphQLSchema, maxDepth: number, max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          for (const op of operationDepths(document)) {
            if (op.depth > maxDepth) {
              throw new GraphQLError(`Query depth ${op.depth} exceeds the limit of ${maxDepth}${op.name ? ` in operation ${op.name}` : ''}`, {
                extensions: { code: 'QUERY_TOO_DEEP', depth: op.depth, limit: maxDepth, http: { status: 400 } },
              });
            }
          }
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: schemaOf(),
              operationName: request.operationName ?? undefined,
              query: document,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (err) {
            // the estimator coerces the variables and counts nodes before Apollo does: its refusals
            // (missing or mistyped variables, too many nodes) are the client's, not a server fault
            if (!(err instanceof GraphQLError)) throw err;
            const code = /maximum allowed number of nodes/.test(err.message) ? 'QUERY_TOO_COMPLEX' : 'BAD_USER_INPUT';
            throw new GraphQLError(err.message, { nodes: err.nodes, extensions: { code, http: { status: 400 } } });
          }
          if (complexity > max) {
            throw new GraphQLError(`Query complexity ${complexity} exceeds the limit of ${max}; ask for smaller pages (first) or fewer fields`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, limit: max, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
