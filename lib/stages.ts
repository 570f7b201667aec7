/**
 * The ten workflow stages. The data lives in lib/shared/stages.ts so browser code (the command
 * palette, the help panel) can read it too; server code keeps importing it from here.
 */
export * from "./shared/stages.ts";
