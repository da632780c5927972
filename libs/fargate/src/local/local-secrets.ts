import { LocalError } from './task-spec';

/**
 * The local secrets file, `apps/<deployment project>/.secrets/<environment>.env` (git-ignored),
 * where deploy:local takes the values of the task definition's secrets from: never from AWS.
 *
 * Format, dotenv-like and deliberately small:
 * - one `NAME=VALUE` per line; NAME as an environment variable name (`[A-Za-z_][A-Za-z0-9_]*`),
 *   spaces around it ignored;
 * - VALUE is the rest of the line after the first `=`, as written: no interpolation (`$X` stays
 *   `$X`), no escapes, no inline comments (`#` is part of it), no multi-line values; one pair of
 *   matching quotes around all of it ('…' or "…") is removed, to keep leading or trailing spaces;
 * - empty lines and lines starting with `#` are skipped; CRLF line ends are accepted;
 * - a NAME twice, or a line that is not `NAME=VALUE`, is an error naming the line number (never
 *   its text, which may hold a value).
 */
export type SecretValues = ReadonlyMap<string, string>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The file's pairs; `path` names the file in errors. */
export function parseSecretsFile(text: string, path: string): SecretValues {
  const values = new Map<string, string>();
  const seenAt = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const equals = line.indexOf('=');
    const name = equals < 0 ? '' : line.slice(0, equals).trim();
    if (!NAME.test(name)) {
      throw new LocalError(
        `${path} line ${lineNumber} is not NAME=VALUE (NAME of letters, digits and _): fix or remove it`,
      );
    }
    const earlier = seenAt.get(name);
    if (earlier !== undefined) {
      throw new LocalError(
        `${path} sets ${name} twice (lines ${earlier} and ${lineNumber}): keep one`,
      );
    }
    seenAt.set(name, lineNumber);
    values.set(name, unquote(line.slice(equals + 1)));
  });
  return values;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  return quoted ? (quoted[2] ?? '') : value;
}

/** What deploy:local passes to the container: each configured secret's value, by name. */
export interface LocalSecrets {
  values: Record<string, string>;
  /** Names in the file that are no secret of the task definition (a typo, an old one). */
  unused: string[];
}

/**
 * The values of the task definition's secrets (`names`) from the file's text (undefined: there is
 * no file). Every one must be there: a secret missing is one line naming the file and the line to
 * add, rather than a container started without it, which in AWS could not start either.
 */
export function selectLocalSecrets(
  names: readonly string[],
  text: string | undefined,
  path: string,
): LocalSecrets {
  if (names.length === 0) return { values: {}, unused: [] };
  const [first] = names;
  if (text === undefined) {
    throw new LocalError(
      `the task definition has secrets (${names.join(', ')}) and deploy:local takes their values from ${path}, which does not exist: create it with a line ${first}=VALUE for each (it is git-ignored)`,
    );
  }
  const file = parseSecretsFile(text, path);
  const missing = names.filter((name) => !file.has(name));
  if (missing.length > 0) {
    throw new LocalError(
      `secret ${missing[0]} has no value in ${path}: add a line ${missing[0]}=VALUE${missing.length > 1 ? ` (and for ${missing.slice(1).join(', ')})` : ''}`,
    );
  }
  const values: Record<string, string> = {};
  for (const name of names) values[name] = file.get(name) ?? '';
  return { values, unused: [...file.keys()].filter((name) => !names.includes(name)) };
}
