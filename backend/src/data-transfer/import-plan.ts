import { caseInsensitiveKey } from '../common/case-fold.js';
import type { ErrorDetail } from '../common/error-body.js';
import { positionAfter } from '../common/positions.js';
import { assertRepeats, RecurrenceRuleError } from '../tasks/recurrence.js';
import type { ExistingProject, ProjectInsert, TaskInsert, ViewInsert } from './data-transfer.repository.js';
import type { ImportProject, ImportTask, ImportView, ImportWarning } from './import-records.js';

/** Levels of projects (ProjectsService) and of tasks (a task and three levels of subtasks). */
const MAX_PROJECT_DEPTH = 3;
const MAX_TASK_DEPTH = 4;
const PROJECT_NAME_MAX = 120;
const VIEW_NAME_MAX = 60;

export interface ImportInput {
  readonly projects: readonly ImportProject[];
  readonly views: readonly ImportView[];
  readonly tasks: readonly ImportTask[];
  /** Todoist: a repetition that this API cannot store goes into the description instead of refusing the file. */
  readonly lenientRecurrence: boolean;
}

export interface ImportContext {
  /** The importing account's projects (its Inbox among them). */
  readonly projects: readonly ExistingProject[];
  /** Where tasks that name no project go: the Inbox, or the import's `project_id`. */
  readonly targetProjectId: string;
  readonly viewNameKeys: ReadonlySet<string>;
  readonly lastViewPosition: number;
  readonly projectCount: number;
  readonly viewCount: number;
  readonly limits: { readonly projects: number; readonly views: number };
  /** The time zone recurrence is checked in (the one the import leaves the account with). */
  readonly timeZone: string;
  readonly newId: () => string;
}

export interface ImportPlan {
  readonly projects: ProjectInsert[];
  readonly views: ViewInsert[];
  /** In an order the foreign keys accept: parents and next occurrences before the tasks that name them. */
  readonly tasks: TaskInsert[];
  /** The same rows in the upload's order. */
  readonly uploadOrder: TaskInsert[];
  /** The new ids of the tasks outside the trash, in the upload's order: the order of their events. */
  readonly announced: string[];
  /** For a dry run's preview: each task's project as a path of names. */
  readonly projectPathOf: ReadonlyMap<string, string[]>;
  readonly errors: ErrorDetail[];
  readonly warnings: ImportWarning[];
}

/**
 * Turns the records of an upload into rows for the importing account, with
 * new ids: resolves every reference between records (a task's project,
 * parent, series, next occurrence; a project's parent; a view's project and
 * parent filters), maps the exported Inbox to the account's own, gives names
 * that clash with the account's a suffix, places what has no position after
 * what is there, and checks what only the whole file can tell (unknown or
 * circular references, depth, limits). Pure: the caller reads the context
 * and writes the rows.
 */
