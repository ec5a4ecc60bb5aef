import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { KeyDefinition, TableDefinition } from '#lib/aws/resources.ts';

const attribute = (key: KeyDefinition) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * A table from the shared definition: on-demand, encrypted with the AWS-managed key, point-in-time
 * recovery on, TTL where the definition names one, and kept (with deletion protection) when the stack
 * goes, because it holds the subscribers and their history.
 */
export function createDataTable(scope: Construct, definition: TableDefinition): Table {
  const table = new Table(scope, `${definition.id[0]?.toUpperCase()}${definition.id.slice(1)}Table`, {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey && { sortKey: attribute(definition.sortKey) }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    ...(definition.ttlAttribute && { timeToLiveAttribute: definition.ttlAttribute }),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
  });
  for (const index of definition.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}
