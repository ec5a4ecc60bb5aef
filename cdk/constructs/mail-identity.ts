import { CfnOutput, Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { WorkQueue } from './work-queue.ts';

export interface MailIdentityProps {
  senderEmail: string;
  /** Verify this domain (Easy DKIM) instead of the single sender address. */
  senderDomain: string | undefined;
  /** Where bounce and complaint events go (the ses-events work queue). */
  feedbackQueue: WorkQueue;
}

/** The bounce and complaint events SES publishes to EventBridge, by their detail-type. */
export const SES_FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'];

/**
 * Sending email through SES v2: the sender identity (an address, or a whole domain with DKIM), a
 * configuration set that is the identity's default (account-level suppression of bounced and
 * complaining addresses, reputation metrics), and its bounce and complaint events delivered through
 * the default EventBridge bus to the feedback queue that functions/ses-events consumes.
 */
export class MailIdentity extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: props.senderDomain ? Identity.domain(props.senderDomain) : Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });
    new Rule(this, 'FeedbackRule', {
      description:
        'SES bounces and complaints from the Cipherwatch configuration set, to the ses-events queue.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_FEEDBACK_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new SqsQueue(props.feedbackQueue.queue, { deadLetterQueue: props.feedbackQueue.deadLetterQueue }),
      ],
    });
    if (props.senderDomain) {
      this.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          description: `Publish this CNAME in ${props.senderDomain}'s DNS so SES can verify the domain.`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }
  }

  /** The configuration set's ARN, which sending permissions must name alongside the identity. */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
