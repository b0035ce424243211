import { join } from 'node:path';
import { repoRoot, tierConfig } from './vitest.shared.ts';

export default tierConfig('e2e', {
  globalSetup: [join(repoRoot, 'libs/testing/src/global-setup.ts')],
  // Scans every reply the file's AssistantClients read (issue 16: local time, the user's language).
  setupFiles: [join(repoRoot, 'tests/support/reply-scan.setup.ts')],
});
