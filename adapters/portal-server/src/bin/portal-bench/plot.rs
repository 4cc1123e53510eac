//! The soak's memory curve as a small PNG: resident memory (blue) and heap (grey) over time,
//! with the 64 MiB target (red), the idle size (green dashed) and the end of the load (grey
//! vertical); gridlines every 16 MiB and every minute. No text: docs/PERFORMANCE.md says
//! what the axes are.

const W: usize = 640;
const H: usize = 240;
const MARGIN: usize = 10;

struct Canvas {
    rgb: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            rgb: vec![255; W * H * 3],
        }
    }

    fn dot(&mut self, x: usize, y: usize, c: [u8; 3]) {
        if x < W && y < H {
            let i = (y * W + x) * 3;
            self.rgb[i..i + 3].copy_from_slice(&c);
        }
    }

    /// A line between two points (Bresenham), `thick` pixels wide.
    fn line(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64), c: [u8; 3], thick: i64) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            for t in 0..thick {
                self.dot(x as usize, (y + t) as usize, c);
            }
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }
}

/// One moment of the curve: seconds since the load started, resident memory and the heap
/// in MiB.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub at_s: f64,
    pub rss_mib: f64,
    pub heap_mib: f64,
}

/// Writes the plot of the samples (`idle`: resident memory before the load, which ended
/// at `load_end_s`).
pub fn write(
    path: &std::path::Path,
    samples: &[Point],
    idle: f64,
    load_end_s: f64,
) -> Result<(), String> {
    let mut c = Canvas::new();
    let end_s = samples.last().map_or(1.0, |s| s.at_s).max(1.0);
    let top = samples
        .iter()
        .map(|s| s.rss_mib)
        .fold(80.0f64, f64::max)
        .ceil();
    let x = |s: f64| (MARGIN as f64 + s / end_s * (W - 2 * MARGIN) as f64) as i64;
    let y = |m: f64| (H as f64 - MARGIN as f64 - m / top * (H - 2 * MARGIN) as f64) as i64;
    let grid = [225, 225, 225];
    let mut m = 0.0;
    while m <= top {
        c.line((x(0.0), y(m)), (x(end_s), y(m)), grid, 1);
        m += 16.0;
    }
    let mut t = 0.0;
    while t <= end_s {
        c.line((x(t), y(0.0)), (x(t), y(top)), grid, 1);
        t += 60.0;
    }
    c.line((x(0.0), y(64.0)), (x(end_s), y(64.0)), [210, 40, 40], 1);
    c.line(
        (x(load_end_s), y(0.0)),
        (x(load_end_s), y(top)),
        [120, 120, 120],
        1,
    );
    let mut t = 0.0;
    while t < end_s {
        let to = (t + end_s / 80.0).min(end_s);
        c.line((x(t), y(idle)), (x(to), y(idle)), [40, 160, 40], 1);
        t += end_s / 40.0;
    }
    let mut from: Option<((i64, i64), (i64, i64))> = None;
    for s in samples {
        let (r, h) = ((x(s.at_s), y(s.rss_mib)), (x(s.at_s), y(s.heap_mib)));
        if let Some((pr, ph)) = from {
            c.line(ph, h, [150, 150, 150], 2);
            c.line(pr, r, [30, 80, 200], 2);
        }
        from = Some((r, h));
    }
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), W as u32, H as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&c.rgb).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())
}
