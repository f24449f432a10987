import type { CommandName } from './command.ts';
import type { ParseProblem } from './messages.ts';

/** Thrown inside the parser and caught at its entry: what is wrong, and whose help to show. */
export class ParseError extends Error {
  readonly problem: ParseProblem;
  readonly topic: CommandName;

  constructor(problem: ParseProblem, topic: CommandName) {
    super(`[kpi] cannot parse the command: ${problem.kind}`);
    this.name = 'ParseError';
    this.problem = problem;
    this.topic = topic;
  }
}
