// The launcher: a small Perl program (perl-base is part of every Debian/Ubuntu system) that sits between
// Node and each cleanroom process. Node cannot call wait4, setrlimit, prctl, unshare or setns on a child,
// so the launcher does, with Perl's `syscall`:
//  - it is a child subreaper (PR_SET_CHILD_SUBREAPER), so processes that call setsid or double-fork are
//    re-parented to it instead of init, and it kills every descendant when the command ends or on SIGTERM;
//  - or, with a PID namespace, it forks a PID 1 whose exit makes the kernel kill everything in the namespace;
//  - it joins the env's network namespace (setns, held by a "holder" launcher started at env creation);
//  - it applies rlimits (prlimit64) and joins a pids cgroup in the command's process before exec;
//  - it reports the command's pid, then usage from the kernel (getrusage(RUSAGE_CHILDREN) after every
//    descendant is reaped) and the raw wait status on fd 3.
import { execFileSync } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';

/** Syscall numbers, in the order the script reads them from `sc=`. */
const SYSCALLS: Record<string, number[]> = {
  //      wait4 prlimit64 prctl unshare setns clock_gettime getrusage setresuid setresgid setgroups
  x64: [61, 302, 157, 272, 308, 228, 98, 117, 119, 116],
  arm64: [260, 261, 167, 97, 268, 113, 165, 147, 149, 159],
};

export const RLIMIT = { cpu: 0, fsize: 1, data: 2, nproc: 6, nofile: 7 } as const;

