/**
 * Expected failures are values (Result); bugs are assertions.
 * A failure carries a stable code from the error catalogue (docs/errors.md).
 */

export type Ok<T> = Readonly<{ ok: true; value: T }>;
export type Err<E> = Readonly<{ ok: false; error: E }>;
export type Result<T, E> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** A failure a caller is expected to handle: a stable code plus details for the message. */
export type Failure<Code extends string = string> = Readonly<{
  code: Code;
  detail?: string;
  /** Field-level problems, e.g. from validation: { field: message }. */
  fields?: Readonly<Record<string, string>>;
}>;

export function failure<Code extends string>(
  code: Code,
  detail?: string,
  fields?: Readonly<Record<string, string>>,
): Failure<Code> {
  return {
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(fields === undefined ? {} : { fields }),
  };
}
