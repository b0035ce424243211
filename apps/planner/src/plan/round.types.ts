/** A call as the planner checked it: the tool and its grounded, schema-valid arguments. */
export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
}

/** What a second tool round comes to. */
export type SecondRound =
  /** The calls, with the reference resolved to the one task found. */
  | { kind: 'calls'; calls: PlannedCall[] }
  /** Nothing to run: `text` says why or asks which one, in the user's language. */
  | { kind: 'question'; text: string }
  | { kind: 'blocked'; text: string };
