import { createInterface } from 'node:readline/promises';

/**
 * y/N on the terminal, the question on stderr so stdout stays the receipt's: deploy's and
 * promote's question before an ingress mode switch. Anything but y or yes is no.
 */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
