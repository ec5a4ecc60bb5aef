import path from 'node:path';
import * as z from 'zod';

/** A configuration value that is missing or wrong; the message names the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `a whole number from ${min} to ${max}`)
        .max(max, `a whole number from ${min} to ${max}`),
    );

/** An http or https URL: for every URL a person configures. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });

/** Every environment variable Cipherwatch reads, with what it expects. */
const environmentSchema = z.object({
  CIPHERWATCH_HOME: z.string().min(1).optional(),
  CIPHERWATCH_POLL_INTERVAL_MINUTES: wholeNumber(1, 1440).default(5),
  CIPHERWATCH_MAX_ITEMS_PER_FEED: wholeNumber(1, 100_000).default(500),
  CIPHERWATCH_FEEDS_FILE: z.string().min(1).optional(),
  CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: booleanText.default(false),
  CIPHERWATCH_PUBLIC_URL: httpUrl.optional(),
  CIPHERWATCH_PORT: wholeNumber(1, 65535).default(3000),
  CIPHERWATCH_ADMIN_API_KEY_HASH: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'the hex SHA-256 of the admin API key (64 hex characters)')
    .transform((hash) => hash.toLowerCase())
    .optional(),
  CIPHERWATCH_TOKEN_SECRET: z.string().min(32, 'a secret of at least 32 characters').optional(),
  CIPHERWATCH_TOKEN_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN')
    .optional(),
  CIPHERWATCH_CONFIG_DIR: z.string().min(1).optional(),
  CIPHERWATCH_MAIL_FROM: z.string().min(3).default('Cipherwatch <digests@cipherwatch.localhost>'),
  CIPHERWATCH_MAIL_REPLY_TO: z.string().min(3).optional(),
  CIPHERWATCH_MAIL_TRANSPORT: z.enum(['ses', 'smtp', 'outbox']).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).optional(),
  CIPHERWATCH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
  AWS_ENDPOINT_URL_DYNAMODB: httpUrl.optional(),
  AWS_ENDPOINT_URL_SQS: httpUrl.optional(),
  FEEDS_TABLE: z.string().min(3).default('cipherwatch-feeds'),
  STORIES_TABLE: z.string().min(3).default('cipherwatch-stories'),
  SUBSCRIBERS_TABLE: z.string().min(3).default('cipherwatch-subscribers'),
  DELIVERIES_TABLE: z.string().min(3).default('cipherwatch-deliveries'),
  LIMITS_TABLE: z.string().min(3).default('cipherwatch-limits'),
  FEEDBACK_TABLE: z.string().min(3).default('cipherwatch-feedback'),
  POLL_FEEDS_QUEUE_URL: httpUrl.optional(),
  DIGESTS_QUEUE_URL: httpUrl.optional(),
  SIGN_UP_MAILS_QUEUE_URL: httpUrl.optional(),
  SES_EVENTS_QUEUE_URL: httpUrl.optional(),
});

/** Variables whose values are secrets (or may carry credentials): errors name them, never echo them. */
const SECRET_VARIABLES = new Set(['CIPHERWATCH_TOKEN_SECRET', 'SMTP_URL', 'CIPHERWATCH_ADMIN_API_KEY_HASH']);

type Environment = z.infer<typeof environmentSchema>;

export interface AwsSettings {
  region: string;
  endpoints: { dynamodb: string | undefined; sqs: string | undefined };
  /** Fixed credentials for emulators; unset means the SDK's own credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export interface Config {
  /** Folder for local data: the DynamoDB store, the outbox, the local token secret. */
  dataDir: string;
  pollIntervalMinutes: number;
  /** Items kept from one poll of a feed, the newest first. */
  maxItemsPerFeed: number;
  /** The feeds added to a new data folder's registry; config/feeds.yaml unless set. */
  feedsFile: string | undefined;
  allowPrivateNetworks: boolean;
  /** Base of every link in emails and pages; http://localhost:<port> unless CIPHERWATCH_PUBLIC_URL is set. */
  publicUrl: string;
  /** Port `cipherwatch start` serves the web app on. */
  port: number;
  /** Hex SHA-256 of the admin API key; the admin API refuses every request when unset. */
  adminApiKeyHash: string | undefined;
  tokenSecret: string | undefined;
  /** Secrets Manager secret holding the token key (on AWS); read once per cold start. */
  tokenSecretArn: string | undefined;
  /** Folder holding the compiled topic pack (topics.json) and the classifier model: set in Lambda bundles, which carry their own. Unset locally, where config/topics.yaml is read. */
  configDir: string | undefined;
  mail: {
    from: string;
    replyTo: string | undefined;
    transport: 'ses' | 'smtp' | 'outbox';
    smtpUrl: string | undefined;
  };
  logLevel: Environment['CIPHERWATCH_LOG_LEVEL'];
  inLambda: boolean;
  /** Where the AWS SDK clients point: AWS itself, or the endpoints of LocalStack or the local stack. */
  aws: AwsSettings;
  tables: {
    feeds: string;
    stories: string;
    subscribers: string;
    deliveries: string;
    limits: string;
    feedback: string;
  };
  queueUrls: {
    pollFeeds: string | undefined;
    digests: string | undefined;
    signUpMails: string | undefined;
    sesEvents: string | undefined;
  };
}

