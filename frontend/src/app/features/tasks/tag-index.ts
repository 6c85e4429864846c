import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Task } from '../../core/api-models';
import { TaskEvents } from '../../core/task-events';

/**
 * The tags the user has used, from every task this app has seen (lists load them, the stream
 * and this app's own writes bring changes), most used first: the editor's tag suggestions.
 */
@Injectable({ providedIn: 'root' })
export class TagIndex {
  private readonly counts = signal<ReadonlyMap<string, number>>(new Map());
  private readonly seen = new Map<string, readonly string[]>();
  readonly tags = computed(() =>
    [...this.counts().entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag),
  );

  constructor() {
    inject(TaskEvents)
      .changes$.pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((change) => {
        if (change.type !== 'task.deleted') this.add([change.task]);
      });
  }

  add(tasks: readonly Task[]): void {
    let changed = false;
    const counts = new Map(this.counts());
    for (const task of tasks) {
      const before = this.seen.get(task.id);
      if (before && before.join('\n') === task.tags.join('\n')) continue;
      for (const tag of before ?? []) counts.set(tag, (counts.get(tag) ?? 1) - 1);
      for (const tag of task.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      this.seen.set(task.id, task.tags);
      changed = true;
    }
    if (!changed) return;
    for (const [tag, n] of counts) if (n <= 0) counts.delete(tag);
    this.counts.set(counts);
  }

  /** Tags starting with `prefix` (any case), not already chosen. */
  suggest(prefix: string, chosen: readonly string[], limit = 6): string[] {
    const lower = prefix.trim().toLowerCase();
    const taken = new Set(chosen.map((t) => t.toLowerCase()));
    return this.tags()
      .filter((tag) => !taken.has(tag.toLowerCase()) && tag.toLowerCase().startsWith(lower))
      .slice(0, limit);
  }
}
