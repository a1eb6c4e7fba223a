import { describe, fail } from './errors.js';

/** Checks an integer option in [min, max]; `name` is used in the error. */
export function checkInt(value: unknown, name: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected an integer${range(min, max)}`);
  }
  return value;
}

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

/** Rejects anything that is not a plain options object (undefined means "all defaults"). */
export function checkOptions<T extends object>(options: T | undefined, name = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail('INVALID_OPTION', `${name}: received ${describe(options)}, expected an options object`);
  }
  return options;
}

function range(min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return '';
  if (max === Infinity) return ` ≥ ${min}`;
  if (min === -Infinity) return ` ≤ ${max}`;
  return ` in [${min}, ${max}]`;
}
