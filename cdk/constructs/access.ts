import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { CipherwatchFunction } from './cipherwatch-function.ts';

/** The DynamoDB actions Cipherwatch's repositories issue; a function is given only those it uses. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'Scan';

/** Lets a function run the named actions on one table (not its indexes). */
export function allowTable(fn: CipherwatchFunction, table: Table, actions: readonly TableAction[]): void {
  fn.role.addToPolicy(
    new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
  );
}

/**
 * Lets a function query one index of a table; `attributes`, when given, are the only attributes it may
 * read (DynamoDB fine-grained access: the query must project exactly those).
 */
export function allowIndexQuery(
  fn: CipherwatchFunction,
  table: Table,
  indexName: string,
  attributes?: readonly string[],
): void {
  fn.role.addToPolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${table.tableArn}/index/${indexName}`],
      ...(attributes && {
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    }),
  );
}

/** Lets a function send (single or batch) to one queue; nothing else on it. */
export function allowSend(fn: CipherwatchFunction, queue: IQueue): void {
  fn.role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
}
