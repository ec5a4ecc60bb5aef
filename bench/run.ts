// `npm run bench`: every speed target in one run. Figures vary with the machine's load; run it on a
// quiet machine and compare like with like.
import { benchBundles } from './bundle.ts';
import { benchClassify } from './classify.ts';
import { benchDigest } from './digest.ts';
import { benchDigestRound } from './digest-round.ts';
import { benchIngest } from './ingest.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.CIPHERWATCH_LOG_LEVEL ??= 'error';

console.log(`Cipherwatch bench — Node ${process.version}, ${new Date().toISOString()}\n`);
await benchClassify();
await benchIngest();
await benchDigest();
await benchDigestRound();
await benchBundles();
