/**
 * Alerts for chat channels, in the custom-notification format of Amazon Q Developer in chat
 * applications (formerly AWS Chatbot): SNS delivers it to the `https` subscription the service
 * creates for each channel that subscribes the topic. Text is Slack mrkdwn. Finding text is
 * escaped as Slack requires (&, <, >), so a resource id or a policy's statement id can neither
 * form a link nor a mention, and every field is cut to the format's limits.
 */
import { severityRank, truncate, type Finding, type Severity } from '../core/finding';
import { securityHubFindingsLink, securityHubLink, type ReportLink } from './links';
import type { Transition } from './transitions';

/** The format's limits, in characters. */
export const CHAT_LIMITS = { title: 250, description: 8000, nextStep: 350, keyword: 75, summary: 250 } as const;

export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    /** One thread per finding: its NEW, SEVERITY_CHANGED and RESOLVED alerts follow one another. */
    threadId: string;
    summary: string;
    /** Letters, digits and hyphens: the alphabet custom-action buttons match notification types in. */
    eventType: string;
    relatedResources?: string[];
    additionalContext: Record<string, string>;
  };
}

const TOOL = 'codecommit-endpoint-auditor';

const EMOJI: Record<Severity, string> = {
  CRITICAL: ':rotating_light:',
  HIGH: ':red_circle:',
  MEDIUM: ':warning:',
  LOW: ':large_yellow_circle:',
  INFORMATIONAL: ':information_source:',
};

/**
 * Slack's three escapes, nothing more (Slack decodes only these). `@here`, `@channel` and
 * `@everyone` get a word joiner after the `@`, so finding text never notifies a whole channel.
 */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=(?:here|channel|everyone)\b)/gi, '@\u2060');
}

/** Escaped text cut to `max` characters, never inside an escape or a surrogate pair. */
function limit(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return truncate(escaped, max).replace(/(?:&[a-z]{0,3}|[\uD800-\uDBFF])…$/, '…');
}

/**
 * Text from a finding, made inert: escaped, and with a word joiner (U+2060) where Slack would
 * otherwise make a link or a mention of it (`://`, `www.`, `#channel`, `@name`); backticks become
 * quotes so no code block swallows the rest of the message.
 */
export function inert(raw: string): string {
  return escapeSlack(raw.replace(/`/g, "'"))
    .replace(/:\/\//g, ':\u2060//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u2060.`)
    .replace(/#/g, '#\u2060')
    .replace(/@(?!\u2060)/g, '@\u2060');
}

function fit(raw: string, max: number): string {
  return limit(inert(raw), max);
}

function eventType(kind: string): string {
  return `${TOOL}-${kind.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** `[label] CCE.n Title: resource`, the check's title shortened first so that the resource stays. */
function titleOf(emoji: string, label: string, f: Finding): string {
  const head = `${emoji} [${escapeSlack(label)}] ${escapeSlack(f.checkId)} `;
  const where = `: ${fit(f.resourceId, 120)}`;
  const room = Math.max(10, CHAT_LIMITS.title - head.length - where.length);
  return limit(`${head}${fit(f.title, room)}${where}`, CHAT_LIMITS.title);
}

function whereOf(f: Finding): string {
  const vpc = f.vpcId ? `, VPC ${fit(f.vpcId, 100)}` : '';
  return `*Where:* account ${fit(f.accountId, 20)}, region ${fit(f.region, 30)}${vpc}`;
}

/** The proven fix in one line: what it changes, and where the corrected policy is. */
function fixLine(f: Finding): string {
  const at = f.remediation.indexOf('aws ec2 modify-vpc-endpoint');
  const words = (at > 0 ? f.remediation.slice(0, at) : '').replace(/[:.\s]+$/, '');
  return (
    `*Proven fix:* ${words ? `${fit(words, 1000)}. ` : ''}The auditor applied the corrected policy and judged it again ` +
    'before offering it; it is in the finding: `fix.policyDocument` in the scan output (`--format json`), ' +
    '`codecommit-endpoint-auditor/FixPolicyDocument` in Security Hub (ProductFields).'
  );
}

function remediationStep(f: Finding): string {
  if (f.fix && f.resourceType === 'AWS::EC2::VPCEndpoint') {
    const command =
      `aws ec2 modify-vpc-endpoint --region ${f.region} --vpc-endpoint-id ${f.resourceId} ` +
      '--policy-document file://fixed-policy.json';
    return limit(escapeSlack(`Apply the proven fix, saved as fixed-policy.json: \`${command}\``), CHAT_LIMITS.nextStep);
  }
  const whole = inert(f.remediation);
  // A command cut short could do half of what it should: a long remediation is not repeated here.
  if (whole.length <= CHAT_LIMITS.nextStep) return whole;
  return 'Follow *How to fix* above: its commands are too long to repeat in a step.';
}

function findingLinkStep(f: Finding, label: string): string {
  const step = `<${securityHubLink(f)}|${label}>`;
  if (step.length <= CHAT_LIMITS.nextStep) return step;
  return `<${securityHubFindingsLink(f.region)}|Security Hub findings in ${escapeSlack(f.region)}>`;
}

