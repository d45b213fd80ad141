// Comware 5 release derived from an image file name. A real switch reads it from the image
// header; the lab has no real images, so the name carries it (README "Lab decisions" 1).

export interface ImageRelease {
  /** e.g. "Release 2221P25" or "Feature 2218" */
  release: string;
  /** the 4-digit release number, e.g. 2221 */
  number: number;
}

const IMAGE_NAME =
  /^[a-z0-9_+.-]*?-cmw520-([rf])(\d{4})([a-z]\d{2,3})?(?:-([a-z]{2})(?=\.bin$))?[a-z0-9_.-]*\.bin$/i;

// Comware 7: `5130ei-cmw710-r3507p18.ipe` (package), `5130ei-cmw710-system-r3507p18.bin` and
// `5130ei-cmw710-boot-r3507p18.bin` (the pair it unpacks into).
const CW7_NAME = /^([a-z0-9_+.-]*?-cmw7\d\d)-(?:(boot|system)-)?r(\d{4})([a-z]\d{2,3})?\.(ipe|bin)$/i;

/** The boot and system images of a Comware 7 `.ipe` package, or null when the name does not follow the rule. */
export function ipePair(fileName: string): { boot: string; system: string } | null {
  const m = CW7_NAME.exec(fileName.replace(/^.*[/:]/, ""));
  if (!m || m[2] !== undefined || m[5].toLowerCase() !== "ipe") return null;
  const release = `r${m[3]}${m[4] ?? ""}`.toLowerCase();
  const prefix = m[1].toLowerCase();
  return { boot: `${prefix}-boot-${release}.bin`, system: `${prefix}-system-${release}.bin` };
}

/**
 * `s5120ei-cmw520-r2221p25.bin` -> `Release 2221P25`; Comware 7 names (`…-cmw710-system-r3507p18.bin`,
 * `…-cmw710-r3507p18.ipe`) -> `Release 3507P18`; a two-letter variant before
 * `.bin` is printed after a comma, as real devices do: `…-r2209l22-ru.bin` ->
 * `Release 2209L22, RU`. Null when the name does not follow the rule.
 */
export function releaseFromImageName(fileName: string): ImageRelease | null {
  const base = fileName.replace(/^.*[/:]/, "");
  const cw7 = CW7_NAME.exec(base);
  if (cw7) return { release: `Release ${cw7[3]}${(cw7[4] ?? "").toUpperCase()}`, number: Number(cw7[3]) };
  const match = IMAGE_NAME.exec(base);
  if (!match) return null;
  const kind = match[1].toLowerCase() === "r" ? "Release" : "Feature";
  const suffix = (match[3] ?? "").toUpperCase();
  const variant = match[4] ? `, ${match[4].toUpperCase()}` : "";
  return { release: `${kind} ${match[2]}${suffix}${variant}`, number: Number(match[2]) };
}

/** Header lines of `display version`: HPE branding from release 2220 on (as in the R2221P25 sample). */
export function versionHeader(release: ImageRelease | null): { platform: string; copyright: string } {
  if (release && release.number >= 2220) {
    return {
      platform: "HPE Comware Platform Software",
      copyright: "Copyright (c) 2010-2016 Hewlett Packard Enterprise Development LP",
    };
  }
  return {
    platform: "HP Comware Platform Software",
    copyright: "Copyright (c) 2010-2013 Hewlett-Packard Development Company, L.P.",
  };
}
