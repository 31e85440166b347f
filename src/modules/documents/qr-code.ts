/**
 * QR codes for receipts: the module matrix from the `qrcode` package, drawn by us as one SVG
 * path (a few hundred bytes in the page, no image request) or as rectangles in the PDF.
 */
import QRCode from 'qrcode';

export type QrMatrix = Readonly<{ size: number; isDark: (row: number, column: number) => boolean }>;

/** Medium error correction: survives a crease or a smudge on a printed receipt. */
export function qrMatrix(text: string): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = code.modules;
  return { size: modules.size, isDark: (row, column) => modules.get(row, column) === 1 };
}

/** Dark runs of each row as `M x y h w v 1 h -w z` path commands. */
function pathOf(matrix: QrMatrix, quietZone: number): string {
  const commands: string[] = [];
  for (let row = 0; row < matrix.size; row += 1) {
    let column = 0;
    while (column < matrix.size) {
      if (!matrix.isDark(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < matrix.size && matrix.isDark(row, column)) column += 1;
      const width = column - start;
      commands.push(`M${start + quietZone} ${row + quietZone}h${width}v1h-${width}z`);
    }
  }
  return commands.join('');
}

/** Markup-free SVG text (the caller wraps it with its own accessible label). */
export function qrSvg(text: string, label: string): string {
  const matrix = qrMatrix(text);
  // The standard asks for four modules of light margin around the symbol.
  const quietZone = 4;
  const extent = matrix.size + quietZone * 2;
  const escapedLabel = label.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${extent} ${extent}" ` +
    `role="img" aria-label="${escapedLabel}" class="qr" shape-rendering="crispEdges">` +
    `<rect width="${extent}" height="${extent}" fill="#fff"/>` +
    `<path d="${pathOf(matrix, quietZone)}" fill="#000"/></svg>`;
}
