/**
 * The routes the driver benchmark loads, each served by a process of its own on 127.0.0.1 (so its CPU
 * is told apart from the load generator's): a bare Hono route, and the lockbench target's catalog route.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { findProfile, profileArgs } from '../../plan/profiles.ts';
import { startReadyProcess, startTarget, tsxCommand, type RunningTarget } from '../target-process/target-process.ts';

export type RouteName = 'bare' | 'target';

const BARE_ROUTE_SCRIPT = fileURLToPath(new URL('./bare-route.ts', import.meta.url));
/** The target profile whose catalog route is loaded: the fix the project proposes. */
const TARGET_PROFILE = 'staged';

export interface RouteDefinition {
  summary: string;
  /** Starts the route's server; `workDir` takes its files (database, log). */
  start(workDir: string): Promise<RunningTarget>;
}

export const ROUTES: ReadonlyMap<RouteName, RouteDefinition> = new Map<RouteName, RouteDefinition>([
  [
    'bare',
    {
      summary: 'a bare Hono route on @hono/node-server answering PATCH /api/marketplace/catalog/:entryId with a small JSON at once',
      start: () => startReadyProcess(tsxCommand(BARE_ROUTE_SCRIPT, []), {}),
    },
  ],
  [
    'target',
    {
      summary: `the lockbench target's PATCH /api/marketplace/catalog/:entryId (profile ${TARGET_PROFILE}: fifo write queue, pooled connections; a SQLite write per update)`,
      start: (workDir) =>
        startTarget({
          args: profileArgs(findProfile(TARGET_PROFILE)!.flags),
          dbPath: join(workDir, 'target.db'),
          logFile: join(workDir, 'target.log'),
        }),
    },
  ],
]);

export const ROUTE_NAMES: readonly RouteName[] = [...ROUTES.keys()];
