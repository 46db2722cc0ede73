/** A QR code as inline SVG (the `qrcode` package's SVG renderer only; no canvas code in the bundle). */
import QRCode from 'qrcode';

export function renderQr(container: HTMLElement, text: string): void {
  QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }, (error, svgText) => {
    if (error || !svgText) {
      container.textContent = text;
      return;
    }
    const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
    parsed.setAttribute('aria-hidden', 'true');
    parsed.setAttribute('focusable', 'false');
    container.replaceChildren(document.importNode(parsed, true));
  });
}
