// `json: true`: the reply parses as JSON; `json: { schema: {...} }`: and is valid against that JSON Schema
// (draft-07, checked by Ajv with strictSchema, so a misspelt keyword is said rather than ignored; Ajv's other
// strict checks, which refuse valid schemas such as `required` naming a property not under `properties`, are
// off). A reply wrapped in a Markdown fence does not parse; the message says so, since that is the usual cause.

import Ajv from 'ajv';
import { oneLine, quotedExcerpt } from '../../text/excerpt';
import type { JsonAssertion } from '../types';
import { outcome, type Evaluate } from './context';

export const evaluateJson: Evaluate<'json'> = (assertion, ctx) => {
  const parsed = parseReply(ctx.reply);
  if ('error' in parsed) return outcome(assertion, false, parsed.error, { actual: ctx.reply });
  if (assertion.schema === undefined) return outcome(assertion, true, 'reply is JSON', { actual: ctx.reply });
  return schemaOutcome(assertion, parsed.value, ctx.reply);
};

function parseReply(reply: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(reply) as unknown };
  } catch (error) {
    const fenced = /^\s*```/.test(reply) ? ' (it is wrapped in a ``` fence: ask the model for bare JSON)' : '';
    return { error: `reply is not JSON${fenced}: ${oneLine((error as Error).message)}` };
  }
}

function schemaOutcome(assertion: JsonAssertion, value: unknown, reply: string) {
  const expected = JSON.stringify(assertion.schema);
  const ajv = new Ajv({ strict: true, strictRequired: false, strictTypes: false, strictTuples: false, allErrors: true, logger: false });
  let validate;
  try {
    validate = ajv.compile(assertion.schema as object);
  } catch (error) {
    return outcome(assertion, false, `the schema is not a valid JSON Schema: ${oneLine((error as Error).message)}`, { expected });
  }
  if (validate(value)) return outcome(assertion, true, 'reply is JSON valid against the schema', { expected, actual: reply });
  const errors = ajv.errorsText(validate.errors, { dataVar: 'reply' });
  return outcome(assertion, false, `reply is JSON but not valid against the schema: ${quotedExcerpt(errors, 300)}`, { expected, actual: reply });
}
