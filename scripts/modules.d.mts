/** Every module name, in the exports map's order. */
export declare const moduleOrder: readonly string[];
/** The modules that exist (their src/<name>/index.ts is there). */
export declare const modules: readonly string[];
