import { FontMissingError, renderPng } from './png';

const withText = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="20" font-family="DejaVu Sans" font-size="12">${text}</text></svg>`;

describe('renderPng', () => {
  it('GIVEN an SVG WHEN rasterized THEN the result is a PNG', () => {
    const png = renderPng(withText('hello'));

    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it('GIVEN the same SVG twice WHEN rasterized THEN the bytes are identical', () => {
    expect(renderPng(withText('hello')).equals(renderPng(withText('hello')))).toBe(true);
  });

  it('GIVEN different text WHEN rasterized THEN the pictures differ (the font is loaded, text is drawn)', () => {
    expect(renderPng(withText('49000')).equals(renderPng(withText('49001')))).toBe(false);
    expect(renderPng(withText('49000')).equals(renderPng(withText('')))).toBe(false);
  });

  it('GIVEN a missing font file WHEN rasterized THEN it fails with the package to install', () => {
    expect(() => renderPng(withText('x'), ['/nonexistent/DejaVuSans.ttf'])).toThrow(
      FontMissingError,
    );
    expect(() => renderPng(withText('x'), ['/nonexistent/DejaVuSans.ttf'])).toThrow(/npm ci/);
  });
});
