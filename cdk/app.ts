import { App } from 'aws-cdk-lib';
import { buildCipherwatch } from './cipherwatch.ts';
import { DeploySettingsError } from './settings.ts';

try {
  const app = new App();
  buildCipherwatch(app);
  app.synth();
} catch (error) {
  if (!(error instanceof DeploySettingsError)) throw error;
  console.error(`error: ${error.name}: ${error.message}`);
  process.exit(1);
}
