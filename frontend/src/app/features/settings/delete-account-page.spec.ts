import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { byRole, type } from '../../../testing/dom';
import { TEST_USER, signIn } from '../../../testing/session';
import { API_BASE_URL } from '../../core/api-base-url';
import { AuthService } from '../../core/auth.service';
import { errorInterceptor } from '../../core/http-interceptors';
import { DeleteAccountPage } from './delete-account-page';

@Component({ template: '' })
class Blank {}

const API = location.origin;

async function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([{ path: '', component: Blank }]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: API },
    ],
  });
  const auth = TestBed.inject(AuthService);
  signIn(auth);
  const fixture = TestBed.createComponent(DeleteAccountPage);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  return {
    fixture,
    el,
    auth,
    http: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
    email: el.querySelector<HTMLInputElement>('#delete-email')!,
    password: el.querySelector<HTMLInputElement>('#delete-password')!,
    button: () => byRole(el, 'button', 'Delete my account') as HTMLButtonElement,
  };
}

describe('DeleteAccountPage', () => {
  it('stays disabled until the email typed is the account\'s own', async () => {
    const { fixture, email, button } = await setup();
    expect(button().disabled).toBe(true);
    type(email, 'someone@else.example');
    await fixture.whenStable();
    expect(button().disabled).toBe(true);
    type(email, ` ${TEST_USER.email.toUpperCase()} `);
    await fixture.whenStable();
    expect(button().disabled).toBe(false);
  });

  it('shows a wrong password next to the field and keeps the session', async () => {
    const { fixture, el, email, password, button, http, auth } = await setup();
    type(email, TEST_USER.email);
    type(password, 'not the password');
    await fixture.whenStable();
    button().click();
    const request = http.expectOne(`${API}/api/me`);
    expect(request.request.method).toBe('DELETE');
    expect(request.request.body).toEqual({ password: 'not the password' });
    request.flush({ error: { code: 401, message: 'Current password is incorrect' } }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(el.querySelector('#delete-password-error')?.textContent).toContain('Current password is incorrect');
    http.expectNone(`${API}/auth/refresh`);
    expect(auth.isSignedIn()).toBe(true);
  });

  it('deletes, ends the session and goes home', async () => {
    const { fixture, email, password, button, http, auth, router } = await setup();
    type(email, TEST_USER.email);
    type(password, 'the password 1');
    await fixture.whenStable();
    button().click();
    http.expectOne(`${API}/api/me`).flush(null, { status: 204, statusText: 'No Content' });
    http.expectOne(`${API}/auth/logout`).flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(auth.isSignedIn()).toBe(false);
    expect(router.url).toBe('/');
  });
});
