import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AppUpdate, AppUpdateState } from '../../core/app-update';
import { byRole } from '../../../testing/dom';
import { UpdateBanner } from './update-banner';

describe('UpdateBanner', () => {
  async function setup() {
    const status = signal<AppUpdateState>('current');
    const reload = vi.fn();
    TestBed.configureTestingModule({ providers: [{ provide: AppUpdate, useValue: { status, reload } }] });
    const fixture = TestBed.createComponent(UpdateBanner);
    await fixture.whenStable();
    return { fixture, status, reload, el: fixture.nativeElement as HTMLElement };
  }

  it('is an empty live region until there is something to say', async () => {
    const { el } = await setup();
    expect(el.getAttribute('role')).toBe('status');
    expect(el.textContent?.trim()).toBe('');
  });

  it('announces a new version and reloads only when the button is pressed', async () => {
    const { fixture, status, reload, el } = await setup();
    status.set('ready');
    await fixture.whenStable();
    expect(el.textContent).toContain('A new version is ready.');
    expect(reload).not.toHaveBeenCalled();
    byRole(el, 'button', 'Reload to update').click();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('asks for a reload when this version can no longer load its pages', async () => {
    const { fixture, status, reload, el } = await setup();
    status.set('broken');
    await fixture.whenStable();
    expect(el.textContent).toContain('can no longer load all its pages');
    byRole(el, 'button', 'Reload').click();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
