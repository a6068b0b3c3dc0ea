// CPU per phase of a render and per process (Chromium's browser, renderer, GPU and utility processes, and this Node
// process), read from /proc at the boundaries of each phase. For benchmarks/reward_bench.py --phases: with one page
// rendering at a time the phases do not overlap, so each CPU tick belongs to the phase it was spent in.
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function kindOf(pid, root) {
  if (pid === process.pid) return 'node';
  if (pid === root) return 'browser';
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
    if (type === 'utility') return /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1].split('.').pop() || 'utility';
    return type || 'other';
  } catch {
    return 'other';
  }
}

// CPU ticks of every process under root (including children they reaped), by kind.
function ticks(root) {
  const out = { node: 0 };
  const self = fs.readFileSync('/proc/self/stat', 'utf8');
  out.node = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const kind = kindOf(pid, root);
      out[kind] = (out[kind] || 0) + Number(f[11]) + Number(f[12]);
      out['exited processes'] = (out['exited processes'] || 0) + Number(f[13]) + Number(f[14]);
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        stack.push(...fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
      }
    } catch {
      // the process exited between two reads: its time shows up in its parent's reaped children
    }
  }
  return out;
}

export class Profiler {
  constructor(root) {
    this.root = root;
    this.phases = {}; // phase -> kind -> ms
    this.jobs = 0;
    this.last = null;
  }

  // The CPU spent since the previous mark belongs to `phase`.
  mark(phase) {
    const now = ticks(this.root);
    if (phase && this.last) {
      const row = (this.phases[phase] ??= {});
      for (const k of Object.keys(now)) {
        const d = now[k] - (this.last[k] || 0);
        // a process that exited takes its ticks with it: only growth counts
        if (d > 0) row[k] = (row[k] || 0) + d * TICK_MS;
      }
    }
    this.last = now;
  }

  report() {
    return { jobs: this.jobs, phases: this.phases };
  }
}
