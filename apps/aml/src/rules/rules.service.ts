import { Inject, Injectable } from '@nestjs/common';
import { type AmlRule, backtestRules, InvalidRuleError, type LabelledFacts, type RuleFacts, type RuleSet, RuleTrack, STARTER_RULES, validateRule } from '@suite/aml';
import { AuditService, ConflictError, DATABASE, NotFoundError, ValidationError, type Database } from '@suite/platform';

/**
 * Rule sets as versioned data: every create, update or delete writes a whole new version; the
 * highest version is active and is recorded on every decision.
 */
@Injectable()
export class RulesService {
  private active?: RuleTrack;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /** Seeds version 1 with the starter rules when the table is empty. */
  async init(): Promise<void> {
    const count = await this.db.prisma.amlRuleSetVersion.count();
    if (!count) {
      await this.db.prisma.amlRuleSetVersion.create({ data: { version: 1, rules: STARTER_RULES as never, createdBy: 'system', comment: 'starter rule set' } }).catch(async (e) => {
        // another replica seeded it first
        if (!(await this.db.prisma.amlRuleSetVersion.count())) throw e;
      });
    }
    await this.reload();
  }

  private async reload(): Promise<RuleTrack> {
    const latest = await this.db.prisma.amlRuleSetVersion.findFirst({ orderBy: { version: 'desc' } });
    if (!latest) throw new Error('no rule set version stored');
    this.active = new RuleTrack({ version: latest.version, rules: latest.rules as unknown as AmlRule[] });
    return this.active;
  }

  async track(): Promise<RuleTrack> {
    return this.active ?? this.reload();
  }

  async activeSet(): Promise<RuleSet> {
    return (await this.track()).ruleSet;
  }

  async get(id: string): Promise<AmlRule> {
    const rule = (await this.activeSet()).rules.find((r) => r.id === id);
    if (!rule) throw new NotFoundError(`No rule ${id} in the active rule set`);
    return rule;
  }

  async versions(skip: number, take: number) {
    const [items, total] = await Promise.all([
      this.db.prisma.amlRuleSetVersion.findMany({ orderBy: { version: 'desc' }, skip, take, select: { version: true, createdBy: true, comment: true, createdAt: true, rules: true } }),
      this.db.prisma.amlRuleSetVersion.count(),
    ]);
    return { items: items.map((v) => ({ ...v, rules: undefined, ruleCount: (v.rules as unknown[]).length })), total };
  }

  async version(version: number): Promise<RuleSet & { createdBy: string; comment: string | null; createdAt: Date }> {
    const v = await this.db.prisma.amlRuleSetVersion.findUnique({ where: { version } });
    if (!v) throw new NotFoundError(`No rule set version ${version}`);
    return { version: v.version, rules: v.rules as unknown as AmlRule[], createdBy: v.createdBy, comment: v.comment, createdAt: v.createdAt };
  }

  private check(rule: AmlRule) {
    try {
      validateRule(rule);
    } catch (e) {
      if (e instanceof InvalidRuleError) throw new ValidationError(e.message);
      throw e;
    }
  }

  /** Writes a new version derived from the active one; concurrent writers get a 409, never a lost update. */
  private async writeVersion(change: (rules: AmlRule[]) => AmlRule[], actor: string, action: string, subject: string, comment?: string): Promise<RuleSet> {
    const current = await this.reload();
    const rules = change(current.ruleSet.rules.map((r) => ({ ...r })));
    rules.forEach((r) => this.check(r));
    const version = current.version + 1;
    try {
      await this.db.prisma.amlRuleSetVersion.create({ data: { version, rules: rules as never, createdBy: actor, comment: comment ?? `${action} ${subject}` } });
    } catch {
      throw new ConflictError(`rule set version ${version} was written concurrently; retry`);
    }
    await this.audit.append({ actor, action, subject: `rule:${subject}`, detail: { version } });
    await this.reload();
    return { version, rules };
  }

  create(rule: AmlRule, actor: string, comment?: string) {
    return this.writeVersion(
      (rules) => {
        if (rules.some((r) => r.id === rule.id)) throw new ConflictError(`rule ${rule.id} already exists`);
        return [...rules, rule];
      },
      actor,
      'rule.created',
      rule.id,
      comment,
    );
  }

  update(id: string, rule: AmlRule, actor: string, comment?: string) {
    if (rule.id !== id) throw new ValidationError(`rule id in the body (${rule.id}) differs from the path (${id})`);
    return this.writeVersion(
      (rules) => {
        const i = rules.findIndex((r) => r.id === id);
        if (i < 0) throw new NotFoundError(`No rule ${id} in the active rule set`);
        rules[i] = rule;
        return rules;
      },
      actor,
      'rule.updated',
      id,
      comment,
    );
  }

  remove(id: string, actor: string, comment?: string) {
    return this.writeVersion(
      (rules) => {
        if (!rules.some((r) => r.id === id)) throw new NotFoundError(`No rule ${id} in the active rule set`);
        return rules.filter((r) => r.id !== id);
      },
      actor,
      'rule.deleted',
      id,
      comment,
    );
  }

  /** Makes an old version's rules active again, as a new version. */
  async restore(version: number, actor: string) {
    const old = await this.version(version);
    return this.writeVersion(() => old.rules, actor, 'rule_set.restored', `version:${version}`, `restore of version ${version}`);
  }

  /** Backtest of a candidate set against the active one over stored labelled decisions. */
  async backtest(candidate: RuleSet, filter: { from?: Date; to?: Date; limit: number }) {
    candidate.rules.forEach((r) => this.check(r));
    const rows = await this.db.prisma.amlTransaction.findMany({
      where: { isLaundering: { not: null }, timestamp: { gte: filter.from, lte: filter.to } },
      orderBy: { seq: 'desc' },
      take: filter.limit,
      select: { facts: true, isLaundering: true },
    });
    const labelled: LabelledFacts[] = rows.map((r) => ({ facts: r.facts as RuleFacts, label: r.isLaundering === true }));
    return backtestRules(candidate, await this.activeSet(), labelled);
  }
}
