import { inflateSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';
import QRCode from 'qrcode';

/** The pixels of an 8-bit, non-interlaced PNG as pdf-parse re-encodes an image (grey, RGB or RGBA): channels per pixel. */
function decodePng(png: Uint8Array): { width: number; height: number; channels: number; pixels: Uint8Array } {
  const buf = Buffer.from(png);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const [depth, colour] = [buf[24]!, buf[25]!];
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (depth !== 8 || !channels) throw new Error(`PNG kind not handled here: depth ${depth}, colour type ${colour}`);
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/**
 * Whether one of the PDF's images is the QR code of `text`, module by module: the code that text makes (level M, one
 * module of margin, as the PDFs draw it) is compared with the image's pixels at every module's centre. No QR decoder is
 * installed; comparing with the one code a text can make is as strict, since any other text gives other modules.
 */
export async function pdfHasQrOf(pdf: Buffer, text: string): Promise<boolean> {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getImage({ imageBuffer: true, imageDataUrl: false });
    for (const page of result.pages) {
      for (const image of page.images) {
        const px = image.width / (n + 2);
        if (image.width !== image.height || !Number.isInteger(px)) continue;
        const { width, channels, pixels } = decodePng(image.data);
        let same = true;
        for (let r = 0; r < n && same; r++) {
          for (let c = 0; c < n && same; c++) {
            const x = Math.floor((c + 1.5) * px);
            const y = Math.floor((r + 1.5) * px);
            const dark = pixels[(y * width + x) * channels]! < 128;
            same = dark === !!qr.modules.get(r, c);
          }
        }
        if (same) return true;
      }
    }
    return false;
  } finally {
    await parser.destroy();
  }
}
