export declare const FUNCTIONS: string[];
export declare function buildAll(options?: { outdir?: string; quiet?: boolean }): Promise<Record<string, number>>;
