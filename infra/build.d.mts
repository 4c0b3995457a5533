export declare const FUNCTIONS: string[];
export declare function buildAll(options?: {
  outdir?: string;
  quiet?: boolean;
  /** Also the command line (dist/cli/). */
  cli?: boolean;
}): Promise<Record<string, number>>;
export declare const CLI_BUNDLE: string;
export declare function buildCli(options?: { outdir?: string; quiet?: boolean }): Promise<number>;
