export declare const REPO_ROOT: string;
export declare const ENTRY_POINTS: readonly string[];
export declare const ENTRY_POINTS_ENV: string;
export declare function bundleFile(dir: string, entry: string): string;
export declare function bundleEntryPoints(extra?: readonly string[]): Promise<string>;
