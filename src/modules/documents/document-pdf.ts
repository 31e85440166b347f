/**
 * The PDF of an issued document: the national line, the agency, a title per template, the
 * holder and the facts, a QR code of the /verify address carrying the signed payload, and the
 * payload printed (for typing in where no camera is at hand). The payload also goes in the
 * file's Subject and Keywords (the info dictionary is never compressed), so
 * `huduma document verify file.pdf` reads it without a QR decoder. Rendered on demand from the
 * stored facts, never stored: A4, built-in Helvetica, vector QR code, a few kilobytes.
 */
import PDFDocument from 'pdfkit';
import { qrMatrix } from './qr-code.ts';

export type DocumentPdfContent = Readonly<{
  nationalLine: string;
  agencyName: string;
  title: string;
  /** Label and value pairs, in order: holder, number, dates, then the document's own facts. */
  rows: readonly (readonly [string, string])[];
  /** A line across the top when the document was revoked; absent otherwise. */
  revokedNotice?: string;
  verifyUrl: string;
  verifyCaption: string;
  payloadCaption: string;
  payload: string;
  issuedAt: Date;
}>;

const pageMargin = 56;
const qrSizePoints = 140;

/** The keyword that precedes the payload in the PDF's Keywords field. */
export const pdfPayloadKeyword = 'huduma-document-payload';

export async function renderDocumentPdf(content: DocumentPdfContent): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margin: pageMargin,
    compress: true,
    // Fixed dates: the same document gives the same file.
    info: {
      Title: content.title, Author: content.agencyName, Subject: content.payload,
      Keywords: `${pdfPayloadKeyword} ${content.payload}`, Creator: 'Huduma', Producer: 'Huduma',
      CreationDate: content.issuedAt, ModDate: content.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });
  const width = document.page.width - pageMargin * 2;
  document.font('Helvetica-Bold').fontSize(11).fillColor('#000000')
    .text(content.nationalLine.toUpperCase(), { align: 'center', width });
  document.font('Helvetica').fontSize(11).text(content.agencyName, { align: 'center', width });
  document.moveDown(1);
  document.font('Helvetica-Bold').fontSize(20).text(content.title, { align: 'center', width });
  document.moveDown(1);
  if (content.revokedNotice !== undefined) {
    document.font('Helvetica-Bold').fontSize(12).fillColor('#b00020').text(content.revokedNotice);
    document.moveDown(0.5);
  }
  for (const [label, value] of content.rows) {
    document.font('Helvetica').fontSize(9).fillColor('#444444').text(label);
    document.font('Helvetica-Bold').fontSize(12).fillColor('#000000').text(value);
    document.moveDown(0.4);
  }
  document.moveDown(0.5);
  drawQr(document, content.verifyUrl, document.x, document.y);
  document.y += qrSizePoints + 8;
  document.font('Helvetica').fontSize(9).fillColor('#000000').text(content.verifyCaption);
  document.moveDown(0.3);
  document.fontSize(7).fillColor('#444444').text(content.payloadCaption);
  document.font('Courier').fontSize(6).text(content.payload, { lineBreak: true });
  document.end();
  await finished;
  return Buffer.concat(chunks);
}

function drawQr(document: PDFKit.PDFDocument, text: string, left: number, top: number): void {
  const matrix = qrMatrix(text);
  const quietZone = 4;
  const modulePoints = qrSizePoints / (matrix.size + quietZone * 2);
  for (let row = 0; row < matrix.size; row += 1) {
    for (let column = 0; column < matrix.size; column += 1) {
      if (!matrix.isDark(row, column)) continue;
      document.rect(left + (column + quietZone) * modulePoints,
        top + (row + quietZone) * modulePoints, modulePoints, modulePoints);
    }
  }
  document.fillColor('#000000').fill();
}

/**
 * The payload a Huduma document PDF carries in its Keywords (or Subject): read from the raw
 * bytes, as the info dictionary is stored as plain literal strings.
 */
export function payloadFromPdf(bytes: Buffer): string | undefined {
  const text = bytes.toString('latin1');
  const match = new RegExp(`${pdfPayloadKeyword} (HD1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`)
    .exec(text) ?? /\/Subject \((HD1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\)/.exec(text);
  return match?.[1];
}
