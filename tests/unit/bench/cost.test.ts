import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, lambdaSecondsPerUnit, monthlyCost, PRICES } from '../../../bench/cost.ts';
import type { UnitUsage } from '../../../bench/scenario.ts';

const nothing: UnitUsage = {
  dynamodb_read_units: 0,
  dynamodb_write_units: 0,
  dynamodb_index_write_units: 0,
  dynamodb_requests: 0,
  sqs_requests: 0,
  sqs_messages: 0,
  lambda_invocations: 0,
  handler_cpu_ms: 0,
  ses_sends: 0,
  stories_created: 0,
  logged: 0,
};

describe('bench cost model', () => {
  it('bills a batch’s waits once, shared by the records handled side by side', () => {
    const usage = { ...nothing, handler_cpu_ms: 4, dynamodb_requests: 6 };

    // 4 ms of CPU per feed, plus (300 ms publisher + 6 × 5 ms DynamoDB) ÷ 5 feeds per batch.
    expect(lambdaSecondsPerUnit(usage, 300, 5)).toBeCloseTo((4 + 330 / 5) / 1000, 6);
  });

  it('prices one SES email per digest at a tenth of a cent, and a write unit per poll at list price', () => {
    const perDigest = { ...nothing, ses_sends: 1 };
    const perFeed = { ...nothing, dynamodb_write_units: 1 };

    const cost = monthlyCost({ feeds: 100, subscribers: 1_000 }, perFeed, perDigest, 0);

    expect(cost.ses).toBeCloseTo((1_000 * 30 * PRICES.ses_per_thousand_emails) / 1000, 2);
    const polls = 100 * ((ASSUMPTIONS.days_per_month * 24 * 60) / ASSUMPTIONS.poll_every_minutes);
    expect(cost.dynamodb_write_units).toBe(polls);
    expect(cost.dynamodb_requests).toBeCloseTo(
      (polls / 1e6) * PRICES.dynamodb_per_million_write_request_units,
      2,
    );
  });
});
