import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { AuthService } from './auth.service';
import { CurrentPrincipal, Public, Roles } from './decorators';
import type { Principal, Role } from './principal';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: { username?: string; password?: string }) {
    const result = await this.auth.login(String(body?.username ?? ''), String(body?.password ?? ''));
    await this.audit.append({ actor: result.user.username, action: 'auth.login', subject: `user:${result.user.id}` });
    return { token: result.token, expiresAt: result.expiresAt, user: result.user };
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: { headers: Record<string, string> }, @CurrentPrincipal() who: Principal) {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) await this.auth.logout(token);
    await this.audit.append({ actor: who.name, action: 'auth.logout', subject: `user:${who.id}` });
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() who: Principal) {
    return who;
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  @Get('api-keys')
  listKeys() {
    return this.auth.listApiKeys();
  }

  @Post('api-keys')
  async createKey(@Body() body: { name?: string; role?: Role }, @CurrentPrincipal() who: Principal) {
    const created = await this.auth.createApiKey(String(body?.name ?? 'unnamed'), body?.role as Role, who.name);
    await this.audit.append({ actor: who.name, action: 'apiKey.create', subject: `apiKey:${created.id}`, detail: { role: created.role } });
    return created;
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  async revokeKey(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    await this.auth.revokeApiKey(id);
    await this.audit.append({ actor: who.name, action: 'apiKey.revoke', subject: `apiKey:${id}` });
  }

  @Get('users')
  listUsers() {
    return this.auth.listUsers();
  }

  @Post('users')
  async createUser(@Body() body: { username?: string; password?: string; role?: Role; displayName?: string }, @CurrentPrincipal() who: Principal) {
    const user = await this.auth.createUser(String(body?.username ?? ''), String(body?.password ?? ''), body?.role as Role, body?.displayName);
    await this.audit.append({ actor: who.name, action: 'user.create', subject: `user:${user.id}`, detail: { role: user.role } });
    return user;
  }

  @Patch('users/:id')
  async updateUser(@Param('id') id: string, @Body() body: { role?: Role; active?: boolean; password?: string; displayName?: string }, @CurrentPrincipal() who: Principal) {
    const user = await this.auth.updateUser(id, body ?? {});
    await this.audit.append({ actor: who.name, action: 'user.update', subject: `user:${id}`, detail: { role: body?.role, active: body?.active } });
    return user;
  }
}
