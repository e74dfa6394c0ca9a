// Types of lint/layers.js for the tests that read its folder lists.
export declare const pureFolders: readonly string[];
export declare const pureFiles: readonly string[];
export declare const adapterFolders: readonly string[];
export declare const pureCoreConfig: Record<string, unknown>;
