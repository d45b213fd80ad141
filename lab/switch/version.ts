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

/**
 * `s5120ei-cmw520-r2221p25.bin` -> `Release 2221P25`; a two-letter variant before
 * `.bin` is printed after a comma, as real devices do: `…-r2209l22-ru.bin` ->
 * `Release 2209L22, RU`. Null when the name does not follow the rule.
 */
export function releaseFromImageName(fileName: string): ImageRelease | null {
  const base = fileName.replace(/^.*[/:]/, "");
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
