// The network namespace of an env: a launcher in "hold" mode owns it (and, for a non-root user, the user
// namespace it needs) for the env's lifetime; every process of the env joins it with setns.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { GgenError } from '../errors.js';
import type { NetworkMode } from './config.js';
import { describeLauncherError, findPerl, holderArgs, isRoot, parseReportLine, type LauncherReport } from './launcher.js';

export interface NamespaceHolder {
  readonly pid: number;
  /** The holder also made a user namespace (non-root), which joiners enter first. */
  readonly user: boolean;
  stop(): void;
}

export async function startNamespaceHolder(mode: Exclude<NetworkMode, 'host'>, cwd: string): Promise<NamespaceHolder> {
  const user = !isRoot();
  const child = spawn(findPerl()!, holderArgs({ user, loopback: mode === 'loopback' }), { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  const report: LauncherReport = {};
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const outcome = await new Promise<'ready' | 'failed'>((resolve) => {
    let buf = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        parseReportLine(buf.slice(0, nl), report);
        buf = buf.slice(nl + 1);
        if (report.ready !== undefined) resolve('ready');
        if (report.error) resolve('failed');
      }
    });
    child.on('error', () => resolve('failed'));
    child.on('exit', () => resolve('failed'));
  });
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    const what = user ? 'unprivileged user and network namespaces' : 'a network namespace';
    const why = report.error ? describeLauncherError(report.error) : `the namespace holder exited${stderr ? `: ${stderr.trim()}` : ''}`;
    throw new GgenError('E_CLEANROOM', `network "${mode}" needs ${what}, and ${user ? 'they are' : 'it is'} not available here: ${why}`, {
      hint: user ? 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0; on Ubuntu also kernel.apparmor_restrict_unprivileged_userns=0), or use network "host"' : 'use network "host"',
    });
  }
  child.unref();
  child.stdin!.on('error', () => undefined);
  for (const s of [child.stdin, child.stderr, child.stdio[3]]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    pid: child.pid!,
    user,
    stop() {
      child.stdin!.destroy();
      try { child.kill('SIGKILL'); } catch { /* gone */ }
    },
  };
}
