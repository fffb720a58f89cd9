// Declarative scenarios: TOML files of steps and expectations, each run in its own cleanroom.
export type { Scenario, ScenarioExpectation, ScenarioStep, ValidatorSpec } from './model.js';
export { loadScenario, parseScenario } from './parse.js';
export { formatScenarioReport, scenarioReportJson, toJUnitXml, type TextReportOptions } from './report.js';
export { expandScenarioPaths, runScenario, runScenarioFiles, type ExpectationResult, type ScenarioReport, type ScenarioResult, type ScenarioRunOptions, type ScenarioStatus, type StepResult } from './run.js';
export { splitWords } from './words.js';
