import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeTags } from '../../tasks/tags.js';
import { normalizeEmail, normalizeStoredEmail } from '../../users/email.js';

const BATCH_SIZE = 1000;

/** The column's limit; the API's own check (MaxLength) counts UTF-16 units, so this does too. */
const MAX_EMAIL_LENGTH = 255;

/**
 * Brings stored emails and tags to the forms the API now writes
 * (users/email.ts, tasks/tags.ts). The normal forms are computed here in
 * JavaScript, by the same functions as the API: PostgreSQL's lower() depends on
 * the database's collation and knows nothing of NFC or NFKC. Rows are read in
 * batches by key, and only rows that change are written.
 *
 * Emails: two accounts whose addresses normalize alike are never merged. The
 * account already holding the normal form under the unique index on
 * lower(email) keeps it; when none does, the oldest account (created_at, then
 * id) gets it. Every other account keeps its stored email, is listed in
 * `email_normalization_conflicts`, and can still log in with its own password
 * (auth.service.ts). One warning names their ids (never the addresses).
 *
 * Tags: one spelling per case-insensitive key, in NFC. The update trigger
 * advances those tasks' version and records a task.updated event, as for any
 * other change of their data.
 */
export class NormalizeEmailsAndTags1764210000000 implements MigrationInterface {
  name = 'NormalizeEmailsAndTags1764210000000';

