import path from 'node:path';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getSqsClient } from '../aws/clients.ts';
import { QUEUES, type QueueId } from '../aws/resources.ts';
import { type Classifier, createClassifier } from '../classify/classifier.ts';
import { loadTopicPack } from '../classify/topic-pack.ts';
import { type Config, getConfig } from '../config.ts';
import { getLog, type Log } from '../log.ts';
import { DeliveryRepository } from '../store/delivery-repository.ts';
import { FeedRepository } from '../store/feed-repository.ts';
import { StoryRepository } from '../store/story-repository.ts';
import { SubscriberRepository } from '../store/subscriber-repository.ts';

/** Everything a handler or command needs, built once per process and shared by every invocation. */
export interface AppContext {
  config: Config;
  log: Log;
  dynamodb: DynamoDBDocumentClient;
  sqs: SQSClient;
  feeds: FeedRepository;
  stories: StoryRepository;
  subscribers: SubscriberRepository;
  deliveries: DeliveryRepository;
  classifier: Classifier;
  queueUrl(queue: QueueId): Promise<string>;
}

let context: AppContext | undefined;

/** The process's context: configuration parsed, clients and repositories built, topics compiled. */
export function getAppContext(): AppContext {
  if (context) return context;
  const config = getConfig();
  const dynamodb = getDocumentClient();
  const sqs = getSqsClient();
  const queueUrls = new Map<QueueId, Promise<string>>();
  context = {
    config,
    log: getLog(),
    dynamodb,
    sqs,
    feeds: new FeedRepository(dynamodb, config.tables.feeds),
    stories: new StoryRepository(dynamodb, config.tables.stories),
    subscribers: new SubscriberRepository(dynamodb, config.tables.subscribers),
    deliveries: new DeliveryRepository(dynamodb, config.tables.deliveries),
    classifier: createClassifier(
      loadTopicPack(config.configDir ? path.join(config.configDir, 'topics.yaml') : undefined),
    ),
    queueUrl(queue) {
      let url = queueUrls.get(queue);
      if (!url) {
        url = resolveQueueUrl(sqs, queue, config);
        queueUrls.set(queue, url);
      }
      return url;
    },
  };
  return context;
}

/** Forgets the context (after the local stack moved the endpoints, or between tests). */
export function resetAppContext(): void {
  context = undefined;
}

async function resolveQueueUrl(sqs: SQSClient, queue: QueueId, config: Config): Promise<string> {
  const configured = config.queueUrls[queue];
  if (configured) return configured;
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUES[queue].name }));
  if (!result.QueueUrl)
    throw new Error(`Queue ${QUEUES[queue].name} was not found; set ${QUEUES[queue].envVar}.`);
  return result.QueueUrl;
}
