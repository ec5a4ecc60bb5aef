import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type DeploySettings, readDeploySettings } from './settings.ts';
import { DataStack } from './stacks/data-stack.ts';
import { PipelineStack } from './stacks/pipeline-stack.ts';
import { WebStack } from './stacks/web-stack.ts';

export interface BuildOptions {
  settings?: DeploySettings;
}

/** The whole deployment on an app: data, web and pipeline stacks, checked by cdk-nag. */
export function buildCipherwatch(app: App, options: BuildOptions = {}) {
  const settings = options.settings ?? readDeploySettings(app);
  // The CLI sets these from the caller's credentials when it can; a synth without them is environment-agnostic.
  const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
  const env = { ...(account ? { account } : {}), ...(region ? { region } : {}) };
  const data = new DataStack(app, 'CipherwatchData', {
    env,
    settings,
    description:
      'Cipherwatch: tables, queues, the link-signing secret, the SES identity and the alarm topic.',
  });
  const web = new WebStack(app, 'CipherwatchWeb', {
    env,
    data,
    settings,
    description: 'Cipherwatch: the web pages, public API and admin API behind an HTTP API.',
  });
  const pipeline = new PipelineStack(app, 'CipherwatchPipeline', {
    env,
    data,
    settings,
    publicUrl: web.publicUrl,
    description: 'Cipherwatch: scheduled polls and digests, queue consumers, SES feedback and alarms.',
  });
  // Any finding not acknowledged (with its reason) next to the resource fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { data, web, pipeline };
}
