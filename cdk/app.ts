import { App } from 'aws-cdk-lib';
import { buildCipherwatch, hasWebHandler } from './cipherwatch.ts';
import { DeploySettingsError } from './settings.ts';

try {
  const app = new App();
  if (!hasWebHandler()) {
    console.error(
      'note: functions/web.ts is not there yet, so there is no web stack; links in emails use -c publicUrl=….',
    );
  }
  buildCipherwatch(app);
  app.synth();
} catch (error) {
  if (!(error instanceof DeploySettingsError)) throw error;
  console.error(`error: ${error.name}: ${error.message}`);
  process.exit(1);
}
