/**
 * Print CSS for letters, flyers and code cards: each .sheet is one sheet of paper (A4, or A5 for the small
 * flyer) and breaks the page after it; the screen adds a grey desk, a toolbar and the link warning, none of
 * which print. Noto Sans CJK is what Debian's Chromium has; Hiragino and Yu Gothic are the office PCs'.
 */
export function printStyle(size: 'A4' | 'A5'): string {
  const [width, height] = size === 'A4' ? ['210mm', '297mm'] : ['148mm', '210mm'];
  return `
@page { size: ${size}; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #000; line-height: 1.6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: ${width}; height: ${height}; overflow: hidden; position: relative; break-after: page; page-break-after: always; background: #fff; }
.sheet:last-of-type { break-after: auto; page-break-after: auto; }
.code { font-family: "Noto Sans Mono CJK JP", ui-monospace, monospace; font-weight: 700; letter-spacing: .12em; white-space: nowrap; }
.qr svg { display: block; width: 100%; height: auto; }
.unit-id { position: absolute; right: 12mm; bottom: 8mm; font-size: 7pt; color: #444; }
h1 { font-size: 17pt; line-height: 1.35; margin: 0 0 5mm; }
h2 { font-size: 11pt; margin: 0 0 1.5mm; }
p { margin: 0 0 2mm; }
.from { text-align: right; font-size: 10.5pt; }
.letter { padding: 18mm 20mm 16mm; font-size: 11pt; }
.letter h1 { text-align: center; margin-top: 6mm; }
.purpose, .how, .contact { border: 0.4mm solid #333; border-radius: 2mm; padding: 3mm 4mm; margin: 4mm 0; }
.purpose p, .contact p { white-space: pre-line; }
.ways { display: flex; gap: 8mm; align-items: center; }
.way-qr { flex: 0 0 48mm; text-align: center; font-size: 9.5pt; }
.way-code { flex: 1 1 auto; }
.address { font-size: 15pt; font-weight: 700; overflow-wrap: anywhere; }
.big-code { font-size: 26pt; border: 0.6mm solid #000; border-radius: 2mm; display: inline-block; padding: 1mm 5mm; margin-top: 1mm; }
.deadline { font-size: 13pt; margin: 4mm 0; }
.voluntary { font-size: 9.5pt; color: #222; }
.flyer { padding: 16mm 18mm; text-align: center; font-size: 13pt; }
.flyer-A5 { padding: 10mm 12mm; font-size: 10.5pt; }
.flyer h1 { font-size: 26pt; margin: 4mm 0 2mm; }
.flyer-A5 h1 { font-size: 19pt; }
.flyer .ask { font-size: 16pt; font-weight: 700; }
.flyer-A5 .ask { font-size: 13pt; }
.flyer .purpose { border: 0; padding: 0; white-space: pre-line; }
.flyer .qr { width: 95mm; margin: 4mm auto; }
.flyer-A5 .qr { width: 62mm; margin: 2mm auto; }
.flyer .contact, .flyer .voluntary { text-align: left; }
.cards { display: grid; grid-template-columns: 91mm 91mm; grid-auto-rows: 55mm; justify-content: center; align-content: center; }
.card { border: 0.3mm dashed #777; padding: 3mm 4mm; overflow: hidden; font-size: 8pt; line-height: 1.45; display: flex; flex-direction: column; }
.card-head { font-size: 10pt; font-weight: 700; display: flex; justify-content: space-between; margin: 0; }
.card-no { font-weight: 400; color: #444; }
.card-code { font-size: 22pt; text-align: center; margin: 1mm 0 2mm; }
.card-body { display: flex; gap: 3mm; align-items: flex-start; }
.card-body .qr { flex: 0 0 18mm; }
.card-address { overflow-wrap: anywhere; }
.card-from { margin-top: auto; text-align: right; color: #444; }
@media screen {
  body { background: #d9dce1; padding: 0 0 2rem; }
  .sheet { margin: 1rem auto; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
  .toolbar { background: #fff; border-bottom: 1px solid #999; padding: .6rem 1rem; font-size: 15px; line-height: 1.5; }
  .toolbar p, .toolbar .about { margin: .2rem 0; }
  .toolbar .problems { border: 2px solid #a30000; background: #fff0f0; padding: .5rem .75rem; border-radius: 6px; }
  .toolbar .en { color: #555; font-size: .9em; }
  /* A phone shows the sheets scaled down, whole, rather than a sideways scroll. */
  @media (max-width: 840px) { .sheet { zoom: ${size === 'A4' ? 0.45 : 0.6}; } }
}
@media print { .toolbar { display: none !important; } }
`;
}
