export declare const moduleNames: string[];
export type ModuleCaseResult = { ok: true; value: Record<string, number[]> } | { ok: false; error: string };
export type ModuleResults = Partial<Record<'wasm' | 'js', Record<string, ModuleCaseResult>>>;
export declare function runModules(mods: Record<string, unknown>, wasm: { init(): Promise<unknown>; backend(): 'wasm' | 'js'; useBackend(name: 'wasm' | 'js'): void }): Promise<ModuleResults>;