/** Reads the environment into a typed `Config`, or throws a `ConfigError` naming the first bad variable. */
/** Values a command line gives that take precedence over the environment. */
export interface ConfigOverrides {
  dataDir?: string;
  /** `cipherwatch start --port`. */
  port?: number;
}

export function parseConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const got = env[variable];
    // A secret's value must never reach a terminal or a log, not even a wrong one.
    const shown =
      got === undefined || SECRET_VARIABLES.has(variable)
        ? ''
        : ` (got ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got)})`;
    throw new ConfigError(variable, `${variable} must be ${describeIssue(issue)}${shown}.`);
  }
  const e = parsed.data;
  const port = overrides.port ?? e.CIPHERWATCH_PORT;
  const inLambda = e.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  const transport = e.CIPHERWATCH_MAIL_TRANSPORT ?? (e.SMTP_URL ? 'smtp' : inLambda ? 'ses' : 'outbox');
  if (transport === 'smtp' && !e.SMTP_URL) {
    throw new ConfigError('SMTP_URL', 'SMTP_URL must be set when CIPHERWATCH_MAIL_TRANSPORT is smtp.');
  }
  return {
    dataDir: path.resolve(overrides.dataDir ?? e.CIPHERWATCH_HOME ?? '.cipherwatch'),
    pollIntervalMinutes: e.CIPHERWATCH_POLL_INTERVAL_MINUTES,
    maxItemsPerFeed: e.CIPHERWATCH_MAX_ITEMS_PER_FEED,
    feedsFile: e.CIPHERWATCH_FEEDS_FILE && path.resolve(e.CIPHERWATCH_FEEDS_FILE),
    allowPrivateNetworks: e.CIPHERWATCH_ALLOW_PRIVATE_NETWORKS,
    publicUrl: (e.CIPHERWATCH_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    port,
    adminApiKeyHash: e.CIPHERWATCH_ADMIN_API_KEY_HASH,
    tokenSecret: e.CIPHERWATCH_TOKEN_SECRET,
    tokenSecretArn: e.CIPHERWATCH_TOKEN_SECRET_ARN,
    configDir: e.CIPHERWATCH_CONFIG_DIR && path.resolve(e.CIPHERWATCH_CONFIG_DIR),
    mail: {
      from: e.CIPHERWATCH_MAIL_FROM,
      replyTo: e.CIPHERWATCH_MAIL_REPLY_TO,
      transport,
      smtpUrl: e.SMTP_URL,
    },
    logLevel: e.CIPHERWATCH_LOG_LEVEL,
    inLambda,
    aws: {
      region: e.AWS_REGION,
      endpoints: { dynamodb: e.AWS_ENDPOINT_URL_DYNAMODB, sqs: e.AWS_ENDPOINT_URL_SQS },
    },
    tables: {
      feeds: e.FEEDS_TABLE,
      stories: e.STORIES_TABLE,
      subscribers: e.SUBSCRIBERS_TABLE,
      deliveries: e.DELIVERIES_TABLE,
      limits: e.LIMITS_TABLE,
      feedback: e.FEEDBACK_TABLE,
    },
    queueUrls: {
      pollFeeds: e.POLL_FEEDS_QUEUE_URL,
      digests: e.DIGESTS_QUEUE_URL,
      signUpMails: e.SIGN_UP_MAILS_QUEUE_URL,
      sesEvents: e.SES_EVENTS_QUEUE_URL,
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'valid';
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type') return 'set';
  return issue.message;
}

/**
 * The process's configuration, read from its environment: the one place Cipherwatch reads
 * `process.env`. Handlers call it once at module scope; commands once per run.
 */
export function loadConfig(overrides: ConfigOverrides = {}): Config {
  return parseConfig(process.env, overrides);
}
