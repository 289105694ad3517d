/** A lock holder named as reports name it: by command and pid, "gunicorn worker 14163". */

/** What is known of a holder process: its pid, and its command and whether it is a worker of a parent running the same command. */
export interface HolderIdentity {
  pid: number;
  command?: string;
  worker?: boolean;
}

/** "gunicorn worker 14163", "python3 9120", or "9120" when its command is not known. */
export function holderName(holder: HolderIdentity): string {
  if (holder.command === undefined) return String(holder.pid);
  return `${holder.command}${holder.worker ? ' worker' : ''} ${holder.pid}`;
}
