// One validator per built-in requirement: each looks for evidence in the project and says what it found.
import type { ProjectEvidence } from './evidence.js';

export type ValidatorOutcome = 'pass' | 'fail' | 'none' | 'na';

/** pass: evidence found; fail: evidence of a problem; none: no evidence either way; na: does not apply. */
export interface ValidatorResult {
  outcome: ValidatorOutcome;
  evidence: string[];
}

export type Validator = (ev: ProjectEvidence) => ValidatorResult;

const pass = (...evidence: string[]): ValidatorResult => ({ outcome: 'pass', evidence });
const fail = (...evidence: string[]): ValidatorResult => ({ outcome: 'fail', evidence });
const none = (...evidence: string[]): ValidatorResult => ({ outcome: 'none', evidence });
const na = (...evidence: string[]): ValidatorResult => ({ outcome: 'na', evidence });

function byDependencyOrFiles(ev: ProjectEvidence, deps: readonly string[], globs: readonly string[], what: string, check?: (file: string) => boolean): ValidatorResult {
  const dep = ev.findDependency(deps);
  if (dep) return pass(`dependency "${dep.name}" declared in ${dep.file}`);
  const files = ev.files(globs).filter((f) => !check || check(f));
  if (files.length > 0) return pass(`${what}: ${files.slice(0, 3).join(', ')}`);
  return none(`no ${what} and no known library among the declared dependencies`);
}

