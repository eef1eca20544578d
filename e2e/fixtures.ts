import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

export interface Fixture {
  name: string;
  path: string;
  bytes: Buffer;
  mime: string;
}

export const CAMERA = { make: "Zorkon", model: "Z-9000 Prime", lens: "Zorkon 35mm f/1.8" };
export const CAMERA_2 = { make: "Quibble", model: "QX-17" };

/** The clip's `mvhd` creation time. */
export const VIDEO_CREATED = "2020-05-09T10:30:00Z";

/** Generated test media: two JPEGs with EXIF and GPS, a PNG without EXIF, an MP4 made by ffmpeg. */
export async function makeFixtures(dir: string): Promise<Fixture[]> {
  mkdirSync(dir, { recursive: true });
  const out: Fixture[] = [];
  const save = (name: string, bytes: Buffer, mime: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    out.push({ name, path: p, bytes, mime });
  };
  const paris = await sharp({
    create: { width: 1600, height: 1200, channels: 3, background: { r: 210, g: 90, b: 40 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="1600" height="1200"><circle cx="800" cy="600" r="400" fill="#2a6fdb"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: CAMERA.make, Model: CAMERA.model, DateTime: "2021:07:14 10:30:00" },
      IFD2: {
        DateTimeOriginal: "2021:07:14 10:30:00",
        FNumber: "28/10",
        ExposureTime: "1/250",
        ISOSpeedRatings: "200",
        LensModel: CAMERA.lens,
      },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 2964/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 17/1 4008/100",
      },
    })
    .toBuffer();
  save("eiffel-sunset-paris.jpg", paris, "image/jpeg");
  const harbor = await sharp({
    create: { width: 900, height: 1400, channels: 3, background: { r: 30, g: 140, b: 90 } },
  })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: CAMERA_2.make, Model: CAMERA_2.model },
      IFD2: { DateTimeOriginal: "2019:03:02 08:15:00" },
    })
    .toBuffer();
  save("harbor-morning.jpg", harbor, "image/jpeg");
  const png = await sharp({
    create: { width: 640, height: 480, channels: 4, background: { r: 240, g: 220, b: 60, alpha: 1 } },
  })
    .png()
    .toBuffer();
  save("screenshot-yellow.png", png, "image/png");
  const mp4 = path.join(dir, "clip-waves.mp4");
  execFileSync(
    "/usr/bin/ffmpeg",
    ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15"].concat([
      "-pix_fmt",
      "yuv420p",
      "-c:v",
      "libx264",
      "-movflags",
      "+faststart",
      // The container's creation time dates the video (not the upload); a month no photo is in.
      "-metadata",
      `creation_time=${VIDEO_CREATED}`,
      mp4,
    ]),
    { stdio: "inherit" },
  );
  out.push({ name: "clip-waves.mp4", path: mp4, bytes: readFileSync(mp4), mime: "video/mp4" });
  return out;
}
