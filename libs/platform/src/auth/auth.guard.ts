import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors';
import { AuthService } from './auth.service';
import { IS_PUBLIC, requestOf, ROLES_KEY } from './decorators';
import type { Role } from './principal';

/** Every route needs `Authorization: Bearer <token|key>` unless marked @Public(); @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = requestOf(ctx);
    if (!req) throw new UnauthenticatedError();
    if (!req.principal) {
      const header = req.headers?.authorization ?? req.headers?.Authorization;
      const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!match) throw new UnauthenticatedError();
      const principal = await this.auth.authenticate(match[1]);
      if (!principal) throw new UnauthenticatedError('The bearer token is invalid, revoked or expired');
      req.principal = principal;
    }
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles?.length && req.principal.role !== 'admin' && !roles.includes(req.principal.role)) {
      throw new ForbiddenError(`This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
