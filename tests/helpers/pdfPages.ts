import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';

/** What a reader of a PDF gets: its page sizes in points (pdfinfo), each page's text and the QR code printed on it. */
export type PdfPage = { widthPt: number; heightPt: number; text: string; qr: string | null };

/** A binary PPM (P6), as pdftoppm writes it, as the RGBA pixels jsQR reads. */
function ppmPixels(file: Buffer): { data: Uint8ClampedArray; width: number; height: number } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(file.subarray(0, 50).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rgb = file.subarray(header[0].length);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) data.set([rgb[j], rgb[j + 1], rgb[j + 2], 255], i * 4);
  return { data, width, height };
}

/** A part of each page in millimetres from its top left: where one of several QR codes on a sheet is. */
export type Region = { x: number; y: number; width: number; height: number };

/**
 * Renders every page with poppler (pdftoppm, pdftotext, pdfinfo) and decodes its QR code with jsQR; with a
 * region, only that part of each page is rendered (a sheet of cards holds ten codes, one is read).
 */
export function readPdf(pdf: Buffer, { dpi = 150, region }: { dpi?: number; region?: Region } = {}): PdfPage[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-pages-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', ['-l', '10000', file], { encoding: 'utf8' });
    const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    const px = (mm: number) => String(Math.round((mm / 25.4) * dpi));
    const crop = region ? ['-x', px(region.x), '-y', px(region.y), '-W', px(region.width), '-H', px(region.height)] : [];
    execFileSync('pdftoppm', ['-r', String(dpi), ...crop, file, path.join(dir, 'page')]);
    const images = readdirSync(dir).filter((f) => f.endsWith('.ppm')).sort();
    return images.map((image, i) => {
      const { data, width, height } = ppmPixels(readFileSync(path.join(dir, image)));
      const text = execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' });
      return { widthPt: sizes[i][0], heightPt: sizes[i][1], text, qr: jsQR(data, width, height)?.data ?? null };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
