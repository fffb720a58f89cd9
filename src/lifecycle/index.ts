// Public surface of src/lifecycle: make.toml model, planning, running, pipelines, state and readiness.
// Names are lifecycle-specific because src/index.ts re-exports every area into one namespace.
export { loadMakeToml, loadWorkspaceMake, MAKE_FILE, type LoadMakeOptions } from './make-toml/load.js';
export { findHookCycle } from './make-toml/rules.js';
export type { MakeToml, Phase, Workspace, HookEntry, LoadedMake, ConfigIssue, ReadinessConfig, UserRequirement, RequirementCategory } from './model.js';
export { DEFAULT_TIMEOUT_MS as LIFECYCLE_DEFAULT_TIMEOUT_MS, DEFAULT_THRESHOLD as READINESS_DEFAULT_THRESHOLD } from './model.js';
export { planInvocation, planSegments, type PlanStep } from './plan.js';
export { declaredEnv as declaredPhaseEnv, phaseEnv } from './env.js';
export { computeCacheKey as computeLifecycleCacheKey } from './cache.js';
export { loadState as loadLifecycleState, statePath as lifecycleStatePath, type LifecycleState, type RunRecord } from './state.js';
export type { LifecycleEvent, EventSink as LifecycleEventSink, PhaseOutcome, PhaseStatus } from './events.js';
export { runLifecycle, describeRun, type RunLifecycleOptions, type DryRunStep } from './run.js';
export { runPipeline, describePipeline, type PipelineOptions, type PipelineResult, type PipelineRow } from './pipeline.js';
export { renderGraphText as renderLifecycleGraphText, renderGraphDot as renderLifecycleGraphDot } from './graph.js';
export {
  BUILTIN_REQUIREMENTS, CATEGORY_WEIGHTS as READINESS_CATEGORY_WEIGHTS, type RequirementSpec,
  assessReadiness, createDeployGate, requirementSpecs as readinessRequirementSpecs, type ReadinessReport, type RequirementReport, type CategoryReport,
  updateReadiness, type UpdateReadinessOptions, type RequirementStatus,
} from './readiness/index.js';
