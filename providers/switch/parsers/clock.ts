// `display clock`: the switch's wall-clock time, which is what maintenance
// windows and `schedule reboot at` are expressed in.
import { ParseError, outputLines } from "./common";

/** The switch's wall-clock time, as `display clock` prints it. */
export interface SwitchClock {
  /** Four-digit year. */
  year: number;
  /** Month, 1-12. */
  month: number;
  /** Day of the month, 1-31. */
  day: number;
  /** Hour, 0-23. */
  hour: number;
  /** Minute, 0-59. */
  minute: number;
  /** Second, 0-59. */
  second: number;
  /** Zone name as printed, e.g. "UTC" or "Z5". */
  zone: string;
  /** Day of the week as printed, e.g. "Mon". */
  weekday: string;
  /** "Time Zone : Z5 add 05:00:00" as signed minutes, null when not printed. */
  zoneOffsetMinutes: number | null;
  /** The "Summer Time :" line, null when not printed. */
  summerTime: SummerTime | null;
}

/** `Summer Time : PDT 06:00:00 08/01 06:00:00 09/01 01:00:00`: name, start, end, offset added. */
export interface SummerTime {
  /** Zone name shown while summer time is on, e.g. "PDT" or "CEST". */
  zone: string;
  /** Start as printed: time and date ("06:00:00 08/01"; the date may carry a year). */
  start: string;
  /** End as printed. */
  end: string;
  /** Minutes added while summer time is on. */
  addMinutes: number;
}

const COMMAND = "display clock";
const CLOCK = /^\s*(\d{1,2}):(\d{2}):(\d{2})\s+(\S+)\s+([A-Z][a-z]{2})\s+(\d{2})\/(\d{2})\/(\d{4})\s*$/;
const ZONE = /^\s*Time Zone\s*:\s*\S+\s+(add|minus)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?/;
const TIME_DATE = String.raw`\d{1,2}:\d{2}(?::\d{2})?\s+\d{1,2}\/\d{1,2}(?:\/\d{4})?`;
const SUMMER = new RegExp(
  String.raw`^\s*Summer Time\s*:\s*(\S+)\s+(${TIME_DATE})\s+(${TIME_DATE})\s+(?:add\s+)?(\d{1,2}):(\d{2})(?::\d{2})?\s*$`,
);

export function parseDisplayClock(text: string): SwitchClock {
  const lines = outputLines(text);
  const m = lines.map((l) => CLOCK.exec(l)).find((x) => x !== null);
  if (!m) throw new ParseError(COMMAND, 'no "HH:MM:SS ZONE Day MM/DD/YYYY" line');
  const zone = lines.map((l) => ZONE.exec(l)).find((x) => x !== null);
  const summer = lines.map((l) => SUMMER.exec(l)).find((x) => x !== null);
  const clock: SwitchClock = {
    hour: Number(m[1]),
    minute: Number(m[2]),
    second: Number(m[3]),
    zone: m[4],
    weekday: m[5],
    month: Number(m[6]),
    day: Number(m[7]),
    year: Number(m[8]),
    zoneOffsetMinutes: zone
      ? (zone[1] === "minus" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]))
      : null,
    summerTime: summer
      ? {
          zone: summer[1],
          start: summer[2].replace(/\s+/g, " "),
          end: summer[3].replace(/\s+/g, " "),
          addMinutes: Number(summer[4]) * 60 + Number(summer[5]),
        }
      : null,
  };
  if (clock.month < 1 || clock.month > 12 || clock.day < 1 || clock.day > 31 || clock.hour > 23) {
    throw new ParseError(COMMAND, `date/time out of range in "${m[0].trim()}"`);
  }
  return clock;
}
