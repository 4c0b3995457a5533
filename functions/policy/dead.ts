/**
 * What of a policy can never apply on a given endpoint (CCE.9), judged statement by statement:
 * - a whole statement is dead when none of it can apply here: every action is of the other
 *   endpoint kind (Git vs API) or of another service, or every resource names another
 *   partition, region or service or is malformed, or a condition never holds here (aws:SourceVpc
 *   or aws:SourceVpce naming another VPC or endpoint, IpAddress on aws:SourceIp, absent here);
 * - actions that name no real CodeCommit action (typos) are reported one by one, always.
 * Statements that mix Git and API actions, or that one policy shares between the Git and API
 * endpoints, are the normal pattern: their other-kind parts are not findings.
 */
import { CODECOMMIT_ACTIONS } from './codecommit-actions';
import { actionsOf, type EndpointFacts } from './analyze';
import { EndpointContext, evaluateCondition, wildcardMatch } from './match';
import type { Policy, Statement } from './parse';

/** Why a statement never applies here; callers branch on `kind`, never on `text`. */
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

/** An action pattern that names no real CodeCommit action, and the action it most likely meant. */
export interface Typo {
  element: 'Action' | 'NotAction';
  pattern: string;
  suggestion: string | undefined;
}

export interface DeadStatement {
  statement: Statement;
  /** The whole statement never applies on this endpoint. */
  whole: boolean;
  /** Why the whole statement never applies (empty unless `whole`). */
  reasons: DeadReason[];
  /** Misspelt actions, reported one by one whether or not the rest of the statement applies. */
  typos: Typo[];
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

/** The real action a misspelt one most likely meant (within three edits), if any. */
export function closestAction(pattern: string): string | undefined {
  if (pattern.length > 80) return undefined; // nobody misspells at that length; keep the work bounded
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

type ActionFate = 'live' | 'unknown-action' | 'not-codecommit' | 'other-endpoint-kind';

/** Whether an Action pattern can apply on this endpoint, and if not, why. */
function actionFate(pattern: string, relevant: readonly string[]): ActionFate {
  if (pattern === '*') return 'live';
  const matching = ALL_ACTIONS.filter((action) => wildcardMatch(pattern, action, true));
  if (matching.length === 0) {
    const service = pattern.split(':')[0] ?? '';
    return !/[*?]/.test(service) && service.toLowerCase() !== 'codecommit' ? 'not-codecommit' : 'unknown-action';
  }
  return matching.some((action) => relevant.includes(action)) ? 'live' : 'other-endpoint-kind';
}

/** "a", "a and b", "a, b and 3 more": a list in a message stays short. */
function few(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}

/** One reason per kind of dead action, naming the patterns. */
function actionReasons(fates: { pattern: string; fate: ActionFate }[], facts: EndpointFacts): DeadReason[] {
  const of = (fate: ActionFate): string[] => fates.filter((f) => f.fate === fate).map((f) => f.pattern);
  const reasons: DeadReason[] = [];
  const other = of('not-codecommit');
  if (other.length > 0) {
    const verb = other.length > 1 ? 'are not CodeCommit actions' : 'is not a CodeCommit action';
    reasons.push({ kind: 'not-codecommit', text: `${few(other)} ${verb}` });
  }
  const misplaced = of('other-endpoint-kind');
  if (misplaced.length > 0) {
    const text =
      facts.traffic === 'api'
        ? `${few(misplaced)} ${misplaced.length > 1 ? 'are Git actions' : 'is a Git action'}, which never go${misplaced.length > 1 ? '' : 'es'} through this API endpoint`
        : `${few(misplaced)} name${misplaced.length > 1 ? '' : 's'} only API actions, which never go through this Git endpoint`;
    reasons.push({ kind: 'other-endpoint-kind', text });
  }
  for (const pattern of of('unknown-action')) {
    reasons.push({ kind: 'unknown-action', text: `${pattern} names no real CodeCommit action` });
  }
  return reasons;
}

/**
 * Why a Resource pattern can never match a repository reached through this endpoint, said of
 * the pattern ("names region us-west-2, not us-east-2"), or undefined if it can.
 */
export function deadResource(pattern: string, facts: EndpointFacts): { singular: string; plural: string } | undefined {
  if (pattern === '*') return undefined;
  const parts = pattern.split(':');
  const openEnded = (parts[parts.length - 1] ?? '').includes('*');
  const says = (singular: string, plural: string) => ({ singular, plural });
  if (parts[0] === undefined || !wildcardMatch(parts[0], 'arn')) return says('is not an ARN', 'are not ARNs');
  if (parts.length < 6 && !openEnded) return says('is a malformed ARN', 'are malformed ARNs');
  const [, partition, service, region, account] = parts;
  if (partition !== undefined && !wildcardMatch(partition, facts.partition)) {
    return says(
      `names partition ${partition || '(empty)'}, not ${facts.partition}`,
      `name partition ${partition || '(empty)'}, not ${facts.partition}`,
    );
  }
  if (service !== undefined && !wildcardMatch(service, 'codecommit')) {
    return says(
      `names service ${service || '(empty)'}, not codecommit`,
      `name service ${service || '(empty)'}, not codecommit`,
    );
  }
  if (region !== undefined && !wildcardMatch(region, facts.region)) {
    return says(
      `names region ${region || '(empty)'}, not ${facts.region}`,
      `name region ${region || '(empty)'}, not ${facts.region}`,
    );
  }
  if (account !== undefined && parts.length >= 6 && !/[*?]/.test(account) && !/^\d{12}$/.test(account)) {
    return says('has a malformed account id', 'have malformed account ids');
  }
  return undefined;
}

/** One reason per distinct way the resources are dead, naming the patterns. */
function resourceReasons(patterns: readonly string[], facts: EndpointFacts): DeadReason[] {
  const groups = new Map<string, { patterns: string[]; plural: string; singular: string }>();
  for (const pattern of patterns) {
    const why = deadResource(pattern, facts);
    if (!why) continue;
    const group = groups.get(why.singular) ?? { patterns: [], ...why };
    group.patterns.push(pattern);
    groups.set(why.singular, group);
  }
  return [...groups.values()].map((g) => ({
    kind: 'resource',
    text: `${few(g.patterns)} ${g.patterns.length > 1 ? g.plural : g.singular}`,
  }));
}

function typo(element: Typo['element'], pattern: string): Typo {
  return { element, pattern, suggestion: closestAction(pattern) };
}

/**
 * `shared`: the same policy is attached to an endpoint of the other kind in the VPC too, so
 * actions of the other kind apply there and are not dead here.
 */
function analyzeStatement(
  s: Statement,
  facts: EndpointFacts,
  context: EndpointContext,
  shared: boolean,
): DeadStatement | undefined {
  const relevant = shared ? [...actionsOf('git'), ...actionsOf('api')] : actionsOf(facts.traffic);
  const reasons: DeadReason[] = [];
  const typos: Typo[] = [];

  if (!s.actions.negated) {
    const fates = s.actions.patterns.map((pattern) => ({ pattern, fate: actionFate(pattern, relevant) }));
    for (const { pattern, fate } of fates) if (fate === 'unknown-action') typos.push(typo('Action', pattern));
    if (fates.every(({ fate }) => fate !== 'live')) reasons.push(...actionReasons(fates, facts));
  } else {
    for (const pattern of s.actions.patterns) {
      const real = pattern === '*' || ALL_ACTIONS.some((action) => wildcardMatch(pattern, action, true));
      if (!real && /^codecommit:/i.test(pattern)) typos.push(typo('NotAction', pattern));
    }
    if (
      !shared &&
      relevant.every((action) => s.actions.patterns.some((pattern) => wildcardMatch(pattern, action, true)))
    ) {
      const kind = facts.traffic === 'git' ? 'Git' : 'API';
      reasons.push({
        kind: 'excludes-all-actions',
        text: `its NotAction excludes every action of this ${kind} endpoint`,
      });
    }
  }

  if (!s.resources.negated) {
    if (s.resources.patterns.every((pattern) => deadResource(pattern, facts) !== undefined)) {
      reasons.push(...resourceReasons(s.resources.patterns, facts));
    }
  } else if (s.resources.patterns.includes('*')) {
    reasons.push({ kind: 'excludes-all-resources', text: 'its NotResource "*" excludes every resource' });
  }

  for (const condition of s.conditions) {
    if (evaluateCondition(condition, context) !== 'false') continue;
    const key = condition.keyLower;
    const where =
      key === 'aws:sourcevpc'
        ? `never holds on ${facts.vpcId}`
        : key === 'aws:sourcevpce'
          ? `never holds on ${facts.endpointId}`
          : key === 'aws:sourceip'
            ? 'never holds through an endpoint (requests through one carry no aws:SourceIp)'
            : 'never holds here';
    reasons.push({ kind: 'condition', text: `its ${condition.operator} condition on ${condition.key} ${where}` });
  }
  const whole = reasons.length > 0;
  return whole || typos.length > 0 ? { statement: s, whole, reasons, typos } : undefined;
}

export function deadStatements(policy: Policy, facts: EndpointFacts, shared = false): DeadStatement[] {
  const context = new EndpointContext(facts.vpcId, facts.endpointId);
  return policy.statements.flatMap((s) => analyzeStatement(s, facts, context, shared) ?? []);
}
