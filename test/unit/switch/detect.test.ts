// OS detection from `display version` (identifyProfile): every public sample of
// /work/shared/comware/raw selects the profile of its generation; another OS, a
// device that is no Comware switch, and a stack `os` the device contradicts are
// refused by name.
import { describe, expect, it } from "vitest";
import { identifyProfile } from "../../../providers/switch/profiles";
import { comware5 } from "../../../providers/switch/profiles/comware5";
import { comware7 } from "../../../providers/switch/profiles/comware7";
import { samplesFor } from "./samples";

const versionSamples = samplesFor("display_version");

/** The profile id a sample's file name says it is ("…__cw5_…", "…__cw7_…", "…__cw7early_…"). */
const generationOfName = (name: string): string => (/__cw7/.test(name) ? "comware7" : "comware5");

const refusal = (text: string, given?: typeof comware5): string => {
  const result = identifyProfile(text, given);
  if (!("refused" in result)) throw new Error(`expected a refusal, got ${result.profile.id}`);
  return result.refused;
};

describe("identifyProfile on the public display version samples", () => {
  it("covers both generations", () => {
    expect(new Set(versionSamples.map((s) => generationOfName(s.name)))).toEqual(
      new Set(["comware5", "comware7"]),
    );
  });

  it.each(versionSamples.map((s) => [s.name, s.text]))(
    "%s selects its generation's profile",
    (name, text) => {
      const result = identifyProfile(text);
      expect("refused" in result ? result.refused : result.profile.id).toBe(generationOfName(name));
    },
  );

  it.each(versionSamples.map((s) => [s.name, s.text]))(
    "%s: the other generation's os is refused naming both",
    (name, text) => {
      const wrong = generationOfName(name) === "comware5" ? comware7 : comware5;
      const right = wrong === comware5 ? comware7 : comware5;
      const message = refusal(text, wrong);
      expect(message).toContain(`os "${wrong.id}" (${wrong.displayName}) does not match the switch`);
      expect(message).toContain(
        `(${right.displayName}); set os to "${right.id}" or leave os out to detect it`,
      );
    },
  );

  it("keeps a given os the device confirms, and its parsed version", () => {
    const cw7 = versionSamples.find((s) => s.name.includes("cw7_hpe5130-48g-poe-hi"))!;
    const result = identifyProfile(cw7.text, comware7);
    expect("refused" in result).toBe(false);
    if (!("refused" in result)) {
      expect(result.profile).toBe(comware7);
      expect(result.version).toMatchObject({ softwareVersion: "7.1.070", release: "3507P18" });
    }
  });
});

describe("identifyProfile refuses what socle does not drive, by name", () => {
  // Written for the test: the Comware 5 layout with a Comware 3.10 version (no public capture of
  // a Comware 3 `display version` is in the reference), and the same line as some Comware 3
  // devices print it, lower-case "software" and no uptime line the parser needs.
  it.each([
    [
      "Comware 3.10, Comware 5 layout",
      "H3C Comware Platform Software\nComware Software, Version 3.10, Release 2211\nCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd.\nH3C S3100-26TP-SI uptime is 2 weeks, 1 day, 3 hours, 4 minutes\n",
      "display version reports Comware 3.10, which socle does not drive",
    ],
    [
      "Comware 3.10, another layout",
      "3Com Corporation\nComware software, Version 3.10, Release 0027\n",
      "display version reports Comware 3.10, which socle does not drive",
    ],
    [
      "Comware 5.10",
      "Comware Software, Version 5.10, Release 1610\nH3C S5600 uptime is 1 week\n",
      "display version reports Comware 5.10, which socle does not drive",
    ],
  ])("%s", (_label, text, reason) => {
    expect(refusal(text)).toBe(
      `${reason} (it drives Comware 5.20 (os "comware5") and Comware 7.1 (os "comware7"))`,
    );
  });

  it("a device that is no Comware switch is named by its first line", () => {
    // A Cisco IOS device refusing a Comware command, as its CLI answers an unknown one.
    const cisco = "                 ^\n% Invalid input detected at '^' marker.\n";
    expect(refusal(cisco)).toBe(
      `display version shows no Comware software version (it begins "% Invalid input detected at '^' marker."): not a switch socle drives ` +
        `(it drives Comware 5.20 (os "comware5") and Comware 7.1 (os "comware7"))`,
    );
    expect(refusal("")).toContain("(it printed nothing)");
  });

  it("a given os on an OS socle does not drive names both", () => {
    const text = "Comware Software, Version 3.10, Release 2211\nH3C S3100 uptime is 1 week\n";
    expect(refusal(text, comware5)).toBe(
      `os "comware5" (Comware 5.20) does not match the switch: display version reports Comware 3.10; ` +
        `socle drives Comware 5.20 (os "comware5") and Comware 7.1 (os "comware7")`,
    );
  });
});
