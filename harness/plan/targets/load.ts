/** Reads and validates a target description file (`--target <file>`). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { targetDescriptionSchema, type TargetDescription } from './schema.ts';
import { InvalidFileError, issuePath, type FileIssue } from '../../shared/invalid-file.ts';

/** A validated description and the folder its relative paths (start.cwd, adapter) are resolved from. */
export interface LoadedTargetDescription {
  description: TargetDescription;
  /** The description file, or a label for one built in code. */
  source: string;
  baseDir: string;
}

/** One problem with a target description: where and what was expected. */
export type DescriptionIssue = FileIssue;

export class TargetDescriptionError extends InvalidFileError {
  readonly code = 'BAD_TARGET_DESCRIPTION';
  constructor(source: string, issues: readonly DescriptionIssue[]) {
    super(source, 'target description', issues);
    this.name = 'TargetDescriptionError';
  }
}

/** Paths the description names that must exist on disk. */
function fileIssues(description: TargetDescription, baseDir: string): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  if (description.adapter !== undefined && !existsSync(resolve(baseDir, description.adapter))) {
    issues.push({ path: 'adapter', message: `no such file: ${resolve(baseDir, description.adapter)}` });
  }
  const cwd = description.start?.cwd;
  if (cwd !== undefined) {
    const dir = resolve(baseDir, cwd);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) issues.push({ path: 'start.cwd', message: `no such folder: ${dir}` });
  }
  return issues;
}

/** Validates parsed JSON; `source` names it in messages, `baseDir` resolves its relative paths. */
export function parseTargetDescription(value: unknown, source: string, baseDir: string): LoadedTargetDescription {
  const parsed = targetDescriptionSchema.safeParse(value);
  if (!parsed.success) {
    throw new TargetDescriptionError(source, parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  }
  const issues = fileIssues(parsed.data, baseDir);
  if (issues.length > 0) throw new TargetDescriptionError(source, issues);
  return { description: parsed.data, source, baseDir };
}

/** Reads a description file; a missing file, bad JSON or an invalid field throws {@link TargetDescriptionError}. */
export function loadTargetDescription(path: string): LoadedTargetDescription {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TargetDescriptionError(file, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TargetDescriptionError(file, [{ path: '(file)', message: `is not JSON: ${(err as Error).message}` }]);
  }
  return parseTargetDescription(value, file, dirname(file));
}
