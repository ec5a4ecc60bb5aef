import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface TemplateJson {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
}

/**
 * Reads the synthesized data and pipeline templates together: follows cross-stack imports back to the
 * data stack's resources and names each resource the way a reviewer would ("table:subscribers",
 * "queue:digests", "index:subscribers/byNextDigest").
 */
export class DeploymentReader {
  readonly data: TemplateJson;
  readonly pipeline: TemplateJson;
  readonly web: TemplateJson | undefined;
  private readonly labels = new Map<string, string>();

  constructor(data: Template, pipeline: Template, web?: Template) {
    this.data = data.toJSON() as TemplateJson;
    this.pipeline = pipeline.toJSON() as TemplateJson;
    this.web = web?.toJSON() as TemplateJson | undefined;
    const lower = (id: string) => `${id[0]?.toLowerCase()}${id.slice(1)}`;
    for (const [logicalId, resource] of Object.entries(this.data.Resources)) {
      const table = /^(\w+?)Table[0-9A-F]{8}$/.exec(logicalId);
      const queue = /^(\w+?)(Queue|DeadLetters)[0-9A-F]{8}$/.exec(logicalId);
      if (resource.Type === 'AWS::DynamoDB::Table' && table?.[1])
        this.labels.set(logicalId, `table:${lower(table[1])}`);
      else if (resource.Type === 'AWS::SQS::Queue' && queue?.[1])
        this.labels.set(logicalId, `${queue[2] === 'Queue' ? 'queue' : 'dlq'}:${lower(queue[1])}`);
      else if (resource.Type === 'AWS::SecretsManager::Secret') this.labels.set(logicalId, 'secret:token');
      else if (resource.Type === 'AWS::SES::EmailIdentity') this.labels.set(logicalId, 'ses:identity');
      else if (resource.Type === 'AWS::SES::ConfigurationSet')
        this.labels.set(logicalId, 'ses:configuration-set');
    }
    for (const template of [this.pipeline, this.web]) {
      for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
        if (resource.Type === 'AWS::Logs::LogGroup') this.labels.set(logicalId, 'own-log-group');
        if (resource.Type === 'AWS::SQS::Queue') this.labels.set(logicalId, 'dlq:schedules');
      }
    }
  }

  resources(template: TemplateJson, type: string): [string, Resource][] {
    return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  }

  /** Replaces every Fn::ImportValue with the data stack's exported value. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object') {
      const record = value as Record<string, Json>;
      const imported = record['Fn::ImportValue'];
      if (typeof imported === 'string') {
        const output = Object.values(this.data.Outputs ?? {}).find((o) => o.Export?.Name === imported);
        if (!output) throw new Error(`No export ${imported}`);
        return this.resolve(output.Value);
      }
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.resolve(v)]));
    }
    return value;
  }

  /** A reviewer's name for a resource reference: its label plus any suffix (`/index/name`, `:*`). */
  label(value: Json): string {
    if (value === '*') return '*';
    const text = JSON.stringify(this.resolve(value));
    const found = [...this.labels.entries()]
      .filter(([id]) => text.includes(`"${id}"`))
      .map(([, label]) => label);
    const index = /\/index\/(\w+)/.exec(text)?.[1];
    const suffix = index ? `/index/${index}` : text.includes(':*"') ? ':*' : '';
    if (found.length === 0) return text;
    const name = found.join('+');
    return index ? `${name.replace(/^table:/, 'index:')}/${index}` : `${name}${suffix}`;
  }

  /** Every "action on resource" its role allows a function (of the pipeline unless told), sorted. */
  permissionsOf(functionLogicalIdPrefix: string, template: TemplateJson = this.pipeline): string[] {
    const [, fn] = this.resources(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith(`${functionLogicalIdPrefix}Function`),
    ) ?? [undefined, undefined];
    if (!fn) throw new Error(`No function ${functionLogicalIdPrefix}`);
    const roleId = ((fn.Properties?.Role ?? {}) as Record<string, Json[]>)['Fn::GetAtt']?.[0];
    const statements = this.resources(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`))
      .flatMap(
        ([, p]) =>
          ((p.Properties?.PolicyDocument ?? { Statement: [] }) as { Statement: Record<string, Json>[] })
            .Statement,
      );
    const managed = template.Resources[String(roleId)]?.Properties?.ManagedPolicyArns;
    if (managed)
      throw new Error(`${functionLogicalIdPrefix} has managed policies: ${JSON.stringify(managed)}`);
    return statements
      .flatMap((statement) => {
        const actions = [statement.Action].flat() as string[];
        const resources = [statement.Resource].flat();
        const condition = statement.Condition ? ' (conditional)' : '';
        return actions.flatMap((action) => resources.map((r) => `${action} on ${this.label(r)}${condition}`));
      })
      .sort();
  }
}
