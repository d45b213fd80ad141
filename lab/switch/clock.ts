// Lab time and its Comware renderings. The lab clock of a switch is real time plus an offset,
// so tests can jump to a maintenance window; everything prints in UTC.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `display clock`: `19:35:31 UTC Sat 01/08/2011` (another zone name when one is configured) */
export function displayClock(d: Date, zone = "UTC"): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${zone} ${DAYS[d.getUTCDay()]} ${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** `dir` column: `Mar 27 2014 18:10:30` */
export function dirDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** log line stamp: `Mar 27 18:13:54:569 2014` */
export function logStamp(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}:${pad(d.getUTCMilliseconds(), 3)} ${d.getUTCFullYear()}`;
}

/** schedule reboot `<when>`: `HH:MM MM/DD/YYYY` */
export function scheduleWhen(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** `(in H hours and M minutes)` (rounded up to the minute, as a countdown) */
export function inHoursMinutes(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  return `in ${Math.floor(minutes / 60)} hours and ${minutes % 60} minutes`;
}

/** Parses `MM/DD/YYYY` or `YYYY/MM/DD`; null when invalid. */
export function parseDate(text: string): { year: number; month: number; day: number } | null {
  const parts = text.split("/").map(Number);
  const [year, month, day] = text.indexOf("/") === 4 ? parts : [parts[2], parts[0], parts[1]];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** `schedule reboot at HH:MM [date]`: target lab time, or null when the date is invalid. */
export function scheduleAt(now: Date, time: string, date?: string): Date | null {
  const [h, m] = time.split(":").map(Number);
  if (date) {
    const d = parseDate(date);
    if (!d) return null;
    return new Date(Date.UTC(d.year, d.month - 1, d.day, h, m));
  }
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  return today.getTime() > now.getTime() ? today : new Date(today.getTime() + 86_400_000);
}

/** `schedule reboot delay HH:MM|MM` in ms */
export function delayMs(text: string): number {
  if (text.includes(":")) {
    const [h, m] = text.split(":").map(Number);
    return (h * 60 + m) * 60_000;
  }
  return Number(text) * 60_000;
}

/** Uptime as `37 weeks, 4 days, 1 hour, 3 minutes` (singular for 0 and 1, as in the samples). */
export function uptime(ms: number): string {
  let minutes = Math.floor(ms / 60_000);
  const weeks = Math.floor(minutes / 10080);
  minutes -= weeks * 10080;
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const unit = (n: number, word: string): string => `${n} ${word}${n > 1 ? "s" : ""}`;
  return `${unit(weeks, "week")}, ${unit(days, "day")}, ${unit(hours, "hour")}, ${unit(minutes, "minute")}`;
}
