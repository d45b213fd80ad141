// socle's delivery helpers: GitLab merge-request previews of Pulumi stacks.
export * from "./previewJson";
export * from "./redact";
export * from "./summarize";
export * from "./renderNote";
export * from "./affectedStacks";
export * from "./gitlab";
export * from "./publish";
export * from "./lineDiff";
export * from "./switchImpact";
