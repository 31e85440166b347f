/**
 * The PDF receipt: its facts, and a QR code of the /verify address carrying the signed
 * payload (which is also printed, for typing in where no camera is at hand). A5, built-in
 * Helvetica (no font files to ship), vector QR code: a few kilobytes.
 */
import PDFDocument from 'pdfkit';
import { qrMatrix } from './qr-code.ts';

export type ReceiptPdfContent = Readonly<{
  title: string;
  /** Label and value pairs, in order. */
  rows: readonly (readonly [string, string])[];
  verifyUrl: string;
  verifyCaption: string;
  payloadCaption: string;
  payload: string;
  issuedAt: Date;
}>;

const pageMargin = 40;
const qrSizePoints = 150;

export async function renderReceiptPdf(content: ReceiptPdfContent): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A5',
    margin: pageMargin,
    compress: true,
    // Fixed dates: the same receipt gives the same file.
    info: {
      Title: content.title, Creator: 'Huduma', Producer: 'Huduma',
      CreationDate: content.issuedAt, ModDate: content.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });
  document.font('Helvetica-Bold').fontSize(18).text(content.title);
  document.moveDown(0.8);
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