const SCRIPT = String.raw`
my %o; my @rl;
while (@ARGV) { my $a = shift @ARGV; last if $a eq '--'; my ($k, $v) = split /=/, $a, 2; if ($k eq 'rl') { push @rl, $v } else { $o{$k} = $v } }
my ($WAIT4, $PRLIMIT, $PRCTL, $UNSHARE, $SETNS, $CLOCK, $RUSAGE, $SETRESUID, $SETRESGID, $SETGROUPS) = map { $_ + 0 } split /,/, $o{sc};
open(my $rep, '>>&=', 3) or exit 124; fcntl($rep, 2, 1);
sub say3 { syswrite($rep, "$_[0]\n") }
sub fail { my ($stage, $e) = @_; say3("error $stage " . ($e // ($! + 0))); exit 125 }
sub now { my $b = "\0" x 16; syscall($CLOCK, 1, $b); my ($s, $ns) = unpack('q q', $b); return $s * 1000000000 + $ns }
sub wfile { my ($f, $t) = @_; open(my $h, '>', $f) or return 0; my $ok = syswrite($h, $t); close($h) or return 0; return defined $ok }
my ($NEWUSER, $NEWNET, $NEWPID) = (0x10000000, 0x40000000, 0x20000000);
sub userns_map { my ($u, $g) = @_; wfile('/proc/self/setgroups', 'deny'); wfile('/proc/self/uid_map', "$u $u 1") or fail('uid_map'); wfile('/proc/self/gid_map', "$g $g 1") or fail('gid_map') }
sub lo_up {
  socket(my $s, 2, 2, 0) or fail('socket');
  my $ifr = pack('a16 s x22', 'lo', 0); ioctl($s, 0x8913, $ifr) or fail('lo');
  my $fl = unpack('x16 s', $ifr) | 0x41; ioctl($s, 0x8914, pack('a16 s x22', 'lo', $fl)) or fail('lo');
}
my ($uid, $gid) = ($< + 0, (split / /, $()[0] + 0);
syscall($PRCTL, 1, ($o{mode} // '') eq 'hold' ? 9 : 15, 0, 0, 0);   # PR_SET_PDEATHSIG: die with Node
if (($o{mode} // '') eq 'hold') {
  my $fl = $NEWNET | ($o{user} ? $NEWUSER : 0);
  syscall($UNSHARE, $fl) == 0 or fail('unshare');
  userns_map($uid, $gid) if $o{user};
  lo_up() if $o{lo};
  say3("ready $$");
  my $buf; 1 while sysread(STDIN, $buf, 4096);   # held until Node closes stdin or kills us
  exit 0;
}
if (defined $o{join}) {
  for my $ns ($o{juser} ? (['user', $NEWUSER]) : (), ['net', $NEWNET]) {
    open(my $h, '<', "/proc/$o{join}/ns/$ns->[0]") or fail("setns-open-$ns->[0]");
    syscall($SETNS, fileno($h) + 0, $ns->[1]) == 0 or fail("setns-$ns->[0]");
    close($h);
  }
}
if ($o{user}) { syscall($UNSHARE, $NEWUSER) == 0 or fail('unshare-user'); userns_map($uid, $gid) }
if ($o{pidns}) { syscall($UNSHARE, $NEWPID) == 0 or fail('unshare-pid') }
else { syscall($PRCTL, 36, 1, 0, 0, 0) == 0 or fail('subreaper') }
my @cmd = @ARGV;
sub start_command {
  if (defined $o{cg}) { wfile($o{cg}, '0') or fail('cgroup') }
  for my $r (@rl) { my ($res, $soft, $hard) = split /:/, $r; syscall($PRLIMIT, 0, $res + 0, pack('Q Q', $soft, $hard), 0) == 0 or fail('prlimit') }
  if (defined $o{gid}) { syscall($SETGROUPS, 0, 0) == 0 or fail('setgroups'); syscall($SETRESGID, $o{gid} + 0, $o{gid} + 0, $o{gid} + 0) == 0 or fail('setgid') }
  if (defined $o{uid}) { syscall($SETRESUID, $o{uid} + 0, $o{uid} + 0, $o{uid} + 0) == 0 or fail('setuid') }
  $SIG{TERM} = 'DEFAULT';
  { no warnings; exec { $cmd[0] } @cmd; }
  say3('error exec ' . ($! + 0)); exit 127;
}
sub wait4 { my ($pid, $flags) = @_; my $st = pack('i', 0); my $r = syscall($WAIT4, $pid + 0, $st, $flags + 0, 0); return ($r, unpack('i', $st), $! + 0) }
pipe(my $sr, my $sw) or fail('pipe') if $o{pidns};
my $t0 = now();
my $term = 0;
$SIG{TERM} = sub { $term = 1 };
my $child = fork;
fail('fork') unless defined $child;
if ($child == 0) {
  if (!$o{pidns}) { start_command() }
  # PID 1 of the new namespace: start the command, reap orphans, pass its status up, exit (the kernel then kills the rest).
  close($sr); $SIG{TERM} = 'DEFAULT';
  my $cmdpid = fork; fail('fork') unless defined $cmdpid;
  start_command() if $cmdpid == 0;
  while (1) { my ($r, $st, $e) = wait4(-1, 0); if ($r == $cmdpid) { syswrite($sw, "$st\n"); last } last if $r < 0 && $e != 4 }
  exit 0;
}
close($sw) if $o{pidns};
say3("pid $child");
sub descendants {
  my %kids; opendir(my $d, '/proc') or return ();
  for my $p (readdir $d) { next unless $p =~ /^\d+$/; open(my $h, '<', "/proc/$p/stat") or next; my $s = <$h>; close $h; next unless defined $s && $s =~ /.*\)\s+\S+\s+(\d+)/s; push @{$kids{$1}}, $p }
  my @out; my @q = ($$); while (@q) { my $p = shift @q; for my $c (@{$kids{$p} // []}) { push @out, $c; push @q, $c } }
  return @out;
}
sub kill_all { if ($o{pidns}) { kill 'KILL', $child } else { my @d = descendants(); kill 'KILL', @d if @d } }
my $status;
while (1) {
  kill_all() if $term;
  my ($r, $st, $e) = wait4($child, 0);
  if ($r == $child) { $status = $st; last }
  last if $r < 0 && $e != 4;
}
my $tcmd = now();
if ($o{pidns}) { my $line = <$sr>; $status = $1 if defined $line && $line =~ /^(-?\d+)/ }
else {
  # Whatever the command left behind (background children, setsid daemons, double forks) was re-parented here: kill it all.
  while (1) {
    my ($r, $st, $e) = wait4(-1, 1);
    next if $r > 0;
    last if $r < 0;
    my @d = descendants(); kill 'KILL', @d if @d;
    ($r) = wait4(-1, 0);
    last if $r < 0;
  }
}
my $ru = "\0" x 144; syscall($RUSAGE, -1, $ru); my @u = unpack('q18', $ru);
$status //= 9;
say3(sprintf('exit %d %d %d %d %d', $status, $tcmd - $t0, $u[0] * 1000000 + $u[1], $u[2] * 1000000 + $u[3], $u[4]));
exit(($status & 127) ? 128 + ($status & 127) : ($status >> 8) & 255);
`;

export interface LauncherLimits {
  /** [resource, soft, hard] triples for prlimit64. */
  rlimits: Array<[number, number, number]>;
  /** cgroup.procs of a pids cgroup the command joins before exec. */
  cgroupProcs?: string;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  /** Join this holder's network namespace (and its user namespace when `joinUser`). */
  joinPid?: number;
  joinUser?: boolean;
  /** Run the command under PID 1 of a fresh PID namespace. */
  pidNamespace?: boolean;
  /** Create a user namespace first (unprivileged PID namespaces, per-env RLIMIT_NPROC). */
  userNamespace?: boolean;
  limits?: LauncherLimits;
  /** Drop to this uid/gid before exec (services that refuse to run as root). */
  uid?: number;
  gid?: number;
}

let perlCache: string | null | undefined;

/** The perl binary on PATH, or null. */
export function findPerl(): string | null {
  if (perlCache !== undefined) return perlCache;
  perlCache = null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'perl');
    try {
      accessSync(candidate, fsConstants.X_OK);
      perlCache = candidate;
      break;
    } catch {
      // not here
    }
  }
  return perlCache;
}

