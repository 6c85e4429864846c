/* global self, importScripts */
// The service worker the app registers: Angular's (ngsw-worker.js, which serves the app
// shell and its files from its cache, offline too), with the API kept out of it.
//
// Requests to the API (and to any other origin) never reach Angular's worker: this listener
// runs first and stops the event without answering it, so the browser sends the request
// itself, exactly as without a service worker. Nothing of the API is ever cached; offline,
// an API call fails with a network error (Angular's worker would answer it with a made-up
// 504); the event stream is not relayed through the worker; and tests that intercept API
// calls in the page still see them. The paths are those nginx.conf sends to the API.
const API_PATH = /^\/(?:api|auth)(?:\/|$)|^\/health$|^\/docs(?:\/|-json$|$)/;

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || API_PATH.test(url.pathname)) {
    event.stopImmediatePropagation();
  }
});

importScripts('./ngsw-worker.js');