  private readonly logger = new Logger('Migrations');

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE email_normalization_conflicts (
        user_id uuid NOT NULL,
        email varchar(255) NOT NULL,
        normalized_email varchar(255) NOT NULL,
        kept_user_id uuid NOT NULL,
        detected_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT email_normalization_conflicts_pkey PRIMARY KEY (user_id),
        CONSTRAINT email_normalization_conflicts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX email_normalization_conflicts_normalized_idx ON email_normalization_conflicts (normalized_email)`);
    await this.normalizeEmails(db);
    await this.normalizeTags(db);
  }

  /** The table goes; the normalized emails and tags stay (their old spellings are not kept). */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE email_normalization_conflicts`);
  }

  private async normalizeEmails(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TEMPORARY TABLE email_normalization (user_id uuid PRIMARY KEY, normalized text NOT NULL)`);
    const unusable: string[] = [];
    let cleaned = 0;
    let lastId: string | undefined;
    for (;;) {
      const rows: { id: string; email: string }[] = await db.query(
        lastId === undefined
          ? 'SELECT id, email FROM users ORDER BY id LIMIT $1'
          : 'SELECT id, email FROM users WHERE id > $2 ORDER BY id LIMIT $1',
        lastId === undefined ? [BATCH_SIZE] : [BATCH_SIZE, lastId],
      );
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      const ids: string[] = [];
      const normalized: string[] = [];
      for (const row of rows) {
        const result = normalizeStoredEmail(row.email);
        if (!result.ok || result.email.length > MAX_EMAIL_LENGTH) {
          unusable.push(row.id);
          continue;
        }
        if (result.email === row.email) continue;
        if (!normalizeEmail(row.email).ok) cleaned++;
        ids.push(row.id);
        normalized.push(result.email);
      }
      if (ids.length > 0) {
        await db.query(`INSERT INTO email_normalization SELECT * FROM unnest($1::uuid[], $2::text[])`, [ids, normalized]);
      }
    }

    // Only changing rows can collide: unchanged ones are already normal, and
    // distinct. `holder` is the one account the unique index lets hold the
    // normal form, if any (it may be one of the changing rows, in another case).
    const conflicts: { userId: string; normalized: string; keptUserId: string }[] = [];
    const keepers: { id: string; email: string }[] = [];
    let lastNormalized: string | undefined;
    for (;;) {
      const groups: { normalized: string; members: string[]; holder: string | null }[] = await db.query(
        `SELECT n.normalized,
                array_agg(n.user_id::text ORDER BY u.created_at, u.id) AS members,
                (SELECT h.id::text FROM users h WHERE lower(h.email) = lower(n.normalized)) AS holder
           FROM email_normalization n JOIN users u ON u.id = n.user_id
          ${lastNormalized === undefined ? '' : 'WHERE n.normalized COLLATE "C" > $2'}
          GROUP BY n.normalized
          ORDER BY n.normalized COLLATE "C"
          LIMIT $1`,
        lastNormalized === undefined ? [BATCH_SIZE] : [BATCH_SIZE, lastNormalized],
      );
      if (groups.length === 0) break;
      lastNormalized = groups[groups.length - 1].normalized;
      for (const { normalized, members, holder } of groups) {
        const kept = holder ?? members[0];
        if (members.includes(kept)) keepers.push({ id: kept, email: normalized });
        for (const member of members) {
          if (member !== kept) conflicts.push({ userId: member, normalized, keptUserId: kept });
        }
      }
    }

    for (let i = 0; i < keepers.length; i += BATCH_SIZE) {
      const batch = keepers.slice(i, i + BATCH_SIZE);
      await db.query(
        `UPDATE users u SET email = v.email FROM unnest($1::uuid[], $2::text[]) AS v(id, email) WHERE u.id = v.id`,
        [batch.map((k) => k.id), batch.map((k) => k.email)],
      );
    }
    for (let i = 0; i < conflicts.length; i += BATCH_SIZE) {
      const batch = conflicts.slice(i, i + BATCH_SIZE);
      await db.query(
        `INSERT INTO email_normalization_conflicts (user_id, email, normalized_email, kept_user_id)
         SELECT v.user_id, u.email, v.normalized, v.kept_user_id
           FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS v(user_id, normalized, kept_user_id)
           JOIN users u ON u.id = v.user_id`,
        [batch.map((c) => c.userId), batch.map((c) => c.normalized), batch.map((c) => c.keptUserId)],
      );
    }
    await db.query(`DROP TABLE email_normalization`);

    this.logger.log(
      `Email normalization: ${keepers.length} address(es) rewritten, ${conflicts.length} left as stored (conflicts)` +
        (cleaned > 0 ? `; ${cleaned} had invisible or control characters, left out of their normal form` : ''),
    );
    if (conflicts.length > 0) {
      this.logger.warn(
        `Email normalization: ${conflicts.length} account(s) kept their stored email because another account holds ` +
          `its normalized form; recorded in email_normalization_conflicts for review (user ids: ` +
          `${conflicts.map((c) => c.userId).join(', ')})`,
      );
    }
    if (unusable.length > 0) {
      this.logger.warn(
        `Email normalization: ${unusable.length} stored email(s) have no valid normalized form and were left as ` +
          `they are; these users cannot log in until corrected (user ids: ${unusable.join(', ')})`,
      );
    }
  }

  /**
   * Candidates: tasks with a non-ASCII tag (NFC and the Unicode fold matter),
   * or with two tags equal under ASCII lower-casing (lower() under COLLATE "C"
   * folds ASCII only, the same in every database).
   */
  private async normalizeTags(db: QueryRunner): Promise<void> {
    let rewritten = 0;
    let lastId: string | undefined;
    for (;;) {
      const rows: { id: string; tags: string[] }[] = await db.query(
        `SELECT id, tags FROM tasks t
          WHERE ${lastId === undefined ? '' : 'id > $2 AND '}
                (octet_length(array_to_string(tags, '')) <> char_length(array_to_string(tags, ''))
                 OR (SELECT count(DISTINCT lower(x COLLATE "C")) FROM unnest(t.tags) AS x) <> cardinality(tags))
          ORDER BY id
          LIMIT $1`,
        lastId === undefined ? [BATCH_SIZE] : [BATCH_SIZE, lastId],
      );
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      const changed = rows
        .map((row) => ({ id: row.id, tags: normalizeTags(row.tags) }))
        .filter((row, i) => JSON.stringify(row.tags) !== JSON.stringify(rows[i].tags));
      if (changed.length === 0) continue;
      await db.query(
        `UPDATE tasks t SET tags = ARRAY(SELECT e FROM jsonb_array_elements_text(v.tags) WITH ORDINALITY AS x(e, n) ORDER BY n)
           FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, tags jsonb)
          WHERE t.id = v.id`,
        [JSON.stringify(changed)],
      );
      rewritten += changed.length;
    }
    this.logger.log(`Tag normalization: ${rewritten} task(s) rewritten`);
  }
}
