import type { App } from 'aws-cdk-lib';
import * as z from 'zod';

/** A context value (`-c key=value` or cdk.json) that is missing or wrong. */
export class DeploySettingsError extends Error {
  override name = 'DeploySettingsError';
}

/** Used for a synth without `-c senderEmail=…`, so a clean clone synthesizes; `npm run deploy` refuses it. */
export const PLACEHOLDER_SENDER = 'digests@example.com';

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653] as const;

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const contextSchema = z.object({
  senderEmail: z.email('an email address such as digests@news.example.org').optional(),
  senderDomain: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i, 'a domain name such as news.example.org')
    .optional(),
  senderName: z.string().min(1).max(64).default('Cipherwatch'),
  alarmEmail: z.email('an email address for alarms').optional(),
  adminApiKeyHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'the hex SHA-256 of the admin API key (64 hex digits)')
    .optional(),
  publicUrl: z.url({ protocol: /^https$/, error: 'an https:// URL' }).optional(),
  pollEveryMinutes: z.coerce.number().int().min(1).max(60).default(5),
  digestSchedule: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, 'an EventBridge Scheduler expression such as cron(5 * * * ? *)')
    .default('cron(5 * * * ? *)'),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), {
      message: `one of ${RETENTION_DAYS.join(', ')}`,
    })
    .default(30),
  sesSendRatePerSecond: z.coerce.number().int().min(1).max(10_000).default(1),
  pollFailureShare: z.coerce.number().gt(0).lte(1).default(0.5),
  requireDeploySettings: flag.default(false),
});

/** Everything a deployment can be told, with defaults that synthesize on a clean clone. */
export interface DeploySettings {
  senderEmail: string;
  /** `Name <address>`, as the functions put it in From. */
  mailFrom: string;
  /** Verify the whole domain (DKIM records to publish) rather than the single address. */
  senderDomain: string | undefined;
  alarmEmail: string | undefined;
  adminApiKeyHash: string | undefined;
  publicUrl: string | undefined;
  pollEveryMinutes: number;
  digestSchedule: string;
  logRetentionDays: number;
  /** The account's SES maximum send rate; sizes the digest sender's concurrency. */
  sesSendRatePerSecond: number;
  /** Share of polled feeds failing in a round that raises the alarm. */
  pollFailureShare: number;
}

const KEYS = Object.keys(contextSchema.shape) as (keyof typeof contextSchema.shape)[];

/** Reads and checks the deployment's context; a wrong value stops synth with the key named. */
export function readDeploySettings(app: Pick<App, 'node'>): DeploySettings {
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, app.node.tryGetContext(key)]).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'context');
    throw new DeploySettingsError(`-c ${key}=… must be ${issue?.message ?? 'valid'}.`);
  }
  const c = parsed.data;
  if (c.requireDeploySettings) {
    const missing = (['senderEmail', 'alarmEmail'] as const).filter((key) => !c[key]);
    if (missing.length > 0) {
      throw new DeploySettingsError(
        `Deploying needs ${missing.map((key) => `-c ${key}=…`).join(' and ')} (see README, "Deploying to AWS").`,
      );
    }
  }
  const senderEmail = c.senderEmail ?? PLACEHOLDER_SENDER;
  if (c.senderDomain && !senderEmail.toLowerCase().endsWith(`@${c.senderDomain.toLowerCase()}`)) {
    throw new DeploySettingsError(
      `-c senderEmail=${senderEmail} must be an address at -c senderDomain=${c.senderDomain}.`,
    );
  }
  return {
    senderEmail,
    mailFrom: `${c.senderName} <${senderEmail}>`,
    senderDomain: c.senderDomain?.toLowerCase(),
    alarmEmail: c.alarmEmail,
    adminApiKeyHash: c.adminApiKeyHash?.toLowerCase(),
    publicUrl: c.publicUrl?.replace(/\/+$/, ''),
    pollEveryMinutes: c.pollEveryMinutes,
    digestSchedule: c.digestSchedule,
    logRetentionDays: c.logRetentionDays,
    sesSendRatePerSecond: c.sesSendRatePerSecond,
    pollFailureShare: c.pollFailureShare,
  };
}
