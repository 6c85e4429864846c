import { CdkTrapFocus } from '@angular/cdk/a11y';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthService } from '../../core/auth.service';
import { OfflineSync } from '../../core/offline/offline';
import { Shortcut, Shortcuts } from '../../core/shortcuts';
import { Toasts } from '../../core/toasts';
import { UserSettings } from '../../core/user-settings';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { ToastHost } from '../../shared/ui/toast-host';
import { TaskPanel } from '../tasks/task-panel';
import { HelpSheet } from './help-sheet';
import { OfflineStatus } from './offline-status';
import { Sidebar } from './sidebar';

/**
 * The signed-in app: the sidebar (a drawer on phones, trapping focus, closed by Escape), the
 * page, the task panel (`?task=`), toasts, and the shortcuts that work everywhere.
 */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, Sidebar, ToastHost, HelpSheet, TaskPanel, CdkTrapFocus, OfflineStatus, ConfirmDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="flex min-h-screen">
      <!-- The phone's top bar: a banner landmark, so its name is not loose content. -->
      <header
        class="fixed inset-x-0 top-0 z-30 flex items-center gap-2 border-b border-slate-200 bg-white px-2 py-1 sm:hidden dark:border-slate-800 dark:bg-slate-900"
      >
        <button
          #menuButton
          type="button"
          class="touch-target flex items-center justify-center rounded"
          aria-label="Menu"
          aria-controls="sidebar"
          [attr.aria-expanded]="drawerOpen()"
          (click)="drawerOpen.set(true)"
        >
          <svg viewBox="0 0 20 20" class="size-5" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M3 5h14M3 10h14M3 15h14" /></svg>
        </button>
        <span class="font-semibold text-indigo-700 dark:text-indigo-300">Evolution of Todo</span>
      </header>
      @if (drawerOpen()) {
        <button
          type="button"
          tabindex="-1"
          class="fixed inset-0 z-40 bg-slate-900/50 sm:hidden"
          aria-label="Close the menu"
          (click)="closeDrawer()"
        ></button>
      }
      <!-- On a phone this becomes a dialog, a role an aside may not take: the aside is inside it. -->
      <div
        id="sidebar"
        tabindex="-1"
        class="fixed inset-y-0 left-0 z-50 w-72 border-r border-slate-200 bg-slate-100 sm:sticky sm:top-0 sm:z-auto sm:block sm:h-screen sm:w-64 sm:shrink-0 dark:border-slate-800 dark:bg-slate-900"
        [class.hidden]="!drawerOpen()"
        [attr.role]="drawerOpen() ? 'dialog' : null"
        [attr.aria-modal]="drawerOpen() ? 'true' : null"
        [attr.aria-label]="drawerOpen() ? 'Menu' : null"
        [cdkTrapFocus]="drawerOpen()"
        [cdkTrapFocusAutoCapture]="true"
        (keydown.escape)="closeDrawer()"
      >
        <aside aria-label="Sidebar" class="h-full">
          <app-sidebar (navigated)="closeDrawer(false)" (logout)="logout()" (help)="helpOpen.set(true)" />
        </aside>
      </div>
      <!-- On a phone the bottom padding lets anything scroll clear of the floating + button. -->
      <main id="main" tabindex="-1" class="min-w-0 flex-1 px-3 pt-16 pb-40 outline-none sm:px-8 sm:pt-6 sm:pb-24">
        <div class="mx-auto max-w-3xl">
          <app-offline-status />
          <router-outlet />
        </div>
      </main>
      @if (taskId(); as id) {
        <!-- The editor (and its recurrence builder) loads when a task is first opened. -->
        @defer (on immediate) {
          <app-task-panel [taskId]="id" [focusField]="focusField()" (closed)="closePanel(id)" />
        }
      }
    </div>
    <button
      type="button"
      class="fixed right-4 bottom-20 z-30 flex size-14 items-center justify-center rounded-full bg-indigo-700 text-3xl text-white shadow-lg sm:hidden"
      aria-label="Add a task"
      (click)="focusQuickAdd()"
    >
      <span aria-hidden="true">+</span>
    </button>
    <app-toast-host />
    <app-help-sheet [open]="helpOpen()" [shortcuts]="helpShortcuts()" (closed)="helpOpen.set(false)" />
    <app-confirm-dialog
      heading="Log out and discard unsent changes?"
      [open]="confirmingLogout()"
      [message]="unsentMessage()"
      confirmLabel="Log out and discard"
      (confirmed)="logoutNow()"
      (cancelled)="confirmingLogout.set(false)"
    />
  `,
})
export class Shell {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly auth = inject(AuthService);
  private readonly offline = inject(OfflineSync);
  protected readonly confirmingLogout = signal(false);
  protected readonly unsentMessage = computed(() => {
    const n = this.offline.pending();
    const changes = n === 1 ? '1 change made on this device has' : `${n} changes made on this device have`;
    return `${changes} not reached the server yet. Logging out deletes them from this device; stay signed in and they are sent once you are back online.`;
  });
  private readonly shortcuts = inject(Shortcuts);
  private readonly injector = inject(Injector);
  private readonly toasts = inject(Toasts);
  /** Held here so the zone is looked up (and offered) as the app opens. */
  protected readonly settings = inject(UserSettings);
  private readonly menuButton = viewChild.required<ElementRef<HTMLButtonElement>>('menuButton');

  protected readonly drawerOpen = signal(false);
  protected readonly helpOpen = signal(false);
  protected readonly helpShortcuts = signal<Shortcut[]>([]);
  private readonly query = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map(() => this.router.routerState.snapshot.root.queryParamMap),
    ),
    { initialValue: this.router.routerState.snapshot.root.queryParamMap },
  );
  protected readonly taskId = () => this.query().get('task');
  protected readonly focusField = () => this.query().get('focus');

  constructor() {
    const unregister = this.shortcuts.register([
      { keys: 'q', description: 'Quick add a task', run: () => this.focusQuickAdd() },
      { keys: '/', description: 'Search', run: () => this.search() },
      { keys: 'g t', description: 'Go to Today', run: () => void this.router.navigateByUrl('/today') },
      { keys: 'g u', description: 'Go to Upcoming', run: () => void this.router.navigateByUrl('/upcoming') },
      { keys: 'g i', description: 'Go to the Inbox', run: () => void this.router.navigateByUrl('/inbox') },
      { keys: 'z', description: 'Undo (while the toast offers it)', run: () => this.toasts.undo() },
      { keys: '?', description: 'Show these shortcuts', run: () => this.showHelp() },
    ]);
    inject(DestroyRef).onDestroy(unregister);
  }

  protected showHelp(): void {
    this.helpShortcuts.set([
      ...this.shortcuts.all(),
      { keys: '#', description: 'In the task panel: tags', run: () => undefined },
      { keys: '!', description: 'In the task panel: priority', run: () => undefined },
      { keys: '+', description: 'In the task panel: project', run: () => undefined },
    ]);
    this.helpOpen.set(true);
  }

  protected closeDrawer(restoreFocus = true): void {
    if (!this.drawerOpen()) return;
    this.drawerOpen.set(false);
    if (restoreFocus) this.menuButton().nativeElement.focus();
  }

  protected closePanel(id: string): void {
    void this.router
      .navigate([], { relativeTo: this.route, queryParams: { task: null, focus: null }, queryParamsHandling: 'merge' })
      .then(() =>
        afterNextRender(
          () => {
            const row = document.querySelector<HTMLElement>(`[data-task-id="${id}"]`);
            (row ?? document.querySelector<HTMLElement>('#main h1') ?? document.getElementById('main'))?.focus();
          },
          { injector: this.injector },
        ),
      );
  }

  protected focusQuickAdd(): void {
    const field = document.querySelector<HTMLInputElement>('#main input[id^="quick-add-"]');
    if (field) {
      field.scrollIntoView({ block: 'center' });
      field.focus();
      return;
    }
    void this.router.navigateByUrl('/inbox').then(() =>
      afterNextRender(() => document.querySelector<HTMLInputElement>('#main input[id^="quick-add-"]')?.focus(), {
        injector: this.injector,
      }),
    );
  }

  private search(): void {
    const field = document.getElementById('filter-q');
    if (field) {
      field.focus();
      return;
    }
    void this.router.navigateByUrl('/tasks').then(() =>
      afterNextRender(() => document.getElementById('filter-q')?.focus(), { injector: this.injector }),
    );
  }

  /**
   * Logging out deletes this device's copy, the queue included: changes that have not reached
   * the server yet would be lost without a word, so the user is asked first.
   */
  protected logout(): void {
    if (this.offline.pending() > 0) {
      this.confirmingLogout.set(true);
      return;
    }
    this.logoutNow();
  }

  protected logoutNow(): void {
    this.confirmingLogout.set(false);
    this.auth.logout().subscribe(() => void this.router.navigateByUrl('/login'));
  }
}
