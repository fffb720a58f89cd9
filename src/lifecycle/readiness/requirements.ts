// The built-in readiness requirements: the 17 ids of 1.x plus three we add, each with the evidence that decides it.
import type { RequirementCategory } from '../model.js';

export interface RequirementSpec {
  id: string;
  name: string;
  description: string;
  category: RequirementCategory;
  priority: number;
  effortHours: number;
  dependencies: string[];
  /** What the validator looks for (documented in docs/lifecycle.md). */
  evidence: string;
}

const r = (id: string, name: string, category: RequirementCategory, priority: number, effortHours: number, dependencies: string[], description: string, evidence: string): RequirementSpec => ({ id, name, category, priority, effortHours, dependencies, description, evidence });

export const BUILTIN_REQUIREMENTS: readonly RequirementSpec[] = [
  r('auth-basic', 'Basic Authentication', 'Critical', 10, 8, [], 'User authentication for protected operations', 'an authentication library among the declared dependencies (passport, jsonwebtoken, jose, next-auth, bcrypt, argon2, …); otherwise attest with readiness-update'),
  r('error-handling', 'Comprehensive Error Handling', 'Critical', 10, 12, [], 'No unfinished code paths: no TODO/FIXME/XXX, unimplemented!/todo!, .unwrap() or "not implemented" in source', 'source files exist and none contains an unfinished-work marker (each hit is listed as file:line)'),
  r('logging-tracing', 'Structured Logging & Tracing', 'Critical', 9, 6, [], 'Logging is configured', 'a logging library among the dependencies (pino, winston, tracing, log, structlog, zap, …) or a logging config file (logging.{json,yaml,conf,ini,toml}, config/logging.*, log4rs.yaml, logback.xml)'),
  r('health-checks', 'Health Check Endpoints', 'Critical', 8, 4, [], 'A health endpoint is declared', 'an OpenAPI spec with a /health, /healthz, /livez, /readyz or /ready path, a Dockerfile HEALTHCHECK, a compose healthcheck, or a Kubernetes liveness/readiness probe'),
  r('input-validation', 'Input Validation & Sanitization', 'Critical', 9, 10, ['auth-basic'], 'Inputs are validated against a schema', 'a validation library among the dependencies (zod, joi, ajv, yup, pydantic, validator, …) or JSON Schema files (*.schema.json, schemas/**/*.json)'),
  r('database-migrations', 'Database Schema Migrations', 'Critical', 8, 8, [], 'Database schema changes are versioned', 'a migrations directory with files (migrations/, db/migrate/, prisma/migrations/, alembic/versions/, src/migrations/); not applicable when no database client is declared'),
  r('api-documentation', 'OpenAPI Documentation', 'Important', 7, 12, [], 'The API is documented', 'an OpenAPI/Swagger spec (openapi.*, swagger.*, api/openapi.*, docs/openapi.*) or Markdown docs under docs/'),
  r('unit-tests', 'Comprehensive Unit Tests', 'Important', 7, 20, [], 'Tests exist and pass', 'test files exist (test/, tests/, *.test.*, *_test.*, test_*.py) and the last run of the test phase succeeded'),
  r('integration-tests', 'Integration Tests', 'Important', 6, 16, ['unit-tests'], 'Integration tests exist and pass', 'integration/e2e test files exist (test/integration/, tests/e2e/, e2e/, *.e2e.*, *.integration.*) and the last run of the test phase succeeded'),
  r('performance-monitoring', 'Performance Monitoring', 'Important', 6, 8, ['logging-tracing'], 'Metrics are exported', 'a metrics/tracing library among the dependencies (prom-client, @opentelemetry/*, opentelemetry, metrics, prometheus-client, dd-trace) or a prometheus.yml / otel collector config'),
  r('docker-containerization', 'Docker Containerization', 'Important', 7, 6, ['health-checks'], 'The service builds into a container image', 'a Dockerfile or Containerfile with a FROM line'),
  r('configuration-management', 'Configuration Management', 'Important', 7, 8, [], 'Configuration is per environment', 'make.toml [env.ENVIRONMENT] tables, or .env.example, config/, config.{toml,yaml,json}, settings.*, app.toml'),
  r('ci-config', 'Continuous Integration', 'Important', 7, 4, [], 'Every change is built and tested by CI', '.github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, azure-pipelines.yml, Jenkinsfile, .travis.yml or bitbucket-pipelines.yml'),
  r('dependency-lockfile', 'Locked Dependencies', 'Important', 7, 2, [], 'Dependencies are pinned by a lockfile that matches the manifest', 'package.json → package-lock.json (its root entry lists the same dependencies), yarn.lock or pnpm-lock.yaml; Cargo.toml → Cargo.lock naming every dependency; pyproject.toml → poetry.lock/uv.lock/pdm.lock; go.mod → go.sum; not applicable without dependencies'),
  r('readme-license', 'README and License', 'Important', 6, 1, [], 'Users can learn what it is and under which terms', 'a non-empty README(.md|.rst|.txt) and a LICENSE/LICENCE/COPYING file'),
  r('rate-limiting', 'Rate Limiting', 'NiceToHave', 4, 12, ['auth-basic'], 'Requests are rate limited', 'a rate-limiting library among the dependencies (express-rate-limit, rate-limiter-flexible, @fastify/rate-limit, governor, slowapi, …)'),
  r('caching-layer', 'Advanced Caching', 'NiceToHave', 3, 16, ['performance-monitoring'], 'Hot data is cached', 'a cache library among the dependencies (redis, ioredis, lru-cache, keyv, moka, cachetools, …)'),
  r('circuit-breaker', 'Circuit Breaker Pattern', 'NiceToHave', 3, 10, ['error-handling'], 'Failing dependencies are isolated', 'a circuit-breaker library among the dependencies (opossum, cockatiel, failsafe, pybreaker, gobreaker, …)'),
  r('advanced-security', 'Advanced Security Features', 'NiceToHave', 4, 14, ['input-validation'], 'Security issues have a process and dependencies are watched', 'SECURITY.md, or a dependabot/renovate configuration'),
  r('monitoring-dashboard', 'Monitoring Dashboard', 'NiceToHave', 2, 20, ['performance-monitoring'], 'Dashboards are versioned with the code', 'dashboard JSON under dashboards/, grafana/ or monitoring/'),
];

export const CATEGORY_WEIGHTS: Record<RequirementCategory, number> = { Critical: 0.8, Important: 0.15, NiceToHave: 0.05 };
export const CATEGORY_ORDER: RequirementCategory[] = ['Critical', 'Important', 'NiceToHave'];
