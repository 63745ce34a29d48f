// Jest global set-up of the browser journeys: names this run, so all its screenshots land in one folder.
export default function setup(): void {
  process.env.E2E_RUN_ID ??= `run-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`;
}
