/** A problem the user can fix; entry points print its message as one line and exit 1. */
export class ReleaseError extends Error {
  override readonly name = 'ReleaseError';
}