export function planImport(input: ImportInput, context: ImportContext): ImportPlan {
  const errors: ErrorDetail[] = [];
  const warnings: ImportWarning[] = [];
  const inbox = context.projects.find((p) => p.is_inbox);
  if (!inbox) throw new Error('the importing account has no Inbox');

  // --- Projects -----------------------------------------------------------------
  /** Project id in the upload → id in the account. */
  const projectIds = new Map<string, string>();
  /** Id in the account → { parent id in the account, name, depth } for every project, old and new. */
  const tree = new Map<string, { parent: string | null; name: string; nameKey: string }>();
  for (const p of context.projects) tree.set(p.id, { parent: p.parent_id, name: p.name, nameKey: p.name_key });
  const siblingsTaken = new Map<string, Set<string>>();
  const siblingKey = (parent: string | null) => parent ?? '';
  const taken = (parent: string | null) => {
    let set = siblingsTaken.get(siblingKey(parent));
    if (!set) siblingsTaken.set(siblingKey(parent), (set = new Set()));
    return set;
  };
  for (const p of context.projects) taken(p.parent_id).add(p.name_key);
  const depthOf = (id: string | null): number => {
    let depth = 0;
    for (let at = id; at !== null; at = tree.get(at)?.parent ?? null) depth++;
    return depth;
  };
  const lastProjectPosition = new Map<string, number>();
  const projectRows: ProjectInsert[] = [];

  let inboxSeen = false;
  const bySource = new Map<string, ImportProject>();
  for (const project of input.projects) {
    if (bySource.has(project.sourceId)) {
      errors.push({ field: `${project.source}.id`, message: `id ${project.sourceId} is used by another project of this file` });
      continue;
    }
    bySource.set(project.sourceId, project);
    if (project.isInbox && !inboxSeen) {
      inboxSeen = true;
      projectIds.set(project.sourceId, inbox.id);
    } else {
      if (project.isInbox) warnings.push({ field: project.source, message: 'a second Inbox: imported as an ordinary project' });
      projectIds.set(project.sourceId, context.newId());
    }
  }
  // Parents first, so a name clash is decided against the final parent.
  const ordered = orderByParents(
    input.projects.filter((p) => bySource.get(p.sourceId) === p && projectIds.get(p.sourceId) !== inbox.id),
    (p) => p.sourceId,
    (p) => (p.parentRef !== undefined && bySource.has(p.parentRef) ? [p.parentRef] : []),
  );
  for (const project of ordered.cyclic) {
    errors.push({ field: `${project.source}.parent_id`, message: 'the projects of this file are nested in a circle' });
  }
  for (const project of ordered.sorted) {
    const id = projectIds.get(project.sourceId) as string;
    let parent: string | null = null;
    if (project.parentRef !== undefined) {
      const mapped = projectIds.get(project.parentRef);
      if (mapped === undefined) {
        errors.push({ field: `${project.source}.parent_id`, message: `parent_id ${project.parentRef} names no project of this file` });
        continue;
      }
      if (mapped === inbox.id) warnings.push({ field: `${project.source}.parent_id`, message: 'the Inbox has no sub-projects: imported at the top level' });
      else parent = mapped;
    }
    if (depthOf(parent) + 1 > MAX_PROJECT_DEPTH) {
      errors.push({ field: `${project.source}.parent_id`, message: `projects nest at most ${MAX_PROJECT_DEPTH} levels deep` });
      continue;
    }
    const name = freeName(project.name, taken(parent), PROJECT_NAME_MAX);
    if (name !== project.name) {
      warnings.push({ field: `${project.source}.name`, message: `a project named "${project.name}" is there already: imported as "${name}"` });
    }
    const nameKey = caseInsensitiveKey(name);
    taken(parent).add(nameKey);
    tree.set(id, { parent, name, nameKey });
    const last = lastProjectPosition.get(siblingKey(parent)) ?? maxPosition(context.projects, parent);
    const position = project.position ?? positionAfter(last);
    lastProjectPosition.set(siblingKey(parent), Math.max(position, last ?? Number.NEGATIVE_INFINITY));
    projectRows.push({ id, name, name_key: nameKey, color: project.color, parent_id: parent, position, created_at: project.created_at ?? null });
  }

  /** A CSV row's project by its path of names: found, or created (with its parents). */
  const pathCache = new Map<string, string | undefined>();
  const projectByPath = (path: readonly string[], source: string): string | undefined => {
    const cacheKey = JSON.stringify(path.map((name) => caseInsensitiveKey(name)));
    if (pathCache.has(cacheKey)) return pathCache.get(cacheKey);
    const found = findOrCreatePath(path, source);
    pathCache.set(cacheKey, found);
    return found;
  };
  const findOrCreatePath = (path: readonly string[], source: string): string | undefined => {
    if (path.length > MAX_PROJECT_DEPTH) {
      errors.push({ field: `${source}, project`, message: `projects nest at most ${MAX_PROJECT_DEPTH} levels deep` });
      return undefined;
    }
    if (caseInsensitiveKey(path[0]) === inbox.name_key) {
      if (path.length === 1) return inbox.id;
      errors.push({ field: `${source}, project`, message: 'the Inbox has no sub-projects' });
      return undefined;
    }
    let parent: string | null = null;
    for (const name of path) {
      if ([...name].length > PROJECT_NAME_MAX) {
        errors.push({ field: `${source}, project`, message: `a project name is at most ${PROJECT_NAME_MAX} characters` });
        return undefined;
      }
      const key = caseInsensitiveKey(name);
      const found: string | undefined = [...tree].find(([id, node]) => node.parent === parent && node.nameKey === key && id !== inbox.id)?.[0];
      if (found) {
        parent = found;
        continue;
      }
      const id = context.newId();
      const position = positionAfter(lastProjectPosition.get(siblingKey(parent)) ?? maxPosition(context.projects, parent));
      lastProjectPosition.set(siblingKey(parent), position);
      tree.set(id, { parent, name, nameKey: key });
      taken(parent).add(key);
      projectRows.push({ id, name, name_key: key, color: null, parent_id: parent, position, created_at: null });
      parent = id;
    }
    return parent ?? undefined;
  };

  // --- Tasks ----------------------------------------------------------------------
  const taskIds = new Map<string, string>();
  const taskBySourceId = new Map<string, ImportTask>();
  const taskBySource = new Map<string, ImportTask>();
  const newIdOf = new Map<ImportTask, string>();
  for (const task of input.tasks) {
    const id = context.newId();
    newIdOf.set(task, id);
    taskBySource.set(task.source, task);
    if (task.sourceId === undefined) continue;
    if (taskBySourceId.has(task.sourceId)) {
      errors.push({ field: fieldOf(task.source, 'id'), message: `id ${task.sourceId} is used by another task of this file` });
      continue;
    }
    taskBySourceId.set(task.sourceId, task);
    taskIds.set(task.sourceId, id);
  }

  const parentOf = new Map<ImportTask, ImportTask>();
  for (const task of input.tasks) {
    const parent = task.parentRef !== undefined ? taskBySourceId.get(task.parentRef) : task.parentSource !== undefined ? taskBySource.get(task.parentSource) : undefined;
    if (task.parentRef !== undefined && !parent) {
      warnings.push({ field: fieldOf(task.source, 'parent_id'), message: `parent_id ${task.parentRef} names no task of this file: imported as a top-level task` });
    }
    if (parent && parent !== task) parentOf.set(task, parent);
  }
  // A circle of parents cannot be imported; deeper than MAX_TASK_DEPTH is hung under the deepest allowed ancestor.
  const depth = new Map<ImportTask, number>();
  const byParent = orderByParents(
    input.tasks,
    (task) => task.source,
    (task) => {
      const parent = parentOf.get(task);
      return parent ? [parent.source] : [];
    },
  );
  for (const task of byParent.cyclic) {
    errors.push({ field: fieldOf(task.source, 'parent_id'), message: 'the tasks of this file are subtasks of each other in a circle' });
    parentOf.delete(task);
    depth.set(task, 1);
  }
  for (const task of byParent.sorted) {
    let parent = parentOf.get(task);
    if (parent && (depth.get(parent) as number) >= MAX_TASK_DEPTH) {
      while ((depth.get(parent) as number) >= MAX_TASK_DEPTH) parent = parentOf.get(parent) as ImportTask;
      parentOf.set(task, parent);
      warnings.push({ field: task.source, message: `subtasks go ${MAX_TASK_DEPTH} levels deep at most: placed under the task at ${parent.source}` });
    }
    depth.set(task, parent ? (depth.get(parent) as number) + 1 : 1);
  }

  const projectOfTask = new Map<ImportTask, string>();
  const resolveProject = (task: ImportTask): string => {
    const known = projectOfTask.get(task);
    if (known) return known;
    const parent = parentOf.get(task);
    let project: string;
    if (parent) {
      project = resolveProject(parent);
    } else if (task.projectRef !== undefined) {
      const mapped = projectIds.get(task.projectRef);
      if (mapped === undefined) {
        warnings.push({ field: fieldOf(task.source, 'project_id'), message: `project_id ${task.projectRef} names no project of this file: imported into ${tree.get(context.targetProjectId)?.name ?? 'the Inbox'}` });
      }
      project = mapped ?? context.targetProjectId;
    } else if (task.projectPath && task.projectPath.length > 0) {
      project = projectByPath(task.projectPath, task.source) ?? context.targetProjectId;
    } else {
      project = context.targetProjectId;
    }
    projectOfTask.set(task, project);
    return project;
  };

  const seriesIds = new Map<string, string>();
  const lastTaskPosition = new Map<string, number>();
  const rows = new Map<ImportTask, TaskInsert>();
  for (const task of input.tasks) {
    const id = newIdOf.get(task) as string;
    const project = resolveProject(task);
    const parent = parentOf.get(task);
    let description = task.description;
    if (task.due_time !== undefined && task.due_date === null) {
      errors.push({ field: fieldOf(task.source, 'due_time'), message: 'due_time needs a due_date' });
    }
    let recurrence: TaskInsert['recurrence'] = null;
    if (task.recurrence) {
      const start = task.recurrence.start ?? task.due_date;
      let problem: string | undefined;
      if (task.due_date === null || start === null) problem = 'a recurring task needs a due_date';
      else {
        try {
          assertRepeats(task.recurrence.rrule, start, context.timeZone);
        } catch (error) {
          if (!(error instanceof RecurrenceRuleError)) throw error;
          problem = `recurrence.rrule ${error.part}: ${error.message}`;
        }
      }
      if (problem === undefined) {
        recurrence = { rrule: task.recurrence.rrule, from: task.recurrence.from, start: start as string, n: task.recurrence.n ?? 1 };
      } else if (input.lenientRecurrence) {
        description = [description, `Repeats: ${task.recurrence.rrule}`].filter(Boolean).join('\n\n').slice(0, 10_000);
        warnings.push({ field: task.source, message: `the repetition cannot be stored (${problem}): kept in the description` });
      } else {
        errors.push({ field: fieldOf(task.source, 'recurrence'), message: problem });
      }
    }
    let seriesId: string | null = null;
    if (task.seriesRef !== undefined) {
      seriesId = seriesIds.get(task.seriesRef) ?? context.newId();
      seriesIds.set(task.seriesRef, seriesId);
    } else if (recurrence) {
      seriesId = context.newId();
    }
    const group = `${project}/${parent ? newIdOf.get(parent) : ''}`;
    const position =
      task.position ?? positionAfter(lastTaskPosition.get(group) ?? (parent ? undefined : maxTaskPosition(context.projects, project)));
    lastTaskPosition.set(group, Math.max(position, lastTaskPosition.get(group) ?? Number.NEGATIVE_INFINITY));
    const ref = (sourceId: string | undefined, field: string): string | null => {
      if (sourceId === undefined) return null;
      const mapped = taskIds.get(sourceId);
      if (mapped === undefined) warnings.push({ field: fieldOf(task.source, field), message: `${field} ${sourceId} names no task of this file: left out` });
      return mapped ?? null;
    };
    rows.set(task, {
      id,
      title: task.title,
      description,
      status: task.status,
      priority: task.priority,
      tags: task.tags,
      due_date: task.due_date,
      due_time: task.due_time ?? null,
      project_id: project,
      parent_id: parent ? (newIdOf.get(parent) as string) : null,
      position,
      recurrence,
      series_id: seriesId,
      next_occurrence_id: ref(task.nextOccurrenceRef, 'next_occurrence_id'),
      deleted_at: task.deleted_at ?? null,
      deleted_with: ref(task.deletedWithRef, 'deleted_with'),
      created_at: task.created_at ?? null,
      updated_at: task.updated_at ?? null,
    });
  }

  // Parents and next occurrences first: the foreign keys are checked statement by statement.
  const byId = new Map([...rows.values()].map((row) => [row.id, row]));
  const taskOrder = orderByParents(
    [...rows.values()],
    (row) => row.id,
    (row) => [row.parent_id, row.next_occurrence_id].filter((id): id is string => id !== null && byId.has(id)),
  );
  const sourceOf = new Map([...rows].map(([task, row]) => [row, task.source]));
  for (const row of taskOrder.cyclic) {
    // Only next occurrences can be circular here (parents were checked above).
    row.next_occurrence_id = null;
    warnings.push({ field: sourceOf.get(row) as string, message: 'next_occurrence_id makes a circle of occurrences: left out' });
  }

  // --- Views --------------------------------------------------------------------------
  const viewRows: ViewInsert[] = [];
  const viewNames = new Set(context.viewNameKeys);
  let lastView = context.lastViewPosition;
  for (const view of input.views) {
    const name = freeName(view.name, viewNames, VIEW_NAME_MAX);
    if (name !== view.name) warnings.push({ field: `${view.source}.name`, message: `a view named "${view.name}" is there already: imported as "${name}"` });
    viewNames.add(caseInsensitiveKey(name));
    const query = { ...view.query };
    if (Array.isArray(query.project_id)) {
      const mapped = (query.project_id as string[]).map((ref) => projectIds.get(ref));
      if (mapped.some((id) => id === undefined)) warnings.push({ field: `${view.source}.query.project_id`, message: 'names projects that are not in this file: left out' });
      query.project_id = mapped.filter((id): id is string => id !== undefined);
      if ((query.project_id as string[]).length === 0) delete query.project_id;
    }
    if (typeof query.parent_id === 'string' && query.parent_id !== 'none') {
      const mapped = taskIds.get(query.parent_id);
      if (mapped === undefined) {
        warnings.push({ field: `${view.source}.query.parent_id`, message: 'names a task that is not in this file: left out' });
        delete query.parent_id;
      } else query.parent_id = mapped;
    }
    const position = view.position ?? positionAfter(lastView);
    lastView = Math.max(lastView, position);
    viewRows.push({
      id: context.newId(),
      name,
      name_key: caseInsensitiveKey(name),
      query,
      position,
      created_at: view.created_at ?? null,
      updated_at: view.updated_at ?? null,
    });
  }

  if (context.projectCount + projectRows.length > context.limits.projects) {
    errors.push({ field: '$.projects', message: `an account holds at most ${context.limits.projects} projects: this import would make ${context.projectCount + projectRows.length}` });
  }
  if (context.viewCount + viewRows.length > context.limits.views) {
    errors.push({ field: '$.views', message: `an account holds at most ${context.limits.views} saved views: this import would make ${context.viewCount + viewRows.length}` });
  }

  const projectPathOf = new Map<string, string[]>();
  for (const id of tree.keys()) {
    const path: string[] = [];
    for (let at: string | null = id; at !== null; at = tree.get(at)?.parent ?? null) path.unshift(tree.get(at)?.name ?? '');
    projectPathOf.set(id, path);
  }
  return {
    projects: projectRows,
    views: viewRows,
    tasks: taskOrder.sorted.concat(taskOrder.cyclic),
    uploadOrder: input.tasks.map((task) => rows.get(task) as TaskInsert),
    announced: input.tasks.map((task) => rows.get(task) as TaskInsert).filter((row) => row.deleted_at === null).map((row) => row.id),
    projectPathOf,
    errors,
    warnings,
  };
}

