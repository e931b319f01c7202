import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client';
import { DATABASE, SERVICE_CONFIG } from '../tokens';
import type { Database } from '../database/open-database';
import type { ServiceConfig } from '../config/service-config';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../errors/domain-errors';
import { hashPassword, newSecret, secretHash, verifyPassword } from './credentials';
import { ROLES, type Principal, type Role } from './principal';

const CACHE_MS = 30_000;

/** Users, sessions and API keys shared by every service. */
@Injectable()
export class AuthService {
  private readonly prisma: PrismaClient;
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(@Inject(DATABASE) db: Database, @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    this.prisma = db.prisma;
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; user: { id: string; username: string; role: Role } }> {
    if (!username || !password) throw new ValidationError('username and password are required');
    const user = await this.prisma.user.findUnique({ where: { username } });
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (!user || !user.active || !ok) throw new UnauthenticatedError('Invalid username or password');
    const token = newSecret('st');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_MINUTES * 60_000);
    await this.prisma.session.create({ data: { tokenHash: secretHash(token), userId: user.id, expiresAt } });
    return { token, expiresAt, user: { id: user.id, username: user.username, role: user.role as Role } };
  }

  async logout(token: string): Promise<void> {
    const tokenHash = secretHash(token);
    this.cache.delete(tokenHash);
    await this.prisma.session.deleteMany({ where: { tokenHash } });
  }

  /** Resolves a bearer secret (session token or API key) to its principal, or null. */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = secretHash(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    let principal: Principal | null = null;
    if (secret.startsWith('st_')) {
      const session = await this.prisma.session.findUnique({ where: { tokenHash: hash }, include: { user: true } });
      if (session && session.expiresAt > new Date() && session.user.active) {
        principal = { id: session.user.id, kind: 'user', name: session.user.username, role: session.user.role as Role };
      }
      // a session must not outlive its expiry through the cache
      const until = session ? Math.min(Date.now() + CACHE_MS, session.expiresAt.getTime()) : Date.now() + CACHE_MS;
      this.cache.set(hash, { principal, until });
      return principal;
    }
    const key = await this.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    if (key && !key.revokedAt) principal = { id: key.id, kind: 'apiKey', name: key.name, role: key.role as Role };
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }

  async createApiKey(name: string, role: Role, createdBy?: string): Promise<{ id: string; key: string; role: Role }> {
    if (!ROLES.includes(role)) throw new ValidationError(`role must be one of ${ROLES.join(', ')}`);
    const key = newSecret('sk');
    const row = await this.prisma.apiKey.create({ data: { name, role, keyHash: secretHash(key), prefix: key.slice(0, 7), createdBy } });
    return { id: row.id, key, role };
  }

  /** Seeds a known key (DEMO_API_KEY) idempotently. */
  async ensureApiKey(key: string, role: Role, name: string): Promise<void> {
    const keyHash = secretHash(key);
    await this.prisma.apiKey.upsert({ where: { keyHash }, update: { revokedAt: null, role }, create: { name, role, keyHash, prefix: key.slice(0, 7) } });
  }

  listApiKeys() {
    return this.prisma.apiKey.findMany({ orderBy: { createdAt: 'desc' }, select: { id: true, name: true, prefix: true, role: true, createdAt: true, revokedAt: true, createdBy: true } });
  }

  async revokeApiKey(id: string): Promise<void> {
    const res = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (!res.count) throw new NotFoundError(`No active API key ${id}`);
    this.cache.clear();
  }

  async createUser(username: string, password: string, role: Role, displayName?: string) {
    if (!/^[a-zA-Z0-9._-]{3,64}$/.test(username)) throw new ValidationError('username must be 3-64 letters, digits, . _ or -');
    if (!password || password.length < 8) throw new ValidationError('password must be at least 8 characters');
    if (!ROLES.includes(role)) throw new ValidationError(`role must be one of ${ROLES.join(', ')}`);
    if (await this.prisma.user.findUnique({ where: { username } })) throw new ConflictError(`User ${username} exists`);
    const user = await this.prisma.user.create({ data: { username, role, displayName, passwordHash: await hashPassword(password) } });
    return { id: user.id, username: user.username, role: user.role, displayName: user.displayName, active: user.active };
  }

  /** Seeds a user idempotently (demo users); an existing user keeps its password. */
  async ensureUser(username: string, password: string, role: Role, displayName?: string): Promise<void> {
    if (await this.prisma.user.findUnique({ where: { username } })) return;
    await this.prisma.user.create({ data: { username, role, displayName, passwordHash: await hashPassword(password) } });
  }

  async updateUser(id: string, patch: { role?: Role; active?: boolean; password?: string; displayName?: string }) {
    if (patch.role && !ROLES.includes(patch.role)) throw new ValidationError(`role must be one of ${ROLES.join(', ')}`);
    const data: Record<string, unknown> = { role: patch.role, active: patch.active, displayName: patch.displayName };
    if (patch.password) data.passwordHash = await hashPassword(patch.password);
    const user = await this.prisma.user.update({ where: { id }, data }).catch(() => {
      throw new NotFoundError(`No user ${id}`);
    });
    if (patch.active === false || patch.role) {
      await this.prisma.session.deleteMany({ where: { userId: id } });
      this.cache.clear();
    }
    return { id: user.id, username: user.username, role: user.role, displayName: user.displayName, active: user.active };
  }

  listUsers() {
    return this.prisma.user.findMany({ orderBy: { username: 'asc' }, select: { id: true, username: true, displayName: true, role: true, active: true, createdAt: true } });
  }
}
