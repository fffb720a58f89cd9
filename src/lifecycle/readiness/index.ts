// Public surface of readiness: evidence-based requirements, attestations, the report and the deploy gate.
export { BUILTIN_REQUIREMENTS, CATEGORY_WEIGHTS, type RequirementSpec } from './requirements.js';
export { VALIDATORS, type ValidatorResult, type ValidatorOutcome } from './validators.js';
export { parseStatus, loadAttestations, productionFilePath, type RequirementStatus, type Attestation } from './production-file.js';
export { assessReadiness, createDeployGate, requirementSpecs, type ReadinessReport, type RequirementReport, type CategoryReport } from './report.js';
export { updateReadiness, type UpdateReadinessOptions } from './update.js';
