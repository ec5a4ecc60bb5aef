import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsClients, createAwsClients } from '#lib/aws/clients.ts';
import { createCountingMetrics, createLambdaMetrics, type MetricsSink } from '#lib/aws/metrics.ts';
import { QUEUES, type QueueId } from '#lib/aws/resources.ts';
import { type Classifier, createClassifier } from '#lib/classify/classifier.ts';
import { loadCompiledTopicPack } from '#lib/classify/compiled-pack.ts';
import { type Config, ConfigError } from '#lib/config.ts';
import type { DeliveryDependencies } from '#lib/delivery/deliver.ts';
import type { Mailer } from '#lib/delivery/mailer.ts';
import { StoryWindowReader } from '#lib/delivery/story-window-reader.ts';
import { RecentClusters } from '#lib/ingest/recent-clusters.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { DeliveryJob, PollFeedJob, SignUpMailJob } from '#lib/jobs/messages.ts';
import { createLog, type Log } from '#lib/log.ts';
import { SqsJobQueue } from '#lib/queue/sqs-job-queue.ts';
import { DeliveryRepository } from '#lib/store/delivery-repository.ts';
import { FeedRepository } from '#lib/store/feed-repository.ts';
import { FeedbackRepository } from '#lib/store/feedback-repository.ts';
import { LimitRepository } from '#lib/store/limit-repository.ts';
import { StoryRepository } from '#lib/store/story-repository.ts';
import { SubscriberRepository } from '#lib/store/subscriber-repository.ts';
import { confirmLinkSigner, linkSigner } from './links.ts';
import { resolveTokenSecret } from './token-secret.ts';

/** Everything a handler or command needs, built once from the configuration and shared by every call. */
export interface App {
  config: Config;
  log: Log;
  /** CloudWatch metrics (EMF) in Lambda; counted in memory elsewhere. */
  metrics: MetricsSink;
  dynamodb: DynamoDBDocumentClient;
  sqs: SQSClient;
  feeds: FeedRepository;
  stories: StoryRepository;
  subscribers: SubscriberRepository;
  deliveries: DeliveryRepository;
  /** Readers' "not relevant" answers, for the classifier to learn from. */
  feedback: FeedbackRepository;
  /** Abuse limits shared by every instance of the web app. */
  limits: LimitRepository;
  classifier: Classifier;
  /** Cluster candidates of the last two days, kept for the polls of this process (a warm Lambda, `start`). */
  recentClusters: RecentClusters;
  queues: {
    pollFeeds: JobQueue<PollFeedJob>;
    digests: JobQueue<DeliveryJob>;
    /** Sign-up mails, sent by the digest sender from a queue of their own (never behind a round). */
    signUpMails: JobQueue<SignUpMailJob>;
  };
  /** What sending digests, alerts and sign-up mails needs: mailer, story reader, topic names, link signing. */
  delivery: DeliveryDependencies;
  queueUrl(queue: QueueId): Promise<string>;
  /**
   * The key that signs links in emails: as given (fetched from Secrets Manager on AWS), else resolved
   * on first use, so building the app costs no file read and a command that signs nothing creates none.
   */
  tokenSecret(): string;
  /** Closes the clients and the mailer; the app is unusable afterwards. */
  close(): void;
}

/**
 * The classifier a Lambda bundle carries: the topic pack compiled to JSON at synth time, beside the
 * model, in CIPHERWATCH_CONFIG_DIR. Reading the YAML source is for local runs (`createLocalApp`), so
 * the YAML parser stays out of every bundle.
 */
function bundledClassifier(config: Config): Classifier {
  if (!config.configDir) {
    throw new ConfigError(
      'CIPHERWATCH_CONFIG_DIR',
      'CIPHERWATCH_CONFIG_DIR is not set: a Lambda function reads its compiled topic pack (topics.json) and classifier model from that folder. Local runs build the app with createLocalApp, which reads config/topics.yaml.',
    );
  }
  return createClassifier(loadCompiledTopicPack(config.configDir));
}