/** The chat notification of one alert on a finding. */
export function chatForTransition(t: Transition): ChatNotification {
  const f = t.finding;
  const resolved = t.kind === 'RESOLVED';
  const severity = resolved ? (t.previousSeverity ?? f.severity) : f.severity;
  const [emoji, label, headline] =
    t.kind === 'NEW'
      ? [EMOJI[f.severity], f.severity, `New ${f.severity} finding`]
      : t.kind === 'RESOLVED'
        ? [':white_check_mark:', `RESOLVED, was ${severity}`, `Resolved (was ${severity})`]
        : [
            EMOJI[f.severity],
            `${t.previousSeverity ?? '?'} → ${f.severity}`,
            `Severity changed from ${t.previousSeverity ?? '?'} to ${f.severity}`,
          ];
  const description = [
    `*${headline}:* ${fit(f.title, 300)}`,
    whereOf(f),
    `*Resource:* ${escapeSlack(f.resourceType)} ${fit(f.resourceId, 300)}`,
    `*${resolved ? 'Now' : 'Why'}:* ${fit(f.message, 1500)}`,
    ...(resolved ? [] : [f.fix ? fixLine(f) : `*How to fix:* ${fit(f.remediation, 5000)}`]),
  ].join('\n');
  return {
    version: '1.0',
    source: 'custom',
    id: t.key,
    content: {
      textType: 'client-markdown',
      title: titleOf(emoji, label, f),
      description: limit(description, CHAT_LIMITS.description),
      nextSteps: resolved
        ? [findingLinkStep(f, 'See the finding in Security Hub')]
        : [remediationStep(f), findingLinkStep(f, 'Open the finding in Security Hub')],
      keywords: [f.checkId, severity, f.accountId].map((k) => fit(k, CHAT_LIMITS.keyword)),
    },
    metadata: {
      threadId: t.findingId,
      summary: fit(`${f.checkId} ${f.resourceId} (${f.accountId} ${f.region})`, CHAT_LIMITS.summary),
      eventType: eventType(t.kind),
      ...(f.resourceArn ? { relatedResources: [escapeSlack(f.resourceArn)] } : {}),
      additionalContext: {
        transition: t.kind,
        checkId: escapeSlack(f.checkId),
        severity,
        accountId: escapeSlack(f.accountId),
        region: escapeSlack(f.region),
        resourceId: escapeSlack(f.resourceId),
        alertId: escapeSlack(t.key),
      },
    },
  };
}

/** A step opening the scan's report in the S3 console; none when there is no report or its link is too long for a step. */
function reportStep(report: ReportLink | undefined): string[] {
  const step = report && `<${escapeSlack(report.console)}|Open the full report of this scan (HTML) in the S3 console>`;
  return step && step.length <= CHAT_LIMITS.nextStep ? [step] : [];
}

/** The chat notification of a digest: the FAILED findings of one account-region, most severe first. */
export function chatForDigest(
  accountId: string,
  region: string,
  failed: readonly Finding[],
  reason: string,
  top: Severity,
  report?: ReportLink,
): ChatNotification {
  const head = [
    `*${failed.length} FAILED CodeCommit endpoint findings* in account ${fit(accountId, 20)}, region ${fit(region, 30)}.`,
    `Security Hub is not available in this account-region (${fit(reason, 300)}), so these are all FAILED findings of this scan, not only changes.`,
    '',
    '',
  ].join('\n');
  const bySeverity = [...failed].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const lines: string[] = [];
  let size = head.length;
  const reserve = 40; // for the "and N more" line
  for (const f of bySeverity) {
    const line = `• [${f.severity}] ${escapeSlack(f.checkId)} ${fit(f.resourceId, 120)}: ${fit(f.message, 400)}`;
    if (size + line.length + 1 > CHAT_LIMITS.description - reserve) {
      lines.push(`… and ${failed.length - lines.length} more`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return {
    version: '1.0',
    source: 'custom',
    id: `digest|${accountId}|${region}`,
    content: {
      textType: 'client-markdown',
      title: limit(
        `${EMOJI[top]} [${top}] CodeCommit endpoint digest: ${failed.length} FAILED (${fit(accountId, 20)} ${fit(region, 30)})`,
        CHAT_LIMITS.title,
      ),
      description: limit(`${head}${lines.join('\n')}`, CHAT_LIMITS.description),
      nextSteps: [
        ...reportStep(report),
        limit(
          escapeSlack(
            `Get one alert per change, linked to its finding: enable Security Hub, \`aws securityhub enable-security-hub --region ${region}\``,
          ),
          CHAT_LIMITS.nextStep,
        ),
        limit(
          escapeSlack(
            `See every finding with its fix, with credentials of account ${accountId}: \`npm run --silent scan -- --regions ${region} --format json\``,
          ),
          CHAT_LIMITS.nextStep,
        ),
      ],
      keywords: ['DIGEST', top, accountId].map((k) => fit(k, CHAT_LIMITS.keyword)),
    },
    metadata: {
      threadId: `${TOOL}/${accountId}/${region}/digest`,
      summary: fit(`Digest ${accountId} ${region}: ${failed.length} FAILED`, CHAT_LIMITS.summary),
      eventType: eventType('DIGEST'),
      additionalContext: {
        transition: 'DIGEST',
        severity: top,
        accountId: escapeSlack(accountId),
        region: escapeSlack(region),
        failed: String(failed.length),
      },
    },
  };
}
