// `npm run deploy:nats-values -- --release <name>`: the NATS chart values that add one more Spine install (its own
// account and users) to the NATS server, for `helm upgrade nats nats/nats -f deploy/k8s/dependencies/nats-values.yaml -f <this>`.
import { parseArgs } from 'node:util';
import { toYaml } from './k8s/base.js';
import { natsValues } from './k8s/nats.js';

const { values } = parseArgs({ options: { release: { type: 'string' } } });
const release = values.release;
if (!release || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(release)) {
  process.stderr.write('usage: npm run deploy:nats-values -- --release <helm fullname, e.g. spine-dev>\n');
  process.exit(2);
}
process.stdout.write(`# NATS users of the Spine install ${release}: helm upgrade nats nats/nats -n nats -f deploy/k8s/dependencies/nats-values.yaml -f <this file>\n`);
process.stdout.write(toYaml(natsValues(release, false)));
