import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { byLabel, byRole, type } from '../../../testing/dom';
import { API_BASE_URL } from '../../core/api-base-url';
import { TokensPage } from './tokens-page';

const API = location.origin;
const created = {
  id: 't1',
  name: 'Backup',
  scopes: ['tasks:read', 'tasks:write'],
  hint: 'evt_abcd…',
  token: 'evt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
  created_at: '2027-01-01T00:00:00.000Z',
  expires_at: null,
  last_used_at: null,
};

async function setup() {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), { provide: API_BASE_URL, useValue: API }],
  });
  const fixture = TestBed.createComponent(TokensPage);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne(`${API}/api/me/tokens`).flush([]);
  await fixture.whenStable();
  return { fixture, el: fixture.nativeElement as HTMLElement, http };
}

describe('TokensPage', () => {
  it('creates a token with the scopes and expiry chosen, and shows it once', async () => {
    const { fixture, el, http } = await setup();
    type(byLabel(el, 'Name'), ' Backup ');
    const boxes = el.querySelectorAll<HTMLInputElement>('input[type=checkbox]');
    boxes[1].click(); // tasks:write; tasks:read is ticked already
    const expiry = byLabel<HTMLSelectElement>(el, 'Expires');
    expiry.value = 'never';
    expiry.dispatchEvent(new Event('change'));
    byRole(el, 'button', 'Create token').click();
    const request = http.expectOne({ method: 'POST', url: `${API}/api/me/tokens` });
    expect(request.request.body).toEqual({ name: 'Backup', scopes: ['tasks:read', 'tasks:write'] });
    request.flush(created);
    http.expectOne(`${API}/api/me/tokens`).flush([{ ...created, token: undefined }]);
    await fixture.whenStable();
    expect(el.querySelector<HTMLInputElement>('[data-testid=secret]')?.value).toBe(created.token);
    expect(el.querySelector('[data-testid=token]')?.textContent).not.toContain(created.token);
  });

  it('asks for a scope instead of sending none', async () => {
    const { fixture, el, http } = await setup();
    type(byLabel(el, 'Name'), 'Nothing');
    el.querySelectorAll<HTMLInputElement>('input[type=checkbox]')[0].click(); // untick tasks:read
    byRole(el, 'button', 'Create token').click();
    await fixture.whenStable();
    http.expectNone(`${API}/api/me/tokens`);
    expect(el.textContent).toContain('Choose at least one.');
  });
});
