// Public surface of src/generate: load → render → decide → apply, runs under the root lock, receipts, verify, watch, projects.
export { planGeneration, resolveOutputRoot, type GenerationPlan, type PlanOptions, type PlannedOperation, type PlannedHook, type TemplateInput, type OperationKind } from './plan.js';
export { decideOperations, decideHooks, type DecideInput, type DecidePolicy, type DiskEntry, type OutputRender } from './decide.js';
export { applyPlan, recoverInterruptedApply, type ApplyOptions, type ApplyResult, type HookRun } from './apply.js';
export { runGeneration, runPlanFile, lockOutputRoot, withOutputRoot, type RunOptions, type RunResult, type LockOptions } from './run.js';
export { planDiff, existingFileReader } from './diff.js';
export { readReceipt, serializeReceipt, RECEIPT_PATH, type Receipt, type ReceiptOutput } from './receipt.js';
export { verifyReceipt, driftOf, type Drift, type VerifyResult, type VerifyOverrides } from './verify.js';
export { loadProjectConfig, findProjectDir, findTemplates, resolveProject, type ProjectConfig, type ProjectOverrides, type ResolvedProject } from './project.js';
export { injectContent, wrapRegion, type InjectOptions, type InjectResult } from './inject.js';
export { keepFrozen, hashOutsideFrozen } from './freeze.js';
export { mergeThreeWay, type MergeConflict, type MergeResult } from './merge.js';
export { savePlan, loadPlan, type LoadPlanOptions } from './plan-file.js';
export { watchProject, type WatchEvent, type WatchOptions, type ProjectWatcher } from './watch.js';
export { lintTemplate, describeTemplate, listTemplates, scaffoldTemplate, TEMPLATE_KINDS, type LintIssue, type TemplateSummary } from './authoring.js';
export { STATE_DIR } from './state-dir.js';
export { pendingPrompts, type PendingPromptsOptions, type VarPrompt } from './prompts.js';
export { loadPlugins, readPluginConfig, pluginModuleHashes, assertPluginConsent, type LoadedPlugins, type LoadPluginsOptions, type PluginConfig, type PluginModuleHash } from './plugins.js';
export { isShaclGateError, formatGateReport, formatShaclResult, gateReportJson, refuses as shaclReportRefuses, shaclCounts, ShaclGateError, type ShaclGateReport } from './shacl-gate.js';
