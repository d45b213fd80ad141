// What can go wrong with a switch, as error classes (what netmiko keeps in
// exceptions.py): callers tell a bad password from a network cut by class, and
// `transient` says whether retrying may help.

/** Base of every error the session raises; `transient` says whether retrying may help. */
export class SwitchError extends Error {
  constructor(
    message: string,
    /** The switch concerned: "host:port" for session errors, the target's name for some operation errors. */
    readonly host: string,
    /** True when retrying may help (network failure, timeout); false for refusals, auth, host key. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The network failed (refused, reset, dropped, connect timeout): retrying may help. */
export class SwitchConnectionError extends SwitchError {
  constructor(
    message: string,
    host: string,
    /** Node/ssh2 error code when known, e.g. "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET". */
    readonly code?: string,
  ) {
    super(message, host, true);
  }
}

/** The device did not answer a command in time. The session is closed (its state is unknown). */
export class CommandTimeoutError extends SwitchError {
  constructor(
    host: string,
    /** The command (or SFTP operation) that got no answer. */
    readonly command: string,
    /** How long it waited, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(
      `switch ${host}: no prompt ${timeoutMs} ms after "${command}" (raise commandTimeoutMs if the device is slow)`,
      host,
      true,
    );
  }
}

/** Username/password or key refused. Never retried (it could lock the account). */
export class SwitchAuthError extends SwitchError {
  constructor(host: string, username: string, method: string) {
    super(
      `switch ${host}: authentication failed for user "${username}" with ${method}; check the username and the ${method}`,
      host,
      false,
    );
  }
}

/** The host key is not the pinned one: possibly another machine answering on that address. */
export class HostKeyMismatchError extends SwitchError {
  constructor(
    host: string,
    /** The pinned fingerprint, "SHA256:<base64>". */
    readonly expected: string,
    /** The fingerprint the server presented. */
    readonly actual: string,
  ) {
    super(
      `switch ${host}: host key mismatch: expected ${expected} but the server presented ${actual}; ` +
        `if the switch was replaced or re-keyed, update hostKeySha256`,
      host,
      false,
    );
  }
}

/** The device refused a command (an error line such as "% Unrecognized command ..."). */
export class DeviceCommandError extends SwitchError {
  constructor(
    host: string,
    /** The command the device refused. */
    readonly command: string,
    /** The device's error line, e.g. "% Unrecognized command found at '^' position.". */
    readonly deviceError: string,
  ) {
    super(`switch ${host}: "${command}" failed: ${deviceError.trim()}`, host, false);
  }
}

/** A configuration line was refused in system view; lines before it were applied. */
export class ConfigLineError extends DeviceCommandError {
  constructor(
    host: string,
    line: string,
    deviceError: string,
    /** How many of the lines had been applied before this one. */
    readonly appliedCount: number,
  ) {
    super(host, line, deviceError);
    this.message = `switch ${host}: configuration line "${line}" was refused: ${deviceError.trim()} (${appliedCount} line(s) before it were applied)`;
  }
}

/** The SFTP server refused an operation (flash full, permission ...). */
export class SftpError extends SwitchError {
  constructor(host: string, operation: string, path: string, detail: string) {
    super(`switch ${host}: SFTP ${operation} ${path} failed: ${detail}`, host, false);
  }
}

/**
 * The switch runs an OS socle does not drive, or not the one its `os` names
 * (from its `display version`, read when the session opens): nothing was changed.
 */
export class UnsupportedSwitchOsError extends SwitchError {
  constructor(host: string, reason: string) {
    super(`switch ${host}: ${reason}; nothing was changed`, host, false);
  }
}
