import { PassThrough } from 'node:stream';
import {
  readHiddenLine,
  readPipedValue,
  secretValueReader,
  stripOneNewline,
  type SecretInput,
} from './secrets-input';

/** A fake terminal: what is typed, the raw-mode switches, and what was written back. */
function terminal(isTTY: boolean) {
  const stream = new PassThrough();
  const rawModes: boolean[] = [];
  const input = Object.assign(stream, {
    isTTY,
    setRawMode: (mode: boolean) => rawModes.push(mode),
  }) as unknown as SecretInput;
  const written: string[] = [];
  return { stream, input, rawModes, output: { write: (t: string) => written.push(t) }, written };
}

describe('stripOneNewline', () => {
  it.each([
    ['value\n', 'value'],
    ['value\r\n', 'value'],
    ['value\n\n', 'value\n'],
    ['  value  ', '  value  '],
    ['', ''],
  ])('GIVEN %j THEN %j', (raw, stripped) => {
    expect(stripOneNewline(raw)).toBe(stripped);
  });
});

describe('readPipedValue', () => {
  it('GIVEN stdin in several chunks with a trailing newline THEN all of it, one newline dropped', async () => {
    const stream = new PassThrough();
    const reading = readPipedValue(stream);
    stream.write('line one\n');
    stream.end('line two\n');
    expect(await reading).toBe('line one\nline two');
  });
});

describe('readHiddenLine', () => {
  it('GIVEN keys typed with a backspace THEN the line without echo, raw mode on then off', async () => {
    const t = terminal(true);
    const reading = readHiddenLine('Value: ', t.input, t.output);
    t.stream.write('s3cx');
    t.stream.write('\u007fret\r');
    expect(await reading).toBe('s3cret');
    expect(t.rawModes).toEqual([true, false]);
    expect(t.written).toEqual(['Value: ', '\n']);
  });

  it('GIVEN Ctrl-C THEN cancelled (undefined), raw mode off again', async () => {
    const t = terminal(true);
    const reading = readHiddenLine('Value: ', t.input, t.output);
    t.stream.write('abc\u0003');
    expect(await reading).toBeUndefined();
    expect(t.rawModes).toEqual([true, false]);
  });
});

describe('secretValueReader', () => {
  const mismatch = () => new Error('the two entries differ');

  it('GIVEN stdin is not a terminal THEN reads it all and asks nothing', async () => {
    const t = terminal(false);
    const reading = secretValueReader(t.input, t.output, mismatch)('API_KEY');
    t.stream.end('piped-value\n');
    expect(await reading).toBe('piped-value');
    expect(t.written).toEqual([]);
  });

  it('GIVEN a terminal and the same value twice THEN that value, never written back', async () => {
    const t = terminal(true);
    const reading = secretValueReader(t.input, t.output, mismatch)('API_KEY');
    t.stream.write('typed-value\r');
    await new Promise((resolve) => setImmediate(resolve));
    t.stream.write('typed-value\r');
    expect(await reading).toBe('typed-value');
    expect(t.written).toEqual([
      'Value of API_KEY (not shown): ',
      '\n',
      'Again, to confirm: ',
      '\n',
    ]);
  });

  it('GIVEN both entries pasted in one go THEN the second line is read from what followed the first', async () => {
    const t = terminal(true);
    const reading = secretValueReader(t.input, t.output, mismatch)('API_KEY');
    t.stream.write('pasted-value\r\npasted-value\r\n');
    expect(await reading).toBe('pasted-value');
  });

  it('GIVEN a terminal and two different entries THEN refuses', async () => {
    const t = terminal(true);
    const reading = secretValueReader(t.input, t.output, mismatch)('API_KEY');
    t.stream.write('first\r');
    await new Promise((resolve) => setImmediate(resolve));
    t.stream.write('second\r');
    await expect(reading).rejects.toThrow('the two entries differ');
  });
});
