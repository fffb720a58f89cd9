// Public surface of src/generate: plan → apply, diffs, receipts, verify, watch, project config, template authoring.
export { planGeneration, type GenerationPlan, type PlanOptions, type PlannedOperation, type PlannedHook, type TemplateInput, type OperationKind } from './plan.js';
export { applyPlan, recoverInterruptedApply, type ApplyOptions, type ApplyResult, type HookRun } from './apply.js';
export { planDiff } from './diff.js';
export { readReceipt, serializeReceipt, RECEIPT_PATH, type Receipt, type ReceiptOutput } from './receipt.js';
export { verifyReceipt, type Drift, type VerifyResult } from './verify.js';
export { loadProjectConfig, findTemplates, type ProjectConfig } from './project.js';
export { parseFrontmatter, frontmatterKeys, type Frontmatter, type FrontmatterWarning, type ParsedFrontmatter } from './frontmatter.js';
export { injectContent, wrapRegion, type InjectOptions, type InjectResult } from './inject.js';
export { keepFrozen, hashOutsideFrozen } from './freeze.js';
export { savePlan, loadPlan } from './plan-file.js';
export { watchProject, type WatchEvent, type WatchOptions, type ProjectWatcher } from './watch.js';
export { lintTemplate, describeTemplate, listTemplates, scaffoldTemplate, type LintIssue, type TemplateSummary } from './authoring.js';
