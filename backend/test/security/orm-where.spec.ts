import { DataSource, IsNull } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Task } from '../../src/tasks/task.entity';
import { User } from '../../src/users/user.entity';
import { createTestDatabase } from '../support/test-app';

/**
 * TypeORM is configured (invalidWhereValuesBehavior: throw) so that a
 * missing value can never widen a query: `findOneBy({ email: undefined })`
 * would otherwise drop the condition and return the first user of the table.
 * Checked against the real data source options and a real database.
 */
describe('ORM where values', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let source: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    source = new DataSource(dataSourceOptions(db.url));
    await source.initialize();
    await source.runMigrations();
    await source.query("INSERT INTO users (email, hashed_password) VALUES ('first@example.com', 'x'), ('second@example.com', 'y')");
  });
  afterAll(async () => {
    await source?.destroy();
    await db?.drop();
  });

  it('throws on undefined instead of dropping the condition', async () => {
    const users = source.getRepository(User);
    await expect(users.findOneBy({ email: undefined })).rejects.toThrow();
    await expect(users.findOneBy({ id: undefined })).rejects.toThrow();
    await expect(users.existsBy({ id: undefined as unknown as string })).rejects.toThrow();
    await expect(source.getRepository(Task).findBy({ userId: undefined })).rejects.toThrow();
    await expect(source.getRepository(Task).delete({ userId: undefined as unknown as string })).rejects.toThrow();
  });

  it('throws on null instead of matching everything or nothing silently', async () => {
    const users = source.getRepository(User);
    await expect(users.findOneBy({ email: null as unknown as string })).rejects.toThrow();
    await expect(source.getRepository(Task).findBy({ userId: null as unknown as string })).rejects.toThrow();
  });

  it('still answers real values, and IsNull() where a NULL is meant', async () => {
    const users = source.getRepository(User);
    expect((await users.findOneBy({ email: 'second@example.com' }))?.email).toBe('second@example.com');
    expect(await users.findOneBy({ email: 'nobody@example.com' })).toBeNull();
    expect(await source.getRepository(Task).findBy({ description: IsNull() })).toEqual([]);
  });
});
