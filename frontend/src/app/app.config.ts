import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { _CdkPrivateStyleLoader } from '@angular/cdk/private';
import { ApplicationConfig, isDevMode, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { routes } from './app.routes';
import { authInterceptor, errorInterceptor, loadingInterceptor } from './core/http-interceptors';
import { offlineInterceptor } from './core/offline/offline';
import { retryInterceptor } from './core/retry-interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // CDK adds its few styles (drag-drop resets, .cdk-visually-hidden) as <style> elements,
    // which the Content-Security-Policy (style-src 'self') blocks; styles.css carries them.
    { provide: _CdkPrivateStyleLoader, useValue: { load: () => undefined } },
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'enabled' }),
    ),
    // Order matters: the error interceptor sees responses before the loading one ends, and
    // only the final outcome of the retries made inside it; the offline one answers from the
    // local copy before a token is looked for, and sees errors already as ApiErrors.
    provideHttpClient(
      withFetch(),
      withInterceptors([loadingInterceptor, offlineInterceptor, authInterceptor, errorInterceptor, retryInterceptor]),
    ),
    // Production builds only (angular.json builds the worker there). Registered once the first
    // page has settled, so installing the app's files never competes with showing it, but
    // within 5 s: the live stream can keep a signed-in page from settling, and a user who goes
    // offline a minute after the first visit must still find the app.
    provideServiceWorker('service-worker.js', { enabled: !isDevMode(), registrationStrategy: 'registerWhenStable:5000' }),
  ],
};
