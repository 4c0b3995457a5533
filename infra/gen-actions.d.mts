export declare function catalogueActions(): { version: string; names: string[] };
export declare function render(catalogue: { version: string; names: string[] }): string;
