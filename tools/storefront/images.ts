// Product photos of real size for the test theme page: JPEGs drawn once by
// Chromium (the browser the suite already drives) and kept in tmp/, so a
// Lighthouse run pays for images as heavy as a store's (a product photo of
// 800 px is tens of kilobytes; a flat colour would be a few hundred bytes
// and flatter the page). Seeded by the product's SKU: the same files each time.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const IMAGE_WIDTHS = { product: [400, 800], hero: [800, 1600] } as const;
const HERO_RATIO = 700 / 1600;

export interface ImageRequest {
  /** The file name stem: `${name}-${width}.jpg`. */
  name: string;
  kind: keyof typeof IMAGE_WIDTHS;
  /** Two colours of the product's "photo" (CSS colours). */
  colors: [string, string];
}

export const imageFile = (dir: string, name: string, width: number) => path.join(dir, `${name}-${width}.jpg`);

function hashSeed(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

// Runs in the browser, so it is a string: tsx's transform would add helpers (__name) the page does not have.
const DRAW = `function draw({ width, height, colors, seed, kind }) {
  let state = seed || 1;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  const gradient = ctx.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, colors[0]);
  gradient.addColorStop(1, colors[1]);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
  // The "product": a few soft shapes with shadows, as a studio photo has.
  const shapes = kind === "hero" ? 7 : 3;
  for (let i = 0; i < shapes; i++) {
    const w = width * (0.18 + random() * 0.25);
    const h = height * (0.3 + random() * 0.45);
    const x = width * (0.1 + random() * 0.7);
    const y = height * (0.9 - random() * 0.2) - h;
    ctx.shadowColor = "rgba(0,0,0,0.35)";
    ctx.shadowBlur = width / 30;
    ctx.shadowOffsetY = width / 80;
    ctx.fillStyle = "hsl(" + Math.floor(random() * 360) + ", " + (30 + Math.floor(random() * 40)) + "%, " + (35 + Math.floor(random() * 40)) + "%)";
    ctx.beginPath();
    ctx.roundRect(x, y, w, h, w / 5);
    ctx.fill();
  }
  ctx.shadowColor = "transparent";
  // Grain: a photo's sensor noise and texture, which is what makes a JPEG weigh what it does.
  const pixels = ctx.getImageData(0, 0, width, height);
  for (let p = 0; p < pixels.data.length; p += 4) {
    const noise = (random() - 0.5) * 34;
    pixels.data[p] += noise;
    pixels.data[p + 1] += noise;
    pixels.data[p + 2] += noise;
  }
  ctx.putImageData(pixels, 0, 0);
  return canvas.toDataURL("image/jpeg", 0.8);
}`;

/** Draws the images not already in `dir`; returns how many it drew. */
export async function ensureImages(requests: ImageRequest[], dir: string, chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"): Promise<number> {
  const missing = requests.flatMap((request) => IMAGE_WIDTHS[request.kind].filter((width) => !fs.existsSync(imageFile(dir, request.name, width))).map((width) => ({ ...request, width })));
  if (missing.length === 0) return 0;
  fs.mkdirSync(dir, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    for (const image of missing) {
      const height = image.kind === "hero" ? Math.round(image.width * HERO_RATIO) : image.width;
      const args = { width: image.width, height, colors: image.colors, seed: hashSeed(image.name), kind: image.kind };
      const dataUrl = (await page.evaluate(`(${DRAW})(${JSON.stringify(args)})`)) as string;
      fs.writeFileSync(imageFile(dir, image.name, image.width), Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64"));
    }
  } finally {
    await browser.close();
  }
  return missing.length;
}
