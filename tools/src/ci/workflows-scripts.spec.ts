import { extractRunScripts, type Workflow } from './workflows';

const workflow: Workflow = {
  on: { push: null },
  jobs: {
    build: {
      steps: [
        { uses: 'actions/checkout@v6' },
        { name: 'Echo', run: 'echo "${{ github.ref }}" > "$RUNNER_TEMP/ref"' },
        { run: 'Write-Host hi', shell: 'pwsh' },
      ],
    },
    other: { defaults: { run: { shell: 'sh' } }, steps: [{ id: 'x', run: 'true' }] },
  },
};

describe('extractRunScripts', () => {
  it('replaces ${{ }} expressions with a shell variable so shellcheck reads plain shell', () => {
    const [echo] = extractRunScripts('ci.yml', workflow);
    expect(echo).toEqual({
      location: 'ci.yml › build › Echo',
      shell: 'bash',
      script: 'echo "$GITHUB_EXPRESSION" > "$RUNNER_TEMP/ref"',
    });
  });

  it('skips steps without run and steps in non-POSIX shells, and honours job defaults', () => {
    const scripts = extractRunScripts('ci.yml', workflow);
    expect(scripts.map((s) => [s.location, s.shell])).toEqual([
      ['ci.yml › build › Echo', 'bash'],
      ['ci.yml › other › x', 'sh'],
    ]);
  });
});
