/** Input schemas of refs, names and descriptions, shared by every table of calls (the rules live in src-core/rules). */
import { z } from 'zod';
import { descriptionProblem, MAX_TEXT_FIELD_LENGTH, nameProblem } from '../../src-core/rules';

// Bounded so a hostile renderer cannot send megabytes; the bound is no name rule.
export const refInput = z.string().min(1).max(MAX_TEXT_FIELD_LENGTH);
export const snapshotNameInput = z
  .string()
  .max(MAX_TEXT_FIELD_LENGTH)
  .refine((n) => nameProblem(n) === null, 'name must not contain control or invisible formatting characters');
export const descriptionInput = z
  .string()
  .max(MAX_TEXT_FIELD_LENGTH)
  .refine((d) => descriptionProblem(d) === null, 'description must not contain control or invisible formatting characters other than line breaks and tabs');
