import { UsageError } from '@hello-world/cli';

/**
 * A problem the user can fix (not a release tag, no changelog section, no such file): the entry
 * points print its message as one line and exit 2, as for any usage or setup mistake.
 */
export class ReleaseError extends UsageError {
  override readonly name = 'ReleaseError';
}
