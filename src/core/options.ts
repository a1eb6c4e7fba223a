import { describe, fail, formatNumber } from './errors.js';

/** Checks an integer option in [min, max]; `name` is used in the error. */
export function checkInt(value: unknown, name: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected an integer${range(min, max)}`);
  }
  return value;
}

/**
 * Most values latentspace allocates for one result: 2^27 (1 GiB of float64). Larger
 * requests (a distance matrix of 24 000 rows, a path of 10⁹ steps) fail at once with
 * `OUT_OF_RANGE` instead of taking the machine's memory or never returning.
 */
export const MAX_ELEMENTS = 2 ** 27;

/**
 * Throws `OUT_OF_RANGE` when a result of `count` values would exceed `limit`
 * ({@link MAX_ELEMENTS} by default), naming the arguments responsible and the limit.
 *
 * @example
 * ```ts
 * checkSize(24000 * 24000, 'A', 'the distance matrix (24000 × 24000)'); // throws OUT_OF_RANGE
 * ```
 */
export function checkSize(count: number, name: string, what: string, limit = MAX_ELEMENTS): void {
  if (!(count <= limit)) {
    fail('OUT_OF_RANGE', `${name}: ${what} would hold ${count} values, more than the limit of ${limit}${limit === MAX_ELEMENTS ? ' (1 GiB of float64)' : ''}; expected a smaller request, e.g. in blocks`);
  }
}

/**
 * Most iterations (epochs, sweeps, power iterations) an option may ask for: 10⁶. Counts
 * such as 2^53 or 1e300 pass as integers and would never return.
 */
export const MAX_ITERATIONS = 1_000_000;

/** Checks a finite number option in [min, max]. */
export function checkNumber(value: unknown, name: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected a finite number${range(min, max)}`);
  }
  return value;
}

/** Checks a boolean option. */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected true or false`);
  return value;
}

/** Checks that `value` is one of `choices`; the error lists the valid names. */
export function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected one of ${choices.map((c) => `'${c}'`).join(', ')}`);
  }
  return value as T;
}

/**
 * Checks an optional `signal` option: undefined, or an AbortSignal (anything with a
 * boolean `aborted`, so that signals from other realms and polyfills pass).
 *
 * @example
 * ```ts
 * checkSignal(new AbortController().signal); // the signal; checkSignal(42) throws INVALID_OPTION
 * ```
 */
export function checkSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value !== undefined && (value === null || typeof (value as { aborted?: unknown }).aborted !== 'boolean')) {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected an AbortSignal`);
  }
  return value as AbortSignal | undefined;
}

/**
 * Checks an optional callback option (`onProgress`): undefined or a function.
 *
 * @example
 * ```ts
 * checkCallback(42, 'onProgress'); // throws INVALID_OPTION
 * ```
 */
export function checkCallback<F extends (...args: never[]) => unknown>(value: unknown, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected a function (or undefined)`);
  }
  return value as F | undefined;
}

/**
 * Rejects anything that is not a plain options object (undefined means "all defaults"),
 * and, given the names the function knows, any other key: a misspelt option would
 * otherwise be ignored without a word. The error suggests the nearest known name.
 */
export function checkOptions<T extends object>(options: T | undefined, known?: readonly string[], name = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail('INVALID_OPTION', `${name}: received ${describe(options)}, expected an options object`);
  }
  if (known !== undefined) {
    for (const key of Object.keys(options)) {
      if (known.includes(key)) continue;
      const near = nearest(key, known);
      fail('INVALID_OPTION', `${name}: received an unknown option '${key}'${near === undefined ? '' : ` (did you mean '${near}'?)`}, expected only ${known.map((k) => `'${k}'`).join(', ')}`);
    }
  }
  return options;
}

/**
 * The names of every option of T, checked by the compiler both ways: a name T lacks, or a
 * list that misses one of T's, does not compile. Serves {@link checkOptions}.
 *
 * @example
 * ```ts
 * interface O { k?: number; seed?: number }
 * const names = optionNames<O>()('k', 'seed'); // omitting 'seed' would not compile
 * ```
 */
export function optionNames<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    ...names: K & ([Exclude<keyof T & string, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T & string, K[number]> })
  ): readonly string[] => names;
}

/** The known name within edit distance 2 of `key` (case-insensitive), if any. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** ' in [min, max]', ' ≥ min', ' ≤ max' or '' for error messages. */
export function range(min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return '';
  if (max === Infinity) return ` ≥ ${formatNumber(min)}`;
  if (min === -Infinity) return ` ≤ ${formatNumber(max)}`;
  return ` in [${formatNumber(min)}, ${formatNumber(max)}]`;
}
