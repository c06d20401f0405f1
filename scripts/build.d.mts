// Types of scripts/build.mjs (plain JavaScript: it runs before anything is built).
export declare const ENTRIES: Readonly<Record<string, string>>;
export declare function ensureBuilt(): Promise<string>;
export declare function builtEntry(dir: string, source: string): string;
export declare const MANIFEST: string;
export declare function currentBuild(dist?: string): string | undefined;
export declare function build(): Promise<string>;
