// Comware operations on one open session, each a few commands and the
// profile's answers (what netmiko keeps in its device driver): save the
// configuration, schedule, read and cancel a reboot.
import { DeviceCommandError } from "../errors";
import type { ScheduledReboot } from "../parsers/scheduleReboot";
import type { RebootAt } from "../profiles/types";
import type { SwitchSession } from "../session";

/** Saves the running configuration, answering the save dialogue; throws unless the device confirms. */
export async function saveConfiguration(session: SwitchSession): Promise<string> {
  const p = session.profile;
  const out = await session.runChecked(p.commands.save, {
    answers: p.confirmations.save,
    timeoutMs: Math.max(session.commandTimeoutMs, 120_000),
  });
  if (!p.saveSucceeded.test(out)) {
    throw new DeviceCommandError(session.host, p.commands.save, `no success line in: ${out.trim()}`);
  }
  return out;
}

/** The reboot scheduled on the switch (`display schedule reboot`), or null when none is. */
export async function readScheduledReboot(session: SwitchSession): Promise<ScheduledReboot | null> {
  const p = session.profile;
  return p.parsers.scheduleReboot(await session.runChecked(p.commands.displayScheduleReboot));
}

/** Schedules a reboot at a switch-clock time and reads the schedule back. */
export async function scheduleReboot(session: SwitchSession, at: RebootAt): Promise<ScheduledReboot> {
  const p = session.profile;
  await session.runChecked(p.commands.scheduleRebootAt(at), { answers: p.confirmations.scheduleReboot });
  const scheduled = await readScheduledReboot(session);
  if (!scheduled) {
    throw new DeviceCommandError(
      session.host,
      p.commands.scheduleRebootAt(at),
      "no reboot is scheduled afterwards",
    );
  }
  return scheduled;
}

/** Cancels the reboot scheduled on the switch (`undo schedule reboot`), answering its confirmation. */
export async function cancelScheduledReboot(session: SwitchSession): Promise<void> {
  const p = session.profile;
  await session.runChecked(p.commands.undoScheduleReboot, { answers: p.confirmations.undoScheduleReboot });
}
