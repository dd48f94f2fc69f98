/**
 * Demo and test images drawn in code, so no real person's signature or agency seal is ever shipped: a
 * blue handwriting-like scribble and a red seal (double ring, star, a ring of dots where a real seal has
 * its lettering). Both are RGBA PNGs with a transparent background, as ND30 asks.
 */
import { PNG } from 'pngjs'

type Rgb = [number, number, number]
const INK_BLUE: Rgb = [20, 40, 170]
const SEAL_RED: Rgb = [210, 25, 35]

class Canvas {
  readonly png: PNG
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly color: Rgb,
  ) {
    this.png = new PNG({ width, height })
  }

  /** Raises the pixel's opacity to `alpha` (0–1); overlapping strokes do not darken. */
  cover(x: number, y: number, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return
    const i = (y * this.width + x) * 4
    const data = this.png.data
    ;[data[i], data[i + 1], data[i + 2]] = this.color
    data[i + 3] = Math.max(data[i + 3]!, Math.round(Math.min(1, alpha) * 255))
  }

  /** A soft-edged disc: strokes are discs stamped along a path. */
  disc(cx: number, cy: number, radius: number): void {
    for (let y = Math.floor(cy - radius - 1); y <= cy + radius + 1; y++) {
      for (let x = Math.floor(cx - radius - 1); x <= cx + radius + 1; x++) {
        this.cover(x, y, radius + 0.5 - Math.hypot(x - cx, y - cy))
      }
    }
  }

  /** Fills pixels whose centre distance `d` from the shape's edge is negative inside (anti-aliased). */
  fill(signedDistance: (x: number, y: number) => number): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) this.cover(x, y, 0.5 - signedDistance(x + 0.5, y + 0.5))
    }
  }

  toPng(): Buffer {
    return PNG.sync.write(this.png, { colorType: 6 })
  }
}

/** A signature-like scribble: looping letters along a slanted baseline and an underline flourish. */
export function demoSignaturePng(width = 600, height = 240): Buffer {
  const canvas = new Canvas(width, height, INK_BLUE)
  const stroke = (point: (t: number) => [number, number], pen: (t: number) => number, steps = 4000) => {
    for (let s = 0; s <= steps; s++) {
      const t = s / steps
      const [x, y] = point(t)
      canvas.disc(x, y, pen(t))
    }
  }
  // Loops of varying height drift right and slightly up, like a quickly written name.
  stroke(
    (t) => {
      const phase = t * Math.PI * 2 * 6.5
      const swell = 0.55 + 0.45 * Math.sin(t * Math.PI * 3.1)
      return [
        width * (0.1 + 0.72 * t) + 26 * Math.cos(phase),
        height * (0.5 - 0.12 * t) + 62 * swell * Math.sin(phase),
      ]
    },
    (t) => 2.2 + 1.6 * Math.sin(t * Math.PI),
  )
  stroke(
    (t) => [width * (0.06 + 0.88 * t), height * (0.8 - 0.1 * t) + 10 * Math.sin(t * Math.PI * 1.5)],
    (t) => 1.2 + 2.4 * Math.sin(t * Math.PI),
    1500,
  )
  return canvas.toPng()
}

/** A round seal: two red rings, a five-pointed star, a ring of dots in place of the lettering. */
export function demoSealPng(size = 426): Buffer {
  const canvas = new Canvas(size, size, SEAL_RED)
  const c = size / 2
  const outer = size / 2 - 3
  const ring = (radius: number, thickness: number) => (x: number, y: number) =>
    Math.abs(Math.hypot(x - c, y - c) - radius) - thickness / 2
  canvas.fill(ring(outer - 5, 10))
  canvas.fill(ring(outer * 0.66, 4))
  canvas.fill(starDistance(c, c, outer * 0.4))
  const dots = 36
  for (let i = 0; i < dots; i++) {
    const angle = (i / dots) * Math.PI * 2
    const r = outer * 0.83
    canvas.disc(c + r * Math.cos(angle), c + r * Math.sin(angle), 5)
  }
  return canvas.toPng()
}

/** Approximate signed distance to a five-pointed star (negative inside), good enough for anti-aliasing. */
function starDistance(cx: number, cy: number, radius: number) {
  const points: [number, number][] = []
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius : radius * 0.4
    const angle = -Math.PI / 2 + (i * Math.PI) / 5
    points.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)])
  }
  return (x: number, y: number) => {
    let inside = false
    let nearest = Number.POSITIVE_INFINITY
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!
      const [xj, yj] = points[j]!
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
      nearest = Math.min(nearest, segmentDistance(x, y, xi, yi, xj, yj))
    }
    return inside ? -nearest : nearest
  }
}

function segmentDistance(x: number, y: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1
  const dy = y2 - y1
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - x1 - t * dx, y - y1 - t * dy)
}
