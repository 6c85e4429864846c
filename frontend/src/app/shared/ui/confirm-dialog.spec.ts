import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { byRole } from '../../../testing/dom';
import { ConfirmDialog } from './confirm-dialog';

@Component({
  imports: [ConfirmDialog],
  template: `<app-confirm-dialog
    heading="Delete this task?"
    message="It cannot be undone."
    [open]="open()"
    [error]="error()"
    (confirmed)="confirmed = confirmed + 1"
    (cancelled)="open.set(false)"
  />`,
})
class Host {
  readonly open = signal(false);
  readonly error = signal<string | null>(null);
  confirmed = 0;
}

describe('ConfirmDialog', () => {
  async function setup() {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const dialog = (fixture.nativeElement as HTMLElement).querySelector('dialog')!;
    return { fixture, host: fixture.componentInstance, dialog };
  }

  it('opens and closes with its input', async () => {
    const { fixture, host, dialog } = await setup();
    expect(dialog.open).toBe(false);
    host.open.set(true);
    await fixture.whenStable();
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain('Delete this task?');
    host.open.set(false);
    await fixture.whenStable();
    expect(dialog.open).toBe(false);
  });

  it('reports confirm, and Cancel or Escape as cancel', async () => {
    const { fixture, host, dialog } = await setup();
    host.open.set(true);
    await fixture.whenStable();
    byRole(dialog, 'button', 'Delete').click();
    expect(host.confirmed).toBe(1);

    dialog.dispatchEvent(new Event('cancel', { cancelable: true })); // what Escape fires
    await fixture.whenStable();
    expect(host.open()).toBe(false);
    expect(dialog.open).toBe(false);
  });

  it('shows why the action failed', async () => {
    const { fixture, host, dialog } = await setup();
    host.open.set(true);
    host.error.set('Cannot reach the server.');
    await fixture.whenStable();
    expect(dialog.querySelector('[role=alert]')?.textContent?.trim()).toBe(
      'Cannot reach the server.',
    );
  });
});
