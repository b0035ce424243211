import { join } from 'node:path';
import { repoRoot, tierConfig } from './vitest.shared.ts';

export default tierConfig('e2e', { globalSetup: [join(repoRoot, 'libs/testing/src/global-setup.ts')] });
