import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** Who holds a lease: the instance, its process and start, so a restart knows its own leases. */
export interface LeaseHolder {
  /** CRM_PULSE_INSTANCE_ID, else the host name: the same for every start of one replica */
  readonly instance: string;
  readonly pid: number;
  /** the process-id namespace (Linux), so a pid is only compared with pids of the same namespace */
  readonly namespace: string;
  /** random per start: tells two starts that got the same pid apart (pid 1 in a container) */
  readonly start: string;
}

/** This process's holder name: `instance:pid:namespace:start`, e.g. `bot-0:1:4026532291:9f2c1a`. */
export function leaseHolder(instance: string = hostname()): string {
  return formatHolder({ instance, pid: process.pid, namespace: pidNamespace(), start: randomBytes(3).toString('hex') });
}

/** A holder name as text. */
export function formatHolder(h: LeaseHolder): string {
  return `${h.instance}:${h.pid}:${h.namespace}:${h.start}`;
}

/** A holder name read back; undefined for one written by an older version or another tool. */
export function parseHolder(text: string): LeaseHolder | undefined {
  const m = /^(.+):(\d+):([^:]+):([0-9a-f]+)$/.exec(text);
  return m ? { instance: m[1]!, pid: Number(m[2]), namespace: m[3]!, start: m[4]! } : undefined;
}

/**
 * Whether `other` is an earlier start of the replica `me`, whose process is gone, so that `me`
 * may take its unfinished leases at once instead of waiting for them to expire. True when the
 * instance is the same and either the process is provably gone (same pid namespace, no such
 * process) or it cannot be another live process here (our own pid, or another pid namespace: the
 * container was restarted). A live sibling with the same instance on this host keeps its leases,
 * as does every other instance: those expire as before.
 */
export function isEarlierStart(me: LeaseHolder, other: LeaseHolder, alive: (pid: number) => boolean = processAlive): boolean {
  if (other.instance !== me.instance || other.start === me.start) return false;
  if (other.namespace !== me.namespace) return true;
  return other.pid === me.pid || !alive(other.pid);
}

/** Whether a process with this pid exists in this pid namespace. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 'host';
  } catch {
    return 'host';
  }
}
