import { execFileSync } from 'node:child_process';

/** Text of each page of a PDF (pdftotext from poppler-utils), spaces dropped: Japanese is laid out with gaps. */
export function pdfPages(pdf: string): string[] {
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
  );
}
