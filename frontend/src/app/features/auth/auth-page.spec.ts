import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { byLabel, byRole, type } from '../../../testing/dom';
import { API_BASE_URL } from '../../core/api-base-url';
import { AuthService } from '../../core/auth.service';
import { errorInterceptor } from '../../core/http-interceptors';
import { AuthMode, AuthPage } from './auth-page';

@Component({ template: '' })
class Blank {}

const API = location.origin;

async function setup(mode: AuthMode, returnUrl?: string) {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([
        { path: 'dashboard', component: Blank },
        { path: 'today', component: Blank },
        { path: 'dashboard/tasks', component: Blank },
      ]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: API },
    ],
  });
  const fixture: ComponentFixture<AuthPage> = TestBed.createComponent(AuthPage);
  fixture.componentRef.setInput('mode', mode);
  if (returnUrl) fixture.componentRef.setInput('returnUrl', returnUrl);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  return {
    fixture,
    el,
    http: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
    email: byLabel(el, 'Email'),
    password: byLabel(el, 'Password'),
    submit: async (label: string) => {
      byRole(el, 'button', label).click();
      await fixture.whenStable();
    },
  };
}

describe('AuthPage', () => {
  it('checks input as the server does and sends nothing while it is wrong', async () => {
    const { el, http, email, password, submit } = await setup('signup');
    type(email, 'not-an-email');
    type(password, 'short');
    await submit('Sign up');
    expect(el.textContent).toContain('Enter a valid email address');
    expect(el.textContent).toContain('Password must be at least 8 characters.');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    type(password, 'é'.repeat(37)); // 74 bytes, 37 characters
    await submit('Sign up');
    expect(el.textContent).toContain('Password must be at most 72 bytes.');
    http.expectNone(`${API}/auth/signup`);
  });

  it('signs up and goes to the returnUrl', async () => {
    const { http, router, email, password, submit, el } = await setup('signup', '/dashboard/tasks');
    type(email, '  Ada@Example.COM ');
    type(password, 'correct horse');
    await submit('Sign up');
    const button = byRole(el, 'button', 'Sign up') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const req = http.expectOne(`${API}/auth/signup`);
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse' });
    req.flush({
      access_token: 't',
      token_type: 'Bearer',
      expires_in: 3600,
      user: { id: '1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' },
    });
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/dashboard/tasks');
    expect(TestBed.inject(AuthService).user()?.email).toBe('ada@example.com');
  });

  it('ignores a returnUrl that leaves the app', async () => {
    const { http, router, email, password, submit } = await setup('login', 'https://evil.example');
    type(email, 'ada@example.com');
    type(password, 'correct horse');
    await submit('Log in');
    http.expectOne(`${API}/auth/login`).flush({
      access_token: 't',
      token_type: 'Bearer',
      expires_in: 3600,
      user: { id: '1', email: 'ada@example.com', created_at: '' },
    });
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/today');
  });

  it("shows the server's message when login fails, and lets the user try again", async () => {
    const { http, el, fixture, email, password, submit } = await setup('login');
    type(email, 'ada@example.com');
    type(password, 'wrong password');
    await submit('Log in');
    http
      .expectOne(`${API}/auth/login`)
      .flush(
        { error: { code: 401, message: 'Invalid email or password' } },
        { status: 401, statusText: 'Unauthorized' },
      );
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent?.trim()).toBe('Invalid email or password');
    expect((byRole(el, 'button', 'Log in') as HTMLButtonElement).disabled).toBe(false);
  });

  it('puts "Email already registered" next to the email field', async () => {
    const { http, el, fixture, email, password, submit } = await setup('signup');
    type(email, 'taken@example.com');
    type(password, '12345678');
    await submit('Sign up');
    http
      .expectOne(`${API}/auth/signup`)
      .flush(
        { error: { code: 409, message: 'Email already registered' } },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    const describedBy = email.getAttribute('aria-describedby')!;
    expect(el.querySelector(`#${describedBy}`)?.textContent?.trim()).toBe(
      'Email already registered',
    );
  });

  it('says when to retry after too many attempts', async () => {
    const { http, el, fixture, email, password, submit } = await setup('login');
    type(email, 'ada@example.com');
    type(password, '12345678');
    await submit('Log in');
    http
      .expectOne(`${API}/auth/login`)
      .flush(
        { error: { code: 429, message: 'Too many requests' } },
        { status: 429, statusText: '', headers: { 'Retry-After': '30' } },
      );
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in 30 seconds.');
  });
});
