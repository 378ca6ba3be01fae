import type { CaseService, TodoItem } from './service.js';
import { objectionKind } from './objection/definition.js';
import { repairKind } from './repair/definition.js';
import { archiveKind } from './archive/definition.js';

export type { TodoItem };

/**
 * What waits for the signed-in user's step on every kind of case, for the dashboard: the credit office decides
 * first on objections and last on repairs; a department answers objections passed to it and decides first on
 * repairs of its penalties. A new kind adds its line here.
 */
export function caseTodo(cases: CaseService, user: Express.User): Promise<TodoItem[]> {
  return Promise.all([cases.todo(objectionKind, user), cases.todo(repairKind, user), cases.todo(archiveKind, user)]).then((lines) => lines.flat());
}
