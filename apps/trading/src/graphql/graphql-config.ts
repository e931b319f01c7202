import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { AuthService } from '@suite/platform';
import type { GraphQLSchema } from 'graphql';
import { LoaderFactory } from './loaders';
import { describeRootTypes } from './schema-sdl';
import { MAX_QUERY_COMPLEXITY, MAX_QUERY_DEPTH, MAX_QUERY_TOKENS, queryLimits } from './query-limits';

interface WsContext {
  connectionParams?: Record<string, unknown>;
  extra: { request: { headers: Record<string, string | undefined>; principal?: unknown } };
}

/**
 * Apollo on /graphql, code first, schema built in memory (the committed SDL is checked against it
 * by a test). No landing page: Apollo's default loads Sandbox from the internet, and researchers'
 * networks are often closed. Subscriptions speak graphql-ws; the bearer token comes from the
 * upgrade request's Authorization header or from connectionParams.Authorization.
 */
export function graphqlConfig(auth: AuthService, loaders: LoaderFactory): ApolloDriverConfig {
  let schema: GraphQLSchema | undefined;
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: true,
    csrfPrevention: true,
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      queryLimits(() => schema as GraphQLSchema, MAX_QUERY_DEPTH, MAX_QUERY_COMPLEXITY),
      { async serverWillStart(ctx) { schema = ctx.schema; } },
    ],
    transformSchema: (s) => (schema = describeRootTypes(s)),
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onConnect: async (ctx: unknown) => {
          const c = ctx as WsContext;
          const fromParams = c.connectionParams?.Authorization ?? c.connectionParams?.authorization;
          if (typeof fromParams === 'string') c.extra.request.headers.authorization = fromParams;
          const m = /^Bearer\s+(\S+)$/i.exec(c.extra.request.headers.authorization ?? '');
          const principal = m ? await auth.authenticate(m[1]) : null;
          if (!principal) return false; // closes with 4403 Forbidden
          c.extra.request.principal = principal;
          return true;
        },
      },
    },
    // Nest's Apollo driver sets context.req to the graphql-ws context when we leave req unset, which
    // hides the upgrade request (and the principal onConnect put on it) from the platform's guard
    context: (ctx: { req?: unknown; res?: unknown; extra?: { request?: unknown }; connectionParams?: unknown }) => ({
      ...ctx,
      req: ctx.req ?? ctx.extra?.request,
      loaders: loaders.create(),
    }),
    formatError: (formatted) => {
      // keep messages and codes; drop stack traces from responses
      const { stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    },
  };
}
