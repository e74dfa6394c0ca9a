// Types of lint/layers.js for the tests that read its folder lists.
export declare const pureFolders: readonly string[];
export declare const pureFiles: readonly string[];
export declare const adapterFolders: readonly string[];
export declare const ioPackages: readonly string[];
export declare const impureGlobals: readonly string[];
export declare function layerOf(path: string): 'pure' | 'adapter' | 'other';
export declare function importProblem(file: string, specifier: string): string | undefined;
export declare const layersPlugin: { rules: Record<string, unknown> };
export declare const pureCoreConfig: Record<string, unknown>;
