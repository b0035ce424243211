export { runInScope, currentScope, type CallScope } from './lib/logging/call-scope.js';
export { createRootLogger, SpineLogger, type LoggerOptions, type LevelName } from './lib/logging/spine.logger.js';
export { createMetricsRegistry } from './lib/metrics/metrics.js';
export { backgroundErrors, backgroundFailure, reportBackgroundError, type WarnLogger } from './lib/metrics/background-errors.js';
export { Readiness, type ReadinessCheck } from './lib/health/readiness.js';
export { HealthModule } from './lib/health/health.module.js';
export { SpineExceptionFilter, RETRY_AFTER_DETAIL, toSpineError } from './lib/http/spine-exception.filter.js';
export { parseEnv } from './lib/config/parse-env.js';
export { assertSafeJson, boundedInt, safeBodies, textProblem, DEFAULT_JSON_LIMITS, type JsonInputLimits } from './lib/http/input-guard.js';
