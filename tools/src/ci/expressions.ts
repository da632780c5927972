// A small evaluator of GitHub Actions expressions (`${{ … }}` and `if:`), enough for the specs
// to play an event through a workflow's parsed YAML and see which jobs run: property paths with
// `.*` filters, string, number, boolean and null literals, == != < > <= >= ! && || and the
// functions contains, startsWith, endsWith, format, toJSON, fromJSON and the status checks.
// Semantics follow GitHub's documentation: strings compare ignoring case, && and || return an
// operand, a missing property is null.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** The contexts (github, env, vars, needs, steps, matrix, …) and the job status. */
export interface ExpressionScope {
  contexts: Record<string, Value>;
  /** What success(), failure() and cancelled() answer; always() is always true. */
  status?: 'success' | 'failure' | 'cancelled';
}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '*',
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      let value = '';
      let end = 1;
      for (;;) {
        const quote = rest.indexOf("'", end);
        if (quote === -1) throw new Error(`unterminated string in: ${source}`);
        value += rest.slice(end, quote);
        if (rest[quote + 1] === "'") {
          value += "'";
          end = quote + 2;
        } else {
          end = quote + 1;
          break;
        }
      }
      tokens.push({ kind: 'string', value });
      at += end;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      at += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new Error(`unexpected "${rest[0]}" in: ${source}`);
    tokens.push({ kind: 'op', value: op });
    at += op.length;
  }
  return tokens;
}

const isTruthy = (value: Value): boolean =>
  !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value));

const lower = (value: Value) => (typeof value === 'string' ? value.toLowerCase() : value);

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

/** GitHub's loose equality: same types compare directly (strings ignoring case), else as numbers. */
function equals(a: Value, b: Value): boolean {
  if (typeof a === typeof b && (a === null) === (b === null)) {
    if (typeof a === 'object' && a !== null) return a === b;
    return lower(a) === lower(b);
  }
  return toNumber(a) === toNumber(b);
}

function property(target: Value, key: string): Value {
  if (Array.isArray(target)) {
    // `list.*.name` filtered into `list.name`-style projections are handled by the caller.
    const index = Number(key);
    return Number.isInteger(index) ? (target[index] ?? null) : null;
  }
  if (typeof target === 'object' && target !== null) {
    const found = Object.entries(target).find(([k]) => k.toLowerCase() === key.toLowerCase());
    return found ? found[1] : null;
  }
  return null;
}

function format(template: string, args: Value[]): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) => {
    const arg = args[Number(i)];
    return arg === null || arg === undefined ? '' : String(arg);
  });
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly scope: ExpressionScope,
    private readonly source: string,
  ) {}

  parse(): Value {
    const value = this.or();
    if (this.at < this.tokens.length) throw new Error(`unexpected token in: ${this.source}`);
    return value;
  }

  private peek(value: string) {
    const token = this.tokens[this.at];
    return token?.kind === 'op' && token.value === value;
  }

  private expect(value: string) {
    if (!this.peek(value)) throw new Error(`expected "${value}" in: ${this.source}`);
    this.at += 1;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek('||')) {
      this.at += 1;
      const right = this.and();
      left = isTruthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.peek('&&')) {
      this.at += 1;
      const right = this.comparison();
      left = isTruthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): Value {
    let left = this.unary();
    for (;;) {
      const op = ['==', '!=', '<=', '>=', '<', '>'].find((o) => this.peek(o));
      if (!op) return left;
      this.at += 1;
      const right = this.unary();
      if (op === '==') left = equals(left, right);
      else if (op === '!=') left = !equals(left, right);
      else {
        const [a, b] = [toNumber(left), toNumber(right)];
        left = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      }
    }
  }

  private unary(): Value {
    if (this.peek('!')) {
      this.at += 1;
      return !isTruthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private primary(): Value {
    const token = this.tokens[this.at];
    if (!token) throw new Error(`unexpected end of: ${this.source}`);
    this.at += 1;
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') throw new Error(`unexpected "${token.value}" in: ${this.source}`);
      const value = this.or();
      this.expect(')');
      return value;
    }
    if (token.value === 'true') return true;
    if (token.value === 'false') return false;
    if (token.value === 'null') return null;
    if (this.peek('(')) return this.call(token.value);
    return Object.hasOwn(this.scope.contexts, token.value)
      ? (this.scope.contexts[token.value] ?? null)
      : null;
  }

  private postfix(start: Value): Value {
    let value = start;
    let projected = false;
    for (;;) {
      if (this.peek('.')) {
        this.at += 1;
        if (this.peek('*')) {
          this.at += 1;
          value = Array.isArray(value)
            ? value
            : typeof value === 'object' && value !== null
              ? Object.values(value)
              : [];
          projected = true;
          continue;
        }
        const name = this.tokens[this.at];
        if (name?.kind !== 'name') throw new Error(`expected a property name in: ${this.source}`);
        this.at += 1;
        value = projected
          ? (value as Value[]).map((item) => property(item, name.value))
          : property(value, name.value);
        continue;
      }
      if (this.peek('[')) {
        this.at += 1;
        const key = this.or();
        this.expect(']');
        value = property(value, String(key));
        continue;
      }
      return value;
    }
  }

  private call(name: string): Value {
    this.expect('(');
    const args: Value[] = [];
    while (!this.peek(')')) {
      args.push(this.or());
      if (!this.peek(')')) this.expect(',');
    }
    this.expect(')');
    const [a = null, b = null] = args;
    const status = this.scope.status ?? 'success';
    switch (name.toLowerCase()) {
      case 'contains':
        return Array.isArray(a)
          ? a.some((item) => equals(item, b))
          : String(a ?? '')
              .toLowerCase()
              .includes(String(b ?? '').toLowerCase());
      case 'startswith':
        return String(a ?? '')
          .toLowerCase()
          .startsWith(String(b ?? '').toLowerCase());
      case 'endswith':
        return String(a ?? '')
          .toLowerCase()
          .endsWith(String(b ?? '').toLowerCase());
      case 'format':
        return format(String(a ?? ''), args.slice(1));
      case 'tojson':
        return JSON.stringify(a, null, 2);
      case 'fromjson':
        return JSON.parse(String(a)) as Value;
      case 'always':
        return true;
      case 'success':
        return status === 'success';
      case 'failure':
        return status === 'failure';
      case 'cancelled':
        return status === 'cancelled';
      default:
        throw new Error(`unknown function ${name} in: ${this.source}`);
    }
  }
}

/** The value of one expression (the text inside `${{ }}`, or an `if:` without them). */
export function evaluate(expression: string, scope: ExpressionScope): Value {
  return new Parser(tokenize(expression), scope, expression).parse();
}

/** An `if:` condition: with or without `${{ }}`, absent meaning success(). */
export function evaluateCondition(condition: string | undefined, scope: ExpressionScope): boolean {
  const source = (condition ?? 'success()').trim();
  const inner = /^\$\{\{([\s\S]*)\}\}$/.exec(source)?.[1] ?? source;
  const usesStatus = /\b(success|failure|cancelled|always)\s*\(/i.test(inner);
  // GitHub adds success() && to a condition that names no status function.
  return isTruthy(evaluate(usesStatus ? inner : `success() && (${inner})`, scope));
}

/** A string with `${{ }}` parts replaced by their values, as GitHub renders env and with: values. */
export function interpolate(text: string, scope: ExpressionScope): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) => {
    const value = evaluate(inner, scope);
    if (value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
