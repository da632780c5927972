// Where `secrets set` reads a value from: piped stdin, or a terminal prompt that does not echo.
// Never argv (shell history, the process list), never printed back.

/** The stdin this needs: a stream of chunks, a TTY flag, and raw mode when it is a terminal. */
export interface SecretInput extends AsyncIterable<Buffer | string> {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface SecretOutput {
  write(text: string): unknown;
}

/** One trailing newline dropped (`\n` or `\r\n`), as `echo` and editors add; nothing else. */
export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/** All of a piped stdin, one trailing newline dropped. */
export async function readPipedValue(input: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
  return stripOneNewline(Buffer.concat(chunks).toString('utf8'));
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CANCEL = new Set(['\u0003', '\u0004']);

/** What arrived after a line's Enter (a paste of both entries), kept for the next line. */
export interface TypeAhead {
  text: string;
}

/**
 * One line typed at a terminal in raw mode, so nothing is echoed: Enter ends it, Backspace takes
 * back a character, Ctrl-C or Ctrl-D cancels (undefined). The question goes to `output` (stderr).
 */
export function readHiddenLine(
  question: string,
  input: SecretInput,
  output: SecretOutput,
  typeAhead: TypeAhead = { text: '' },
): Promise<string | undefined> {
  output.write(question);
  return new Promise((resolve) => {
    let typed = '';
    let done = false;
    const finish = (answer: string | undefined) => {
      done = true;
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      resolve(answer);
    };
    const onData = (chunk: Buffer | string) => {
      const chars = [...chunk.toString()];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (ENTER.has(char) || CANCEL.has(char)) {
          // A pasted CRLF is one Enter.
          const next = char === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1;
          typeAhead.text = chars.slice(next).join('');
          return finish(ENTER.has(char) ? typed : undefined);
        }
        if (BACKSPACE.has(char)) typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    const pending = typeAhead.text;
    typeAhead.text = '';
    if (pending !== '') onData(pending);
    if (done) return;
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The value of secret `name`: piped stdin when stdin is not a terminal; else typed twice at a
 * prompt that does not echo (a typo cannot be seen, so it must match). Undefined when cancelled.
 * Two entries that differ are refused by throwing `mismatch`'s error.
 */
export function secretValueReader(
  input: SecretInput,
  output: SecretOutput,
  mismatch: () => Error,
): (name: string) => Promise<string | undefined> {
  return async (name) => {
    if (!input.isTTY) return readPipedValue(input);
    const typeAhead: TypeAhead = { text: '' };
    const first = await readHiddenLine(`Value of ${name} (not shown): `, input, output, typeAhead);
    if (first === undefined || first === '') return first;
    const again = await readHiddenLine(`Again, to confirm: `, input, output, typeAhead);
    if (again === undefined) return undefined;
    if (again !== first) throw mismatch();
    return first;
  };
}
