// socle/secrets: generated passwords and SSH keys as resources of our own
// dynamic provider (they replace @pulumi/random and @pulumi/tls here).
export { GeneratedPassword, GeneratedSshKey } from "./resources";
export type { GeneratedPasswordArgs, GeneratedSshKeyArgs } from "./resources";
export {
  PASSWORD_SPECIAL_CHARACTERS,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  RSA_KEY_BITS,
} from "./generate";
