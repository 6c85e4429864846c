import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SwUpdate, VersionEvent } from '@angular/service-worker';
import { Subject } from 'rxjs';
import { AppUpdate, UPDATE_CHECK_INTERVAL_MS } from './app-update';

/** The parts of SwUpdate the service uses, driven by the test. */
function fakeSwUpdate(isEnabled = true) {
  return {
    isEnabled,
    versionUpdates: new Subject<VersionEvent>(),
    unrecoverable: new Subject<{ type: 'UNRECOVERABLE_STATE'; reason: string }>(),
    checkForUpdate: vi.fn<() => Promise<boolean>>().mockResolvedValue(false),
  };
}

/** A document whose visibility the test sets, and whose reload it sees. */
function fakeDocument() {
  const doc = new EventTarget() as EventTarget & { visibilityState: DocumentVisibilityState; location: { reload: () => void } };
  doc.visibilityState = 'visible';
  doc.location = { reload: vi.fn() };
  return doc;
}

const version = { hash: 'a', appData: {} };
const ready: VersionEvent = { type: 'VERSION_READY', currentVersion: version, latestVersion: { hash: 'b' } };
const detected: VersionEvent = { type: 'VERSION_DETECTED', version: { hash: 'b' } };

describe('AppUpdate', () => {
  function setup(updates: ReturnType<typeof fakeSwUpdate> | null = fakeSwUpdate()) {
    const doc = fakeDocument();
    TestBed.configureTestingModule({
      providers: [{ provide: DOCUMENT, useValue: doc }, ...(updates ? [{ provide: SwUpdate, useValue: updates }] : [])],
    });
    return { update: TestBed.inject(AppUpdate), updates: updates!, doc };
  }

  function show(doc: ReturnType<typeof fakeDocument>, state: DocumentVisibilityState) {
    doc.visibilityState = state;
    doc.dispatchEvent(new Event('visibilitychange'));
  }

  afterEach(() => vi.useRealTimers());

  it('says a new version is ready once it is downloaded, not when it is only found', () => {
    const { update, updates, doc } = setup();
    expect(update.status()).toBe('current');
    updates.versionUpdates.next(detected);
    expect(update.status()).toBe('current');
    updates.versionUpdates.next(ready);
    expect(update.status()).toBe('ready');
    expect(doc.location.reload).not.toHaveBeenCalled();
  });

  it('says so when this version can no longer be served, and a later version does not hide it', () => {
    const { update, updates } = setup();
    updates.unrecoverable.next({ type: 'UNRECOVERABLE_STATE', reason: 'files gone' });
    expect(update.status()).toBe('broken');
    updates.versionUpdates.next(ready);
    expect(update.status()).toBe('broken');
  });

  it('reloads only when asked', () => {
    const { update, doc } = setup();
    update.reload();
    expect(doc.location.reload).toHaveBeenCalledTimes(1);
  });

  it('stays current without a service worker (development, tests, an old browser)', () => {
    expect(setup(null).update.status()).toBe('current');
    TestBed.resetTestingModule();
    const disabled = fakeSwUpdate(false);
    const { update } = setup(disabled);
    expect(update.status()).toBe('current');
    expect(disabled.versionUpdates.observed).toBe(false);
  });

  it('looks for a new version when the tab is shown again, at most once an hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { updates, doc } = setup();
    show(doc, 'hidden');
    show(doc, 'visible');
    expect(updates.checkForUpdate).not.toHaveBeenCalled();

    vi.setSystemTime(Date.now() + UPDATE_CHECK_INTERVAL_MS);
    show(doc, 'hidden');
    expect(updates.checkForUpdate).not.toHaveBeenCalled();
    // A failed check (offline) is left for the next time, not reported.
    updates.checkForUpdate.mockRejectedValueOnce(new Error('offline'));
    show(doc, 'visible');
    expect(updates.checkForUpdate).toHaveBeenCalledTimes(1);
    show(doc, 'visible');
    expect(updates.checkForUpdate).toHaveBeenCalledTimes(1);
    await Promise.resolve();
  });
});
