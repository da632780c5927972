import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FONT_FAMILY } from './dot';

const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/**
 * The only font files the rasterizer sees, from the npm package dejavu-fonts-ttf (exact pin).
 * System font discovery is off, so every machine — Linux, macOS, CI — renders the same bytes.
 */
export const FONT_FILES = [join(fontDir, 'DejaVuSans.ttf'), join(fontDir, 'DejaVuSans-Bold.ttf')];

/** Pixels per SVG point: 1.5 keeps 9-point edge labels readable. */
export const PNG_SCALE = 1.5;

export class FontMissingError extends Error {
  override readonly name = 'FontMissingError';
}

/** Rasterizes an SVG to PNG bytes with a fixed font set, white background and scale. */
export function renderPng(svg: string, fontFiles: readonly string[] = FONT_FILES): Buffer {
  const missing = fontFiles.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new FontMissingError(
      `Font file ${missing.join(', ')} not found: run \`npm ci\` to install the dejavu-fonts-ttf package.`,
    );
  }
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...fontFiles], defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
  });
  return resvg.render().asPng();
}
