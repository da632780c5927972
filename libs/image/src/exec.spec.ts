import { runCapture, runShown } from './exec';

// Real child processes: what a missing tool and a failing one look like to the image tools.
describe('runCapture', () => {
  it('GIVEN a command that is not installed WHEN run THEN it is a setup problem saying to install it', () => {
    let error: unknown;
    try {
      runCapture('no-such-tool-here', ['--version'], { cwd: __dirname });
    } catch (e) {
      error = e;
    }

    expect(error).toMatchObject({
      kind: 'environment',
      errno: 'ENOENT',
      message: expect.stringMatching(
        /^cannot run no-such-tool-here \(.*ENOENT\): install no-such-tool-here, or put it on PATH$/,
      ),
    });
  });

  it('GIVEN a command that runs and fails WHEN run THEN it is a failed operation with its last stderr line', () => {
    let error: unknown;
    try {
      runCapture('sh', ['-c', 'echo first >&2; echo last >&2; exit 3'], { cwd: __dirname });
    } catch (e) {
      error = e;
    }

    expect(error).toMatchObject({
      kind: 'failed',
      message: 'sh -c echo first >&2; echo last >&2; exit 3 failed: last',
    });
  });
});

describe('runShown', () => {
  it('GIVEN a command that is not installed WHEN run THEN it rejects as a setup problem', async () => {
    await expect(runShown('no-such-tool-here', [], { cwd: __dirname })).rejects.toMatchObject({
      kind: 'environment',
      errno: 'ENOENT',
    });
  });
});
