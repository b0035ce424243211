import { join } from 'node:path';
import { repoRoot, tierConfig } from './vitest.shared.ts';

export default tierConfig('int', { globalSetup: [join(repoRoot, 'libs/testing/src/global-setup.ts')] });
