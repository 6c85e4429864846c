import { createUser, startTestApp, type TestApp } from '../support/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves health and signup', async () => {
    await t.http.get('/health').expect(200, { status: 'ok', database: 'up' });
    const user = await createUser(t);
    expect(user.token).toMatch(/^ey/);
  });
});
