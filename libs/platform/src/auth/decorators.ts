import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'suite:public';
export const ROLES_KEY = 'suite:roles';

/** The route needs no bearer token (health, metrics, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (admin may call everything). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Extracts the request from an HTTP or GraphQL execution context. */
export function requestOf(ctx: ExecutionContext): { headers: Record<string, string | undefined>; principal?: Principal } {
  if (ctx.getType<string>() === 'graphql') {
    const gqlCtx = ctx.getArgs()[2] as { req?: unknown; extra?: { request?: unknown } };
    return (gqlCtx?.req ?? gqlCtx?.extra?.request ?? gqlCtx) as never;
  }
  return ctx.switchToHttp().getRequest();
}

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => requestOf(ctx).principal);
