import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The numbers operators and alarms watch; on AWS they are CloudWatch metrics in the `Cipherwatch` namespace. */
export type MetricName =
  | 'FeedsPolled'
  | 'FeedsFailed'
  | 'FeedsNotModified'
  | 'StoriesNew'
  | 'StoriesRelevant'
  | 'DigestsSent'
  | 'AlertsSent'
  | 'SignUpMailsSent'
  | 'DeliveriesFailed';

export interface MetricsSink {
  count(name: MetricName, value: number, dimensions?: Readonly<Record<string, string>>): void;
  /** Sends what was counted since the last flush (an invocation's end). */
  flush(): void;
}

export const METRICS_NAMESPACE = 'Cipherwatch';

/** Powertools metrics: one EMF line per flush, which CloudWatch turns into metrics with no API call. */
export function createLambdaMetrics(serviceName = 'cipherwatch'): MetricsSink {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  let pending = false;
  return {
    count(name, value, dimensions) {
      if (dimensions && Object.keys(dimensions).length > 0) {
        const single = metrics.singleMetric();
        for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
        single.addMetric(name, MetricUnit.Count, value);
        return;
      }
      metrics.addMetric(name, MetricUnit.Count, value);
      pending = true;
    },
    flush() {
      if (pending) metrics.publishStoredMetrics();
      pending = false;
    },
  };
}

/** Metrics kept in memory: totals per name (and dimension), for local runs and tests. */
export function createCountingMetrics(): MetricsSink & { totals(): ReadonlyMap<string, number> } {
  const totals = new Map<string, number>();
  return {
    count(name, value, dimensions) {
      const suffix = dimensions
        ? Object.entries(dimensions)
            .map(([key, dimension]) => `${key}=${dimension}`)
            .join(',')
        : '';
      const key = suffix ? `${name}{${suffix}}` : name;
      totals.set(key, (totals.get(key) ?? 0) + value);
    },
    flush() {},
    totals: () => totals,
  };
}