const MARKER = /\b(TODO|FIXME|XXX)\b|\bunimplemented!|\btodo!\(|\.unwrap\(\)|not implemented/i;

const errorHandling: Validator = (ev) => {
  const files = ev.sourceFiles();
  if (files.length === 0) return none('no source files found (set [readiness] sources to say where they are)');
  const hits: string[] = [];
  for (const file of files) {
    const lines = (ev.read(file) ?? '').split('\n');
    lines.forEach((line, i) => {
      const m = MARKER.exec(line);
      if (m) hits.push(`${file}:${i + 1}: ${m[0]}`);
    });
  }
  if (hits.length > 0) return fail(`${hits.length} unfinished-work marker(s)`, ...hits.slice(0, 5), ...(hits.length > 5 ? [`… and ${hits.length - 5} more`] : []));
  return pass(`${files.length} source file(s), no TODO/FIXME/unimplemented markers`);
};

const HEALTH_PATH = /^\s*["']?\/(health|healthz|livez|readyz|ready|status\/health)["']?\s*:/m;

const healthChecks: Validator = (ev) => {
  for (const spec of ev.files(['openapi.{yaml,yml,json}', 'swagger.{yaml,yml,json}', 'api/openapi.{yaml,yml,json}', 'docs/openapi.{yaml,yml,json}'])) {
    const text = ev.read(spec) ?? '';
    if (HEALTH_PATH.test(text) || /"\/(health|healthz|livez|readyz|ready)"\s*:/.test(text)) return pass(`health path declared in ${spec}`);
  }
  for (const file of ev.files(['Dockerfile', 'Containerfile', '**/Dockerfile'])) if (/^\s*HEALTHCHECK\s+(?!NONE)/im.test(ev.read(file) ?? '')) return pass(`HEALTHCHECK in ${file}`);
  for (const file of ev.files(['docker-compose.{yml,yaml}', 'compose.{yml,yaml}'])) if (/^\s*healthcheck:/m.test(ev.read(file) ?? '')) return pass(`healthcheck in ${file}`);
  for (const file of ev.files(['k8s/**/*.{yml,yaml}', 'kubernetes/**/*.{yml,yaml}', 'deploy/**/*.{yml,yaml}', 'helm/**/*.{yml,yaml}'])) if (/^\s*(livenessProbe|readinessProbe):/m.test(ev.read(file) ?? '')) return pass(`probe in ${file}`);
  return none('no health endpoint in an OpenAPI spec, no Dockerfile HEALTHCHECK, no compose healthcheck, no Kubernetes probe');
};

const DB_CLIENTS = ['pg', 'postgres', 'mysql', 'mysql2', 'sqlite3', 'better-sqlite3', 'prisma', '@prisma/client', 'typeorm', 'sequelize', 'knex', 'mongoose', 'mongodb', 'drizzle-orm', 'sqlx', 'diesel', 'sea-orm', 'rusqlite', 'tokio-postgres', 'sqlalchemy', 'psycopg2', 'psycopg', 'django', 'peewee', 'gorm.io/gorm', 'github.com/lib/pq', 'github.com/jackc/pgx/v5'];

const databaseMigrations: Validator = (ev) => {
  const files = ev.files(['migrations/**', 'db/migrate/**', 'prisma/migrations/**', 'alembic/versions/**', 'src/migrations/**', 'database/migrations/**']);
  if (files.length > 0) return pass(`${files.length} migration file(s), e.g. ${files[0]}`);
  const db = ev.findDependency(DB_CLIENTS);
  if (db) return fail(`database client "${db.name}" declared in ${db.file} but no migrations directory`);
  return na('no database client among the declared dependencies');
};

function testPhasePassed(ev: ProjectEvidence): ValidatorResult | undefined {
  const phase = ev.make?.readiness.testPhase ?? 'test';
  const runs = ev.lastRuns(phase);
  if (runs.length === 0) return none(`the "${phase}" phase has not run yet`);
  const failed = runs.filter((r) => !r.run.success);
  if (failed.length > 0) return fail(...failed.map((r) => `last "${phase}" run failed (${r.where}, exit code ${r.run.exit_code ?? 'none'})`));
  return undefined;
}

const unitTests: Validator = (ev) => {
  const tests = ev.testFiles();
  if (tests.length === 0) return none('no test files found');
  const phase = ev.make?.readiness.testPhase ?? 'test';
  return testPhasePassed(ev) ?? pass(`${tests.length} test file(s)`, `last "${phase}" run passed`);
};

const INTEGRATION = /(^|\/)(integration|e2e)\/|\.(e2e|integration)\.[^/]+$|_integration_test\.[^/]+$/;

const integrationTests: Validator = (ev) => {
  const tests = ev.testFiles().filter((f) => INTEGRATION.test(f));
  const more = ev.files(['e2e/**', 'tests/integration/**', 'test/integration/**']).filter((f) => !tests.includes(f));
  const all = [...tests, ...more];
  if (all.length === 0) return none('no integration or e2e test files found');
  const phase = ev.make?.readiness.testPhase ?? 'test';
  return testPhasePassed(ev) ?? pass(`${all.length} integration test file(s)`, `last "${phase}" run passed`);
};

const dockerfile: Validator = (ev) => {
  for (const file of ev.files(['Dockerfile', 'Containerfile', '*.Dockerfile', 'docker/Dockerfile'])) if (/^\s*FROM\s+\S/im.test(ev.read(file) ?? '')) return pass(`${file} with a FROM line`);
  return none('no Dockerfile or Containerfile with a FROM line');
};

const configurationManagement: Validator = (ev) => {
  const envs = Object.keys(ev.make?.envSets ?? {}).sort();
  if (envs.length > 0) return pass(`make.toml environments: ${envs.join(', ')}`);
  const files = ev.files(['.env.example', '.env.sample', 'config/**', 'config.{toml,yaml,yml,json}', 'settings.*', 'app.toml']);
  if (files.length > 0) return pass(`configuration files: ${files.slice(0, 3).join(', ')}`);
  return none('no [env.ENVIRONMENT] tables in make.toml and no configuration files');
};

const ciConfig: Validator = (ev) => {
  const files = ev.files(['.github/workflows/*.{yml,yaml}', '.gitlab-ci.yml', '.circleci/config.yml', 'azure-pipelines.yml', 'Jenkinsfile', '.travis.yml', 'bitbucket-pipelines.yml', '.woodpecker.yml', '.woodpecker/*.yml']);
  return files.length > 0 ? pass(`CI config: ${files.slice(0, 3).join(', ')}`) : none('no CI configuration found');
};

function sameKeys(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string[] {
  const left = Object.keys(a ?? {});
  const right = Object.keys(b ?? {});
  return [...left.filter((k) => !right.includes(k)), ...right.filter((k) => !left.includes(k))].sort();
}

const dependencyLockfile: Validator = (ev) => {
  const found: string[] = [];
  const pkg = ev.json('package.json') as Record<string, Record<string, string> | undefined> | undefined;
  if (pkg) {
    const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    if (Object.keys(declared).length > 0) {
      const lock = ev.json('package-lock.json') as { packages?: Record<string, Record<string, Record<string, string> | undefined>> } | undefined;
      if (lock?.packages?.['']) {
        const rootEntry = lock.packages[''];
        const diff = sameKeys({ ...rootEntry.dependencies, ...rootEntry.devDependencies, ...rootEntry.optionalDependencies }, declared);
        if (diff.length > 0) return fail(`package-lock.json does not match package.json (differs in: ${diff.join(', ')}); run npm install`);
        found.push('package-lock.json matches package.json');
      } else {
        const other = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'npm-shrinkwrap.json'].find((f) => ev.exists(f));
        if (!other) return fail('package.json declares dependencies but there is no lockfile');
        found.push(`${other} present`);
      }
    }
  }
  const cargo = ev.toml('Cargo.toml');
  if (cargo && Object.keys((cargo.dependencies as object | undefined) ?? {}).length > 0) {
    const lock = ev.read('Cargo.lock');
    if (lock === undefined) return fail('Cargo.toml declares dependencies but there is no Cargo.lock');
    const missing = Object.keys(cargo.dependencies as object).filter((d) => !lock.includes(`name = "${d}"`));
    if (missing.length > 0) return fail(`Cargo.lock does not list: ${missing.join(', ')}; run cargo update`);
    found.push('Cargo.lock lists every dependency');
  }
  if (ev.exists('pyproject.toml') || ev.exists('requirements.txt')) {
    const lock = ['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock', 'requirements.lock'].find((f) => ev.exists(f));
    if (ev.dependencies().size > 0 && !lock && !/==/.test(ev.read('requirements.txt') ?? '')) return fail('Python dependencies are not locked (no poetry.lock/uv.lock/pdm.lock, no == pins)');
    if (lock) found.push(`${lock} present`);
  }
  if (ev.exists('go.mod') && /^\s*require\b/m.test(ev.read('go.mod') ?? '')) {
    if (!ev.exists('go.sum')) return fail('go.mod requires modules but there is no go.sum');
    found.push('go.sum present');
  }
  if (found.length === 0) return na('no declared dependencies to lock');
  return pass(...found);
};

const readmeLicense: Validator = (ev) => {
  const readme = ev.files(['README', 'README.{md,rst,txt,adoc}', 'readme.md']).find((f) => (ev.read(f) ?? '').trim() !== '');
  const license = ev.files(['LICENSE', 'LICENSE.*', 'LICENCE', 'LICENCE.*', 'COPYING', 'COPYING.*', 'LICENSE-*'])[0];
  if (readme && license) return pass(`${readme}`, `${license}`);
  return none(...(readme ? [] : ['no non-empty README']), ...(license ? [] : ['no LICENSE file']));
};

export const VALIDATORS: Record<string, Validator> = {
  'auth-basic': (ev) => {
    const dep = ev.findDependency(['passport', 'jsonwebtoken', 'jose', 'next-auth', '@auth/*', 'express-session', 'bcrypt', 'bcryptjs', 'argon2', 'oauth2', 'pyjwt', 'authlib', 'flask-login', 'django-allauth', 'github.com/golang-jwt/jwt/v5']);
    return dep ? pass(`dependency "${dep.name}" declared in ${dep.file}`) : none('authentication cannot be checked automatically without a known library; attest with `ggen lifecycle readiness-update auth-basic complete` (or not-applicable)');
  },
  'error-handling': errorHandling,
  'logging-tracing': (ev) => byDependencyOrFiles(ev, ['pino', 'winston', 'bunyan', 'loglevel', 'log4js', 'consola', 'tracing', 'log', 'env_logger', 'slog', 'tracing-subscriber', 'structlog', 'loguru', 'go.uber.org/zap', 'github.com/sirupsen/logrus', 'github.com/rs/zerolog'], ['logging.{json,yaml,yml,conf,ini,toml}', 'config/logging.*', 'log4rs.{yaml,yml}', 'logback.xml', 'log4j2.xml', 'pino.config.*'], 'logging config'),
  'health-checks': healthChecks,
  'input-validation': (ev) => byDependencyOrFiles(ev, ['zod', 'joi', 'yup', 'ajv', 'class-validator', 'validator', 'superstruct', 'valibot', '@sinclair/typebox', 'garde', 'pydantic', 'marshmallow', 'cerberus', 'jsonschema', 'github.com/go-playground/validator/v10'], ['**/*.schema.json', 'schemas/**/*.json', 'schema/**/*.json'], 'JSON Schema files'),
  'database-migrations': databaseMigrations,
  'api-documentation': (ev) => {
    const spec = ev.files(['openapi.{yaml,yml,json}', 'swagger.{yaml,yml,json}', 'api/openapi.{yaml,yml,json}', 'docs/openapi.{yaml,yml,json}'])[0];
    if (spec) return pass(`API spec ${spec}`);
    const docs = ev.files(['docs/**/*.md']);
    return docs.length > 0 ? pass(`${docs.length} Markdown page(s) under docs/`) : none('no OpenAPI/Swagger spec and no docs/*.md');
  },
  'unit-tests': unitTests,
  'integration-tests': integrationTests,
  'performance-monitoring': (ev) => byDependencyOrFiles(ev, ['prom-client', '@opentelemetry/*', 'opentelemetry', 'opentelemetry-*', 'metrics', 'prometheus', 'prometheus-client', 'prometheus_client', 'dd-trace', 'newrelic', 'github.com/prometheus/client_golang'], ['prometheus.{yml,yaml}', 'otel-collector*.{yml,yaml}', 'otel*.{yml,yaml}'], 'metrics config'),
  'docker-containerization': dockerfile,
  'configuration-management': configurationManagement,
  'ci-config': ciConfig,
  'dependency-lockfile': dependencyLockfile,
  'readme-license': readmeLicense,
  'rate-limiting': (ev) => byDependencyOrFiles(ev, ['express-rate-limit', 'rate-limiter-flexible', '@fastify/rate-limit', 'bottleneck', 'governor', 'tower_governor', 'slowapi', 'django-ratelimit', 'golang.org/x/time'], [], 'rate-limit config'),
  'caching-layer': (ev) => byDependencyOrFiles(ev, ['redis', 'ioredis', 'memcached', 'lru-cache', 'node-cache', 'keyv', 'cache-manager', 'moka', 'cached', 'lru', 'cachetools', 'django-redis', 'github.com/redis/go-redis/v9'], [], 'cache config'),
  'circuit-breaker': (ev) => byDependencyOrFiles(ev, ['opossum', 'cockatiel', 'brakes', 'failsafe', 'circuitbreaker', 'pybreaker', 'github.com/sony/gobreaker'], [], 'circuit-breaker config'),
  'advanced-security': (ev) => {
    const files = ev.files(['SECURITY.md', '.github/SECURITY.md', '.github/dependabot.{yml,yaml}', 'renovate.json', '.renovaterc', '.renovaterc.json']);
    return files.length > 0 ? pass(files.slice(0, 3).join(', ')) : none('no SECURITY.md and no dependabot/renovate configuration');
  },
  'monitoring-dashboard': (ev) => {
    const files = ev.files(['dashboards/**/*.json', 'grafana/**/*.json', 'monitoring/**/*.json']);
    return files.length > 0 ? pass(`${files.length} dashboard file(s), e.g. ${files[0]}`) : none('no dashboard JSON under dashboards/, grafana/ or monitoring/');
  },
};
