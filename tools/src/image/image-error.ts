/** A problem the user can fix, already worded as one line with the next step. */
export class ImageError extends Error {
  override name = 'ImageError';
}
