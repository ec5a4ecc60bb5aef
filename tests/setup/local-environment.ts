import { inject } from 'vitest';
import { resetClients } from '../../lib/aws/clients.ts';
import { resetConfig } from '../../lib/config.ts';

// Every test file talks to the run's local stack through the standard SDK variables.
Object.assign(process.env, inject('localEnvironment'));
process.env.CIPHERWATCH_LOG_LEVEL ??= 'error';
resetClients();
resetConfig();
