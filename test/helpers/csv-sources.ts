// The inline CSV source configs several suites share, as YAML text for `parseConfig` or a config
// file. Each suite writes its own CSV files next to the config; these only say how to read them.

/** A `sources:` section with one CSV source `crm` reading `files` (YAML list items, indented 6 spaces). */
export function csvSourceYaml(files: string): string {
  return `sources:\n  crm:\n    kind: csv\n    files:\n${files}`;
}

/**
 * The `crm` source of the alert and replica fixtures: owners.csv keyed by `id`, and deals.csv
 * whose `status` column is both stage and status. Starts at `sources:`; append more sections.
 */
export const OWNER_DEALS_SOURCE = csvSourceYaml(`      - object: owners
        path: owners.csv
        key: id
        columns: { name: name, office: office }
      - object: deals
        path: deals.csv
        key: id
        columns: { stage: status, status: status, amount: amount, owner: owner, engaged_at: engaged_at, closed_at: closed_at }
`);

/** How `agentDealsSource` varies between suites. */
export interface AgentDealsOptions {
  /** the deals file's path; deals.csv unless given */
  readonly deals?: string;
  /** file options for the deals file, as YAML lines indented 8 spaces (e.g. a delimiter) */
  readonly dealsOptions?: string;
  /** true to map the deals file's `name` column too */
  readonly names?: boolean;
}

/**
 * The `crm` source of the CSV import and fuzz suites: owners.csv keyed by `agent` with manager and
 * office, and a deals file whose Won/Lost stage gives the status. Starts at `sources:`.
 * @example parseConfig(agentDealsSource({ deals: 'deals.csv.gz' }), 'test.yaml')
 */
export function agentDealsSource(options: AgentDealsOptions = {}): string {
  return csvSourceYaml(`      - object: owners
        path: owners.csv
        key: agent
        columns: { name: agent, manager: manager, office: office }
      - object: deals
        path: ${options.deals ?? 'deals.csv'}
        key: id
${options.dealsOptions ?? ''}        columns:
${options.names ? '          name: name\n' : ''}          stage: stage
          status: { from: stage, map: { Won: won, Lost: lost }, other: open }
          owner: agent
          amount: amount
          closed_at: closed
`);
}
