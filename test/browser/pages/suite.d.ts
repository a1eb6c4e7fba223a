// Types of suite.js (plain JavaScript, because the browser loads it without a build step).
import type * as Core from '../../../src/core/index.js';
import type * as Linalg from '../../../src/linalg/index.js';
import type * as Wasm from '../../../src/wasm/index.js';

export interface SuiteModules {
  linalg: typeof Linalg;
  wasm: typeof Wasm;
  core: typeof Core;
}

export type Rows = number[][];

export type Case =
  | { name: string; op: 'matmul'; A: Rows; B: Rows; transA: boolean; transB: boolean }
  | { name: string; op: 'gram'; X: Rows; outer: boolean }
  | { name: string; op: 'rowSqNorms'; X: Rows }
  | { name: string; op: 'sqDistances'; A: Rows; B: Rows | null }
  | { name: string; op: 'argminRows'; D: Rows }
  | { name: string; op: 'dot'; x: number[]; y: number[] }
  | { name: string; op: 'axpy'; alpha: number; x: number[]; y: number[] };

export interface MatrixValue {
  rows: number;
  cols: number;
  data: number[];
}

export interface ArgminValue {
  index: number[];
  values: number[];
}

export type CaseValue = MatrixValue | ArgminValue | number[] | number;

export interface ErrorInfo {
  name: string;
  code: string | null;
  message: string;
}

export type CaseResult = { ok: true; value: CaseValue } | { ok: false; error: ErrorInfo };

export interface Run {
  /** `backend()` while the cases ran. */
  backend: 'wasm' | 'js';
  results: Record<string, CaseResult>;
}

export type Outcome =
  | { threw: false; active?: 'wasm' | 'js' }
  | ({ threw: true; isLatentSpaceError: boolean; active?: 'wasm' | 'js' } & ErrorInfo);

export interface SuiteResult {
  /** Node's version, or the browser's user agent. */
  engine: string;
  /** `backend()` before `init()`, what `init()` resolved with, `backend()` after it, and the reason when it stayed on js. */
  init: { before: 'wasm' | 'js'; resolved: 'wasm' | 'js'; active: 'wasm' | 'js'; reason: string | null };
  afterInit: Run;
  js: Run;
  backToWasm: Outcome;
  random: { integer: Record<string, unknown>; normal: Record<string, Record<string, number[]>> };
  errors: Record<string, Outcome>;
  /** Set by the pages (kernels.js) and by the Node side of the test: see modules.js. */
  modules?: import('./modules.js').ModuleResults;
}

export function pattern(rows: number, cols: number, salt: number): Rows;
export function flatData(rows: Rows): { rows: number; cols: number; data: Float64Array };
export function cases(): Case[];
export function runCase(linalg: typeof Linalg, c: Case, i: number): CaseValue;
export function runSuite(modules: SuiteModules): Promise<SuiteResult>;
