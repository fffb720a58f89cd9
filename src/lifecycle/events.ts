// What the runner reports while it works; the CLI turns these into prefixed live output.

export type LifecycleEvent =
  | { type: 'phase-start'; workspace?: string; phase: string; trigger: string }
  | { type: 'phase-cached'; workspace?: string; phase: string; key: string }
  | { type: 'phase-end'; workspace?: string; phase: string; success: boolean; durationMs: number; exitCode: number | null }
  | { type: 'hook-command'; workspace?: string; trigger: string; command: string }
  | { type: 'command'; workspace?: string; phase: string; command: string }
  | { type: 'output'; workspace?: string; phase: string; stream: 'stdout' | 'stderr'; line: string };

export type EventSink = (event: LifecycleEvent) => void;

export type PhaseStatus = 'ok' | 'cached' | 'failed' | 'skipped';

export interface PhaseOutcome {
  workspace?: string;
  phase: string;
  trigger: string;
  status: PhaseStatus;
  durationMs: number;
}