/** Why the launcher cannot run here, or undefined when it can. */
export function launcherUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the cleanroom launcher needs Linux (this is ${process.platform})`;
  if (!SYSCALLS[process.arch]) return `the cleanroom launcher knows no syscall numbers for ${process.arch} (x64 and arm64 only)`;
  if (findPerl() === null) return 'perl is not on PATH (Debian/Ubuntu: perl-base; Alpine: apk add perl)';
  return undefined;
}

/** argv (after the perl binary) for running `spec` under the launcher. */
export function launcherArgs(spec: LaunchSpec): string[] {
  const opts = [`sc=${SYSCALLS[process.arch]!.join(',')}`];
  if (spec.joinPid !== undefined) opts.push(`join=${spec.joinPid}`, ...(spec.joinUser ? ['juser=1'] : []));
  if (spec.userNamespace) opts.push('user=1');
  if (spec.pidNamespace) opts.push('pidns=1');
  for (const [res, soft, hard] of spec.limits?.rlimits ?? []) opts.push(`rl=${res}:${soft}:${hard}`);
  if (spec.limits?.cgroupProcs !== undefined) opts.push(`cg=${spec.limits.cgroupProcs}`);
  if (spec.uid !== undefined) opts.push(`uid=${spec.uid}`);
  if (spec.gid !== undefined) opts.push(`gid=${spec.gid}`);
  return ['-e', SCRIPT, ...opts, '--', spec.command, ...spec.args];
}

/** argv for a namespace holder: a process that owns the env's network (and user) namespace until its stdin closes. */
export function holderArgs(opts: { user: boolean; loopback: boolean }): string[] {
  return ['-e', SCRIPT, `sc=${SYSCALLS[process.arch]!.join(',')}`, 'mode=hold', ...(opts.user ? ['user=1'] : []), ...(opts.loopback ? ['lo=1'] : []), '--'];
}

export interface LauncherReport {
  pid?: number;
  ready?: number;
  error?: { stage: string; errno: number };
  exit?: { status: number; wallNs: number; userUs: number; sysUs: number; maxRssKb: number };
}

/** Parses the launcher's fd-3 lines into `report` (lines may arrive in several chunks). */
export function parseReportLine(line: string, report: LauncherReport): void {
  const [kind, ...rest] = line.trim().split(' ');
  if (kind === 'pid') report.pid = Number(rest[0]);
  else if (kind === 'ready') report.ready = Number(rest[0]);
  else if (kind === 'error') report.error ??= { stage: rest[0] ?? '?', errno: Number(rest[1]) };
  else if (kind === 'exit') {
    const [status, wallNs, userUs, sysUs, maxRssKb] = rest.map(Number) as [number, number, number, number, number];
    report.exit = { status, wallNs, userUs, sysUs, maxRssKb };
  }
}

const errnoNames = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

export function errnoName(n: number): string {
  return errnoNames.get(n) ?? `errno ${n}`;
}

/** A readable sentence for a launcher setup failure. */
export function describeLauncherError(err: { stage: string; errno: number }): string {
  const code = errnoName(err.errno);
  const what: Record<string, string> = {
    unshare: 'creating the network namespace (unshare)',
    'unshare-user': 'creating a user namespace (unshare)',
    'unshare-pid': 'creating a PID namespace (unshare)',
    uid_map: 'mapping the user into the user namespace',
    gid_map: 'mapping the group into the user namespace',
    lo: 'bringing up the loopback interface',
    'setns-user': "joining the env's user namespace (setns)",
    'setns-net': "joining the env's network namespace (setns)",
    'setns-open-user': "opening the env's user namespace",
    'setns-open-net': "opening the env's network namespace",
    subreaper: 'becoming a child subreaper (prctl)',
    cgroup: 'joining the pids cgroup',
    prlimit: 'setting a resource limit (prlimit)',
    setgroups: 'dropping supplementary groups',
    setgid: 'switching group',
    setuid: 'switching user',
    exec: 'starting the command',
    fork: 'forking',
    pipe: 'creating a pipe',
  };
  return `${what[err.stage] ?? err.stage} failed: ${code}`;
}

/** The signal name for a raw wait status (or null when the process exited normally). */
export function statusSignal(status: number): NodeJS.Signals | null {
  const sig = status & 0x7f;
  if (sig === 0) return null;
  const entry = Object.entries(constants.signals).find(([, n]) => n === sig);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? null;
}

export function statusExitCode(status: number): number {
  const sig = status & 0x7f;
  return sig !== 0 ? 128 + sig : (status >> 8) & 0xff;
}

/** True when this process runs as root (uid 0), where RLIMIT_NPROC is not enforced. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** uid and gid of a local user, from getent (or /etc/passwd), or undefined. */
export function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const parts = line.split(':');
    return { uid: Number(parts[2]), gid: Number(parts[3]) };
  } catch {
    return undefined;
  }
}
