// What the CLI needs before it knows whether the pipeline has to run at all: finding templates, reading the
// project's ggen.toml, and answering a settled run from its memo (settled.ts). Importing the area's index instead
// would load the template engine, the graph store and the schemas on every start.
export { findTemplates, resolveProject } from './project.js';
export { readPluginConfig } from './plugins.js';
export { runSettled } from './settled.js';
export { formatGateReport, gateReportJson } from './shacl-format.js';
