import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type DeploySettings, readDeploySettings } from './settings.ts';
import { DataStack } from './stacks/data-stack.ts';
import { PipelineStack } from './stacks/pipeline-stack.ts';

/** Where links in emails point until the web stack (or `-c publicUrl=…`) gives them a home. */
const NO_PUBLIC_URL = 'https://cipherwatch.invalid';

/** The whole deployment on an app: data, pipeline and web stacks, checked by cdk-nag. */
export function buildCipherwatch(app: App, settings: DeploySettings = readDeploySettings(app)) {
  // The CLI sets these from the caller's credentials when it can; a synth without them is environment-agnostic.
  const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
  const env = { ...(account ? { account } : {}), ...(region ? { region } : {}) };
  const data = new DataStack(app, 'CipherwatchData', {
    env,
    settings,
    description:
      'Cipherwatch: tables, queues, the link-signing secret, the SES identity and the alarm topic.',
  });
  const pipeline = new PipelineStack(app, 'CipherwatchPipeline', {
    env,
    data,
    settings,
    publicUrl: settings.publicUrl ?? NO_PUBLIC_URL,
    description: 'Cipherwatch: scheduled polls and digests, queue consumers, SES feedback and alarms.',
  });
  // Any finding not acknowledged (with its reason) next to the resource fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { data, pipeline };
}
