/**
 * Statements (or parts of them) that can never apply on a given endpoint (CCE.9):
 * resources of another partition, region or service, malformed ARNs, actions that do not
 * exist, Git-only actions on an API endpoint and API-only actions on a Git endpoint,
 * conditions on aws:SourceVpc/aws:SourceVpce that this endpoint never meets.
 */
import { CODECOMMIT_ACTIONS } from './codecommit-actions';
import { actionsOf, type EndpointFacts } from './analyze';
import { evaluateCondition, wildcardMatch } from './match';
import type { Policy, Statement } from './parse';

/** Why (part of) a statement never applies here; callers branch on `kind`, never on `text`. */
export type DeadReasonKind =
  | 'other-endpoint-kind'
  | 'not-codecommit'
  | 'unknown-action'
  | 'excludes-all-actions'
  | 'resource'
  | 'excludes-all-resources'
  | 'condition';

export interface DeadReason {
  kind: DeadReasonKind;
  text: string;
}

export interface DeadStatement {
  statement: Statement;
  /** The whole statement never applies (not just some of its actions). */
  whole: boolean;
  reasons: DeadReason[];
  /** Misspelt actions with the real action they most likely meant. */
  typos: Map<string, string | undefined>;
}

const ALL_ACTIONS = CODECOMMIT_ACTIONS.map((name) => `codecommit:${name}`);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

export function closestAction(pattern: string): string | undefined {
  const lower = pattern.toLowerCase();
  let best: string | undefined;
  let bestDistance = 4;
  for (const action of ALL_ACTIONS) {
    const distance = editDistance(lower, action.toLowerCase());
    if (distance < bestDistance) {
      best = action;
      bestDistance = distance;
    }
  }
  return best;
}

/** Why an Action pattern never applies on this endpoint, or undefined if it can. */
function deadAction(pattern: string, facts: EndpointFacts): DeadReason | undefined {
  if (pattern === '*') return undefined;
  const matching = ALL_ACTIONS.filter((action) => wildcardMatch(pattern, action, true));
  if (matching.length === 0) {
    const service = pattern.split(':')[0] ?? '';
    if (!/[*?]/.test(service) && service.toLowerCase() !== 'codecommit') {
      return { kind: 'not-codecommit', text: `${pattern} is not a CodeCommit action` };
    }
    return { kind: 'unknown-action', text: `${pattern} names no real CodeCommit action` };
  }
  const relevant = new Set(actionsOf(facts.traffic));
  if (matching.some((action) => relevant.has(action))) return undefined;
  return facts.traffic === 'api'
    ? { kind: 'other-endpoint-kind', text: `${pattern} is a Git action, which never goes through this API endpoint` }
    : {
        kind: 'other-endpoint-kind',
        text: `${pattern} names only API actions, which never go through this Git endpoint`,
      };
}

/** Why a Resource pattern can never match a repository reached through this endpoint. */
export function deadResource(pattern: string, facts: EndpointFacts): string | undefined {
  if (pattern === '*') return undefined;
  const parts = pattern.split(':');
  const openEnded = (parts[parts.length - 1] ?? '').includes('*');
  if (parts[0] === undefined || !wildcardMatch(parts[0], 'arn')) return `${pattern} is not an ARN`;
  if (parts.length < 6 && !openEnded) return `${pattern} is a malformed ARN`;
  const [, partition, service, region, account] = parts;
  if (partition !== undefined && !wildcardMatch(partition, facts.partition))
    return `${pattern} names partition ${partition}, not ${facts.partition}`;
  if (service !== undefined && !wildcardMatch(service, 'codecommit'))
    return `${pattern} names service ${service}, not codecommit`;
  if (region !== undefined && !wildcardMatch(region, facts.region))
    return `${pattern} names region ${region || '(empty)'}, not ${facts.region}`;
  if (account !== undefined && parts.length >= 6 && !/[*?]/.test(account) && !/^\d{12}$/.test(account))
    return `${pattern} has a malformed account id`;
  return undefined;
}

function fixedContext(facts: EndpointFacts): Map<string, string[]> {
  return new Map([
    ['aws:sourcevpc', [facts.vpcId]],
    ['aws:sourcevpce', [facts.endpointId]],
  ]);
}

function analyzeStatement(s: Statement, facts: EndpointFacts): DeadStatement | undefined {
  const reasons: DeadReason[] = [];
  const typos = new Map<string, string | undefined>();
  let whole = false;

  if (!s.actions.negated) {
    const dead = s.actions.patterns.map((pattern) => ({ pattern, dead: deadAction(pattern, facts) }));
    for (const { pattern, dead: d } of dead) {
      if (!d) continue;
      reasons.push(d);
      if (d.kind === 'unknown-action') typos.set(pattern, closestAction(pattern));
    }
    if (dead.every((entry) => entry.dead)) whole = true;
  } else {
    for (const pattern of s.actions.patterns) {
      if (
        pattern !== '*' &&
        !ALL_ACTIONS.some((action) => wildcardMatch(pattern, action, true)) &&
        /^codecommit:/i.test(pattern)
      ) {
        reasons.push({ kind: 'unknown-action', text: `NotAction ${pattern} names no real CodeCommit action` });
        typos.set(pattern, closestAction(pattern));
      }
    }
    const relevant = actionsOf(facts.traffic);
    if (relevant.every((action) => s.actions.patterns.some((pattern) => wildcardMatch(pattern, action, true)))) {
      reasons.push({
        kind: 'excludes-all-actions',
        text: `its NotAction excludes every action of this ${facts.traffic === 'git' ? 'Git' : 'API'} endpoint`,
      });
      whole = true;
    }
  }

  if (!s.resources.negated) {
    const dead = s.resources.patterns.map((pattern) => deadResource(pattern, facts));
    if (dead.every((reason) => reason !== undefined)) {
      reasons.push(...dead.map((text): DeadReason => ({ kind: 'resource', text })));
      whole = true;
    }
  } else if (s.resources.patterns.includes('*')) {
    reasons.push({ kind: 'excludes-all-resources', text: 'its NotResource "*" excludes every resource' });
    whole = true;
  }

  const fixed = fixedContext(facts);
  for (const condition of s.conditions) {
    const key = condition.keyLower;
    if ((key === 'aws:sourcevpc' || key === 'aws:sourcevpce') && evaluateCondition(condition, fixed) === 'false') {
      reasons.push({
        kind: 'condition',
        text: `its ${condition.operator} condition on ${condition.key} never holds on ${key === 'aws:sourcevpc' ? facts.vpcId : facts.endpointId}`,
      });
      whole = true;
    }
  }
  return reasons.length > 0 ? { statement: s, whole, reasons, typos } : undefined;
}

export function deadStatements(policy: Policy, facts: EndpointFacts): DeadStatement[] {
  return policy.statements.flatMap((s) => analyzeStatement(s, facts) ?? []);
}