/** `$.tasks[3]` + `parent_id` → `$.tasks[3].parent_id`; `line 5` + `parent_id` → `line 5, parent_id`. */
function fieldOf(source: string, field: string): string {
  return source.startsWith('$') ? `${source}.${field}` : `${source}, ${field}`;
}

/** `name`, or `name (2)`, `name (3)`… the first whose key is not taken, within `max` characters. */
function freeName(name: string, takenKeys: ReadonlySet<string>, max: number): string {
  if (!takenKeys.has(caseInsensitiveKey(name))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = [...name].slice(0, max - suffix.length).join('') + suffix;
    if (!takenKeys.has(caseInsensitiveKey(candidate))) return candidate;
  }
}

function maxPosition(projects: readonly ExistingProject[], parent: string | null): number | undefined {
  const positions = projects.filter((p) => p.parent_id === parent && !p.is_inbox).map((p) => Number(p.position));
  return positions.length > 0 ? Math.max(...positions) : undefined;
}

function maxTaskPosition(projects: readonly ExistingProject[], projectId: string): number | undefined {
  const last = projects.find((p) => p.id === projectId)?.last_task_position;
  return last ? Number(last) : undefined;
}

/**
 * Items in an order where each comes after the items it depends on (Kahn's
 * algorithm): those that depend on nothing first, in the given order, then
 * the ones each frees, in turn. Dependencies on keys not among `items` are
 * ignored; items in a cycle are returned apart.
 */
export function orderByParents<T>(items: readonly T[], keyOf: (item: T) => string, dependsOn: (item: T) => string[]): { sorted: T[]; cyclic: T[] } {
  const index = new Map(items.map((item, i) => [keyOf(item), i]));
  const waiting = items.map((item) => new Set(dependsOn(item).filter((key) => index.has(key) && key !== keyOf(item))));
  const dependents = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const key of waiting[i]) dependents.set(key, [...(dependents.get(key) ?? []), i]);
  });
  const ready: number[] = [];
  items.forEach((_item, i) => {
    if (waiting[i].size === 0) ready.push(i);
  });
  const sorted: T[] = [];
  const done = new Set<number>();
  let cursor = 0;
  while (cursor < ready.length) {
    const i = ready[cursor++];
    done.add(i);
    sorted.push(items[i]);
    for (const j of dependents.get(keyOf(items[i])) ?? []) {
      waiting[j].delete(keyOf(items[i]));
      if (waiting[j].size === 0) ready.push(j);
    }
  }
  return { sorted, cyclic: items.filter((_item, i) => !done.has(i)) };
}
