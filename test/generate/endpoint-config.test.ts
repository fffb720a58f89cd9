// `[graph]` as a table in ggen.toml: graph files, the endpoint, its dataset, auth by variable names, timeout.
import { expect, it } from 'vitest';
import { loadProjectConfig, resolveProject } from '../../src/generate/index.js';
import { tree } from './fixtures.js';

it('reads [graph] files, endpoint, dataset, auth and timeout; --endpoint overrides the URL only', async () => {
  const dir = tree({
    'a.tmpl': '---\nto: a.txt\n---\na\n',
    'shop.ttl': '',
    'ggen.toml': '[graph]\nfiles = ["shop.ttl"]\nendpoint = "http://db:8890/sparql"\ndefault_graph = "http://g/1"\nnamed_graphs = ["http://g/2", "http://g/3"]\nauth = { token_env = "TOKEN" }\ntimeout_ms = 5000\nendpont = "typo"\n',
  });
  const config = await loadProjectConfig(dir);
  expect(config.graphFiles).toEqual([`${dir}/shop.ttl`]);
  expect(config.endpoint).toEqual({ url: 'http://db:8890/sparql', defaultGraphs: ['http://g/1'], namedGraphs: ['http://g/2', 'http://g/3'], auth: { tokenEnv: 'TOKEN' }, timeoutMs: 5000 });
  expect(config.warnings).toEqual([`${dir}/ggen.toml:8:1: unknown key "endpont" in [graph] (ignored); did you mean "endpoint"?`]);
  const project = await resolveProject(dir, { endpoint: 'http://other/sparql' });
  expect(project.plan.endpoint).toEqual({ ...config.endpoint, url: 'http://other/sparql' });
});

it('a [graph] with only the dataset applies when --endpoint is given, and not otherwise', async () => {
  const dir = tree({ 'a.tmpl': '---\nto: a.txt\n---\na\n', 'ggen.toml': '[graph]\ndefault_graph = "http://g/1"\n' });
  expect((await resolveProject(dir, {})).plan.endpoint).toBeUndefined();
  expect((await resolveProject(dir, { endpoint: 'http://db/sparql' })).plan.endpoint).toEqual({ url: 'http://db/sparql', defaultGraphs: ['http://g/1'] });
});

it('auth takes names of variables: token_env, or user_env with password_env', async () => {
  const both = tree({ 'ggen.toml': '[graph]\nendpoint = "http://db/sparql"\nauth = { token_env = "T", user_env = "U", password_env = "P" }\n' });
  await expect(loadProjectConfig(both)).rejects.toThrow('[graph] auth takes token_env, or user_env with password_env, not both');
  const half = tree({ 'ggen.toml': '[graph]\nendpoint = "http://db/sparql"\nauth = { user_env = "U" }\n' });
  await expect(loadProjectConfig(half)).rejects.toThrow('[graph] auth needs user_env and password_env (or token_env)');
});