/** Parts a caller may supply instead of having them built from the configuration. */
export interface AppOverrides {
  log?: Log;
  metrics?: MetricsSink;
  mailer?: Mailer;
  classifier?: Classifier;
  /** The link-signing key, when it was fetched before the app was built (Secrets Manager on AWS). */
  tokenSecret?: string | undefined;
}

/**
 * The composition root: builds clients, repositories, queues and classifier once from a parsed
 * configuration, with the mail transport it is given. Functions that send no mail (polls, schedules,
 * SES feedback) call it directly, so their bundles carry no mail library; everything else goes through
 * `createApp`, which adds the configured transport.
 */
export function createCoreApp(config: Config, overrides: AppOverrides = {}): App {
  const clients: AwsClients = createAwsClients(config.aws);
  const { dynamodb, sqs } = clients;
  const queueUrls = new Map<QueueId, Promise<string>>();
  const queueUrl = (queue: QueueId): Promise<string> => {
    let url = queueUrls.get(queue);
    if (!url) {
      url = resolveQueueUrl(sqs, queue, config);
      queueUrls.set(queue, url);
    }
    return url;
  };
  const classifier = overrides.classifier ?? bundledClassifier(config);
  const stories = new StoryRepository(dynamodb, config.tables.stories);
  const subscribers = new SubscriberRepository(dynamodb, config.tables.subscribers);
  const deliveries = new DeliveryRepository(dynamodb, {
    deliveries: config.tables.deliveries,
    subscribers: config.tables.subscribers,
  });
  const mailer = overrides.mailer ?? sendsNoMail;
  const topics = classifier.pack.topics;
  let secret = overrides.tokenSecret;
  const tokenSecret = () => {
    secret ??= resolveTokenSecret(config);
    return secret;
  };
  return {
    config,
    log: overrides.log ?? createLog(config),
    metrics: overrides.metrics ?? (config.inLambda ? createLambdaMetrics() : createCountingMetrics()),
    dynamodb,
    sqs,
    feeds: new FeedRepository(dynamodb, config.tables.feeds),
    stories,
    subscribers,
    deliveries,
    feedback: new FeedbackRepository(dynamodb, config.tables.feedback),
    limits: new LimitRepository(dynamodb, config.tables.limits),
    classifier,
    recentClusters: new RecentClusters(),
    queues: {
      pollFeeds: new SqsJobQueue<PollFeedJob>(sqs, () => queueUrl('pollFeeds')),
      digests: new SqsJobQueue<DeliveryJob>(sqs, () => queueUrl('digests')),
      signUpMails: new SqsJobQueue<SignUpMailJob>(sqs, () => queueUrl('signUpMails')),
    },
    delivery: {
      stories,
      deliveries,
      subscribers,
      reader: new StoryWindowReader(stories),
      mailer,
      topicNames: new Map(topics.map((topic) => [topic.id, topic.name])),
      alertThresholds: new Map(topics.map((topic) => [topic.id, topic.alertThreshold])),
      linksFor: linkSigner(config, tokenSecret),
      confirmUrlFor: confirmLinkSigner(config, tokenSecret),
    },
    queueUrl,
    tokenSecret,
    close() {
      mailer.close();
      clients.destroy();
    },
  };
}

/** The transport of a function that sends no mail: any attempt is a wiring mistake, said plainly. */
const sendsNoMail: Mailer = {
  kind: 'none',
  send: (message) =>
    Promise.reject(
      new Error(`This function was built to send no mail, yet was asked to send ${message.idempotencyKey}.`),
    ),
  wasSent: async () => undefined,
  close: () => {},
};

async function resolveQueueUrl(sqs: SQSClient, queue: QueueId, config: Config): Promise<string> {
  const configured = config.queueUrls[queue];
  if (configured) return configured;
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUES[queue].name }));
  if (!result.QueueUrl)
    throw new Error(`Queue ${QUEUES[queue].name} was not found; set ${QUEUES[queue].envVar}.`);
  return result.QueueUrl;
}
