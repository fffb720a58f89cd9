// Cleanroom: isolated, measured test environments (the `ggen/cleanroom` entry).
import './polyfill.js';

export { CleanroomConfig, CleanroomConfigBuilder, defaultCleanroomConfig, resolveCleanroomConfig } from './config.js';
export type { BackgroundProcess } from './background.js';
export { CleanroomEnv } from './env.js';
export { ggenBinPath } from './ggen-bin.js';
export { createBenchmark, PerformanceMetrics, recordIteration, type Benchmark } from './metrics.js';
export { killProcessGroup, type RunOptions, type RunResult } from './process.js';
export { isAssertionFailure, type TestContext, type TestFunction, type TestResult, type TestStatus } from './run-test.js';
export { assertFileMatchesGolden, assertTreeMatchesGolden, CleanroomAssertionError, matchGoldenFile, matchTreeSnapshot, updateGoldenRequested, type SnapshotOptions, type SnapshotResult } from './snapshot.js';
export { diffLines, diffTrees, listTree, type TreeDiff, type TreeEntry, type TreeOptions } from './tree.js';
export { runValidator, ValidationSuite, type SuiteResult, type ValidationOutcome, type ValidationResult, type Validator } from './validation.js';
export * from './validators/index.js';
export * from './scenario/index.js';
export type { LimitName, ProcessUsage, ResourceLimits } from './limits.js';
export type { NetworkMode } from './config.js';
export { freePort, SERVICE_KINDS, type Service, type ServiceKind, type ServiceOptions, type ServiceProbe } from './services.js';
export { launcherUnavailable } from './launcher.js';
