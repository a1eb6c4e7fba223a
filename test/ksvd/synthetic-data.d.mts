interface Dense { rows: number; cols: number; data: Float64Array }
interface RandomLike { fillNormal(a: Float64Array): void; normal(): number; sampleWithoutReplacement(n: number, k: number): ArrayLike<number> }
export declare function syntheticDictionary(Random: new (seed: number) => RandomLike, seed: number, nAtoms?: number, nFeatures?: number, nSamples?: number, k?: number, snrDb?: number): { D: Dense; X: Dense };
export declare function recovered(truth: { rows: number; cols: number; data: ArrayLike<number> }, learned: { rows: number; cols: number; data: ArrayLike<number> }): number;
