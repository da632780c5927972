// What the synth target shows of `cdk synth --quiet --no-notices`: nothing when it succeeded, so
// that Nx, replaying a cached synth, prints nothing either (the CLI's success lines name the
// checkout that first ran it, and its hint to supply a stack id means nothing here). Anything else
// the CLI printed (a warning) stays; a failed synth shows everything.

/** The CLI's lines that only say the synth succeeded. */
const SUCCESS_LINES = [
  /^Successfully synthesized to /,
  /^Supply a stack id \(.*\) to display its template\.$/,
];

/** The part of the CLI's output worth showing, given how it exited. */
export function synthOutputToShow(output: string, exitCode: number | null): string {
  if (exitCode !== 0) return output;
  const kept = output
    .split('\n')
    .filter((line) => line.trim() !== '' && !SUCCESS_LINES.some((pattern) => pattern.test(line)));
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}
