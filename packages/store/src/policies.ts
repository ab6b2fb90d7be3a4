import type { Db } from './sql-helpers.ts';
import type { DeletionPolicy, PoliciesStore, PolicyHolder } from './types.ts';

const parse = (v: string | null): DeletionPolicy | null => (v === null ? null : (JSON.parse(v) as DeletionPolicy));
const text = (p: DeletionPolicy | null): string | null => (p === null ? null : JSON.stringify(p));

/** Deletion policies, kept as JSON on the image row (its own) and the repository row (the default). */
export class KyselyPolicies implements PoliciesStore {
  constructor(private readonly db: Db) {}

  async getImage(imageId: number): Promise<DeletionPolicy | null> {
    const row = await this.db.selectFrom('images').select('deletion_policy').where('id', '=', imageId).executeTakeFirst();
    return parse(row?.deletion_policy ?? null);
  }

  async putImage(imageId: number, policy: DeletionPolicy | null): Promise<void> {
    await this.db.updateTable('images').set({ deletion_policy: text(policy) }).where('id', '=', imageId).execute();
  }

  async getRepository(repositoryId: number): Promise<DeletionPolicy | null> {
    const row = await this.db.selectFrom('repositories').select('deletion_policy').where('id', '=', repositoryId).executeTakeFirst();
    return parse(row?.deletion_policy ?? null);
  }

  async putRepository(repositoryId: number, policy: DeletionPolicy | null): Promise<void> {
    await this.db.updateTable('repositories').set({ deletion_policy: text(policy) }).where('id', '=', repositoryId).execute();
  }

  async holders(): Promise<PolicyHolder[]> {
    const rows = await this.db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(['images.id', 'images.name', 'repositories.name as repository', 'images.deletion_policy as own', 'repositories.deletion_policy as inherited'])
      .where((eb) => eb.or([eb('images.deletion_policy', 'is not', null), eb('repositories.deletion_policy', 'is not', null)]))
      .orderBy('repositories.name')
      .orderBy('images.name')
      .execute();
    return rows.map((r) => ({ imageId: r.id, repository: r.repository, image: r.name, imagePolicy: parse(r.own), repositoryPolicy: parse(r.inherited) }));
  }
}
